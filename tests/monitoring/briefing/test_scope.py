"""A province reads and generates its own province's briefing only — on the page, in the API and in the downloads;
the ministry any region's; the archive lists every version."""

from __future__ import annotations

import pytest
from monitoring.briefing.support import desk  # noqa: F401 - the module's world
from reporting.web_support import client_for

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.briefing import service


@pytest.fixture(scope="module")
def world(desk):
    with unit_of_work(desk.engine) as session:
        jilin = service.generate(session=session, caller=desk.caller("jilin"), month="2022-04", region_code="22")
        national = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                    region_code="00")
        ids = {"jilin": jilin.id, "national": national.id}
    return desk, ids


READS = ("/monitoring/briefings/{id}", "/monitoring/briefings/{id}/briefing.pdf",
         "/monitoring/briefings/{id}/annex.xlsx", "/api/v1/briefings/{id}", "/api/v1/briefings/{id}/briefing.pdf",
         "/api/v1/briefings/{id}/annex.xlsx")


def test_another_province_cannot_read_a_briefing_anywhere(world):
    desk, ids = world
    jiangsu = client_for(desk, "jiangsu")
    for path in READS:
        for key in ("jilin", "national"):
            answer = jiangsu.get(path.format(id=ids[key]))
            assert answer.status_code == 404, (path, key, answer.status_code)
    assert jiangsu.get("/api/v1/briefings").json() == []
    assert "data-briefing=" not in jiangsu.get("/monitoring/briefings").text


def test_the_province_reads_its_own_everywhere(world):
    desk, ids = world
    jilin = client_for(desk, "jilin")
    for path in READS:
        answer = jilin.get(path.format(id=ids["jilin"]))
        assert answer.status_code == 200, (path, answer.status_code)
    assert jilin.get(f"/api/v1/briefings/{ids['jilin']}/briefing.pdf").content.startswith(b"%PDF")
    assert [b["region_code"] for b in jilin.get("/api/v1/briefings").json()] == ["22"]


def test_a_province_cannot_generate_another_provinces_briefing(world):
    desk, _ids = world
    jiangsu = client_for(desk, "jiangsu")
    assert jiangsu.post("/api/v1/briefings", json={"month": "2022-04", "region_code": "22"}).status_code == 403
    assert jiangsu.post("/api/v1/briefings", json={"month": "2022-04", "region_code": "00"}).status_code == 403
    page = jiangsu.post("/monitoring/briefings", data={"month": "2022-04", "region_code": "22"})
    assert page.status_code == 303 and "error=" in page.headers["location"]
    own = jiangsu.post("/api/v1/briefings", json={"month": "2022-04", "region_code": "32"})
    assert own.status_code == 201 and own.json()["content"]["region_name"] == "江苏省"
    with unit_of_work(desk.engine) as session:
        assert {b.region_code for b in service.list_briefings(
            session=session, principal=desk.caller("ministry").principal)} == {"00", "22", "32"}


def test_the_ministry_generates_a_new_version_from_the_page(world):
    desk, ids = world
    ministry = client_for(desk, "ministry")
    answer = ministry.post("/monitoring/briefings", data={"month": "2022-04", "region_code": "22"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/monitoring/briefings/")
    page = ministry.get(answer.headers["location"])
    assert "第 2 版（共 2 版）" in page.text
    listed = ministry.get("/monitoring/briefings").text
    assert 'data-briefing="2022-04-22-1"' in listed and 'data-briefing="2022-04-22-2"' in listed


def test_a_bad_month_on_the_page_comes_back_with_the_reason(world):
    desk, _ids = world
    ministry = client_for(desk, "ministry")
    answer = ministry.post("/monitoring/briefings", data={"month": "2022/04", "region_code": "00"})
    assert answer.status_code == 303 and "YYYY-MM" in answer.headers["location"]
