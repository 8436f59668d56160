"""The forecast's page and API through the app: what each region sees, a desk case from a line, making a forecast."""

from __future__ import annotations

import re
from datetime import date

import pytest
from accounts_fixture import PASSWORD, login
from fastapi.testclient import TestClient
from monitoring.forecast.support import forecast_registry
from monitoring.forecast.test_service import DAY, _state
from whitelist.support import caller

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.forecast import service
from chainkeeper.web.app import create_app

USERS = {"jilin": (Role.province, "22"), "jiangsu": (Role.province, "32"), "ministry": (Role.ministry, None),
         "analyst": (Role.analyst, None), "changchun_city": (Role.city, "2201")}


@pytest.fixture
def world(engine):
    ids = forecast_registry(engine)
    with unit_of_work(engine) as session:
        for name, (role, region) in USERS.items():
            create_user(session=session, username=name, password=PASSWORD, display_name=name, roles={role},
                        region_code=region)
        run = service.forecast(session=session, caller=caller(Role.ministry), made_on=DAY, state=_state(ids))
        line_id = service.list_lines(session=session, principal=caller(Role.ministry).principal,
                                     run_id=run.id)[0].line.id
    return engine, ids, run.id, line_id


def _client(engine, username: str, language: str = "zh_CN") -> TestClient:
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username)
    client.cookies.set("ck_lang", language)
    return client


def test_page_shows_the_line_to_its_region_only(world):
    engine, ids, run_id, _line = world
    page = _client(engine, "jilin").get("/monitoring/forecast")
    assert page.status_code == 200
    assert "长春整车有限公司" in page.text and "开立协调事项" in page.text and "昆山线束有限公司 → 上海钢材有限公司" in page.text
    other = _client(engine, "jiangsu").get("/monitoring/forecast")
    assert other.status_code == 200 and "长春整车有限公司" not in other.text
    english = _client(engine, "analyst", "en").get(f"/monitoring/forecast?run={run_id}")
    assert "Red and yellow: key enterprises that stop soon" in english.text
    assert "Open a desk case" not in english.text                    # an analyst reads, files nothing
    assert re.search(r'<span class="tag red">Red \d+</span>', english.text)  # a tag is a label of its own, not 'red 1' (walk)
    assert '<span class="tag yellow">Yellow ' in english.text and ">red<" not in english.text


def test_api_lines_are_scoped(world):
    engine, ids, run_id, _line = world
    assert [l["enterprise_id"] for l in _client(engine, "changchun_city").get(
        f"/api/v1/monitoring/forecast/runs/{run_id}/lines").json()] == [ids["C"]]
    assert _client(engine, "jiangsu").get(f"/api/v1/monitoring/forecast/runs/{run_id}/lines").json() == []
    body = _client(engine, "ministry").get(f"/api/v1/monitoring/forecast/runs/{run_id}/lines?level=yellow").json()
    assert body[0]["day_below_50"] == 7 and [s["id"] for s in body[0]["chain"]] == [ids["B"], ids["A"]]


def test_a_case_from_a_line_of_another_region_is_refused(world):
    engine, _ids, _run, line_id = world
    client = _client(engine, "jiangsu")
    assert client.post(f"/api/v1/monitoring/forecast/lines/{line_id}/case").status_code == 404
    page = client.post(f"/monitoring/forecast/lines/{line_id}/case")
    assert page.status_code == 303 and "error=" in page.headers["location"]


def test_open_a_case_from_the_page(world):
    engine, ids, _run, line_id = world
    answer = _client(engine, "jilin").post(f"/monitoring/forecast/lines/{line_id}/case")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/desk/cases/")
    case_page = _client(engine, "jilin").get(answer.headers["location"])
    assert case_page.status_code == 200 and "长春整车有限公司" in case_page.text


def test_make_a_forecast_through_the_api(world):
    engine, _ids, _run, _line = world
    client = _client(engine, "ministry")
    made = client.post("/api/v1/monitoring/forecast/runs", json={"made_on": "2022-04-12", "horizon": 14})
    assert made.status_code == 201 and made.json()["made_on"] == "2022-04-12"
    bad = client.post("/api/v1/monitoring/forecast/runs", json={"made_on": "2022-04-12", "horizon": 99})
    assert bad.status_code == 422
    assert _client(engine, "changchun_city").post("/api/v1/monitoring/forecast/runs",
                                                  json={"made_on": date(2022, 4, 12).isoformat()}).status_code == 403
