"""The analysis API and pages through the real app: a job in the worker thread, scoped results, exports, ESRI."""

from __future__ import annotations

import csv
import io
import time
from urllib.parse import quote

from coordination.desk_support import PASSWORD
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from chainkeeper.web.app import create_app

JIANGSU = {"regions": ["32", "33"], "cut": 1.0, "duration": 20, "horizon_days": 20}


def client_for(desk, username: str) -> TestClient:
    client = TestClient(create_app(engine=desk.engine))
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["csrf_token"]
    return client


def finished(client: TestClient, body: dict) -> dict:
    """Start a run and poll its status until the worker thread has ended it."""
    started = client.post("/api/v1/analysis/runs", json=body)
    assert started.status_code == 202, started.text
    assert started.json()["state"] in ("queued", "running", "done")
    for _attempt in range(300):
        status = client.get(f"/api/v1/analysis/runs/{started.json()['id']}").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("the job did not end within 30 s")


def test_the_analyst_runs_a_scenario_and_reads_the_result(desk):
    analyst = client_for(desk, "analyst")
    run = finished(analyst, JIANGSU | {"title": "江苏停产"})
    assert run["state"] == "done" and run["progress"] == 1.0 and run["owner"] == "analyst"
    result = analyst.get(f"/api/v1/analysis/runs/{run['id']}/result").json()
    oem = next(e for e in result["enterprises"] if e["name"] == "长春整车有限公司")
    assert oem["bound_by_industry"] == "3670" and not oem["cut_by_scenario"] and oem["lowest_percent"] < 90
    assert oem["lowest_percent"] == round(oem["lowest_percent"], 1) and result["outside_scope"] == []
    assert len(result["national"]) == 20 and isinstance(result["warnings"], list)
    assert [r["id"] for r in analyst.get("/api/v1/analysis/runs").json()] == [run["id"]]


def test_a_provincial_user_sees_other_provinces_as_totals_only(desk):
    jiangsu = client_for(desk, "jiangsu")
    run = finished(jiangsu, JIANGSU)
    result = jiangsu.get(f"/api/v1/analysis/runs/{run['id']}/result")
    assert result.status_code == 200
    body = result.json()
    assert {e["name"] for e in body["enterprises"]} == {"昆山线束有限公司", "无锡芯片有限公司"}
    # Zhejiang's stopped seat maker and the Changchun OEM it and Kunshan supply: totals only
    assert [(o["province"], o["hit_enterprises"]) for o in body["outside_scope"]] == [("吉林省", 1), ("浙江省", 1)]
    assert "长春整车" not in result.text and desk.usccs["changchun"] not in result.text
    exported = jiangsu.get(f"/api/v1/analysis/runs/{run['id']}/export.csv?lang=en")
    assert "长春整车" not in exported.text and "Jilin" not in exported.text  # region names come from the registry
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["USCC", "Enterprise"] and ["吉林省", "1"] in [row[:2] for row in rows]
    jilin = client_for(desk, "jilin")
    assert jilin.get(f"/api/v1/analysis/runs/{run['id']}").status_code == 404  # another region's run


def test_exports_have_names_and_rounded_figures(desk):
    analyst = client_for(desk, "analyst")
    run = finished(analyst, JIANGSU)
    book = load_workbook(io.BytesIO(analyst.get(f"/api/v1/analysis/runs/{run['id']}/export.xlsx?lang=zh_CN").content))
    firms = list(book.worksheets[0].iter_rows(values_only=True))
    assert firms[0][1] == "企业" and any(row[1] == "长春整车有限公司" for row in firms[1:])
    lowest = [row[7] for row in firms[1:]]
    assert all(value == round(value, 1) for value in lowest)
    daily = list(book.worksheets[2].iter_rows(values_only=True))
    assert len(daily) == 21 and all(value == round(value, 1) for row in daily[1:] for value in row[1:])


def test_bad_scenarios_are_refused_in_the_callers_language(desk):
    analyst = client_for(desk, "analyst")
    refused = analyst.post("/api/v1/analysis/runs", json=JIANGSU | {"regions": ["99"]})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["details"][0]["field"] == "regions" and "99" in error["message"] and "区域" in error["message"]
    assert analyst.get("/api/v1/analysis/runs").json() == []
    bad = analyst.post("/api/v1/analysis/runs", json=JIANGSU | {"cut": 2})
    assert bad.status_code == 422


def test_roles_outside_the_workspace_are_refused(desk):
    for username in ("oem", "admin"):
        assert client_for(desk, username).get("/api/v1/analysis/runs").status_code == 403
    assert TestClient(create_app(engine=desk.engine)).get("/api/v1/analysis/runs").status_code == 401


def test_esri_is_scoped_and_explained(desk):
    analyst = client_for(desk, "analyst")
    ranked = analyst.get("/api/v1/analysis/esri").json()
    assert {row["name"] for row in ranked} >= {"昆山线束有限公司", "长春整车有限公司"}
    jiangsu = client_for(desk, "jiangsu").get("/api/v1/analysis/esri")
    assert {row["province"] for row in jiangsu.json()} == {"32"}
    refused = client_for(desk, "jiangsu").get("/api/v1/analysis/esri?region=22")
    assert refused.status_code == 422
    english = client_for(desk, "analyst")
    english.cookies.set("ck_lang", "en")
    page = english.get("/analysis/esri?chain=")
    assert page.status_code == 200 and "production lost if this enterprise stopped" in page.text


def test_pages_build_run_and_compare(desk):
    analyst = client_for(desk, "analyst")
    form = analyst.get("/analysis")
    assert form.status_code == 200 and 'name="region_1"' in form.text and "data-enterprise-picker" in form.text
    token = analyst.headers["x-csrf-token"]
    created = analyst.post("/analysis/runs", data={"csrf_token": token, "region_1": "江苏省", "region_2": "浙江省", "cut": "100",
                                                   "duration": "20", "horizon": "20", "recovery": "step"},
                           follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"].startswith("/analysis/runs/")
    url = created.headers["location"]
    for _attempt in range(300):
        page = analyst.get(url)
        if "run-chart" in page.text or "run-error" in page.text:
            break
        assert 'hx-get="' + url + '/progress"' in page.text
        time.sleep(0.1)
    assert "run-chart" in page.text and "长春整车有限公司" in page.text
    second = finished(analyst, JIANGSU)
    compared = analyst.get(f"/analysis/compare?a={url.rsplit('/', 1)[1]}&b={second['id']}")
    assert compared.status_code == 200 and "compare-chart" in compared.text
    chooser = analyst.get("/analysis/compare")  # no runs named: the form to choose two, not a 400
    assert chooser.status_code == 200 and 'data-testid="compare-choose"' in chooser.text
    assert chooser.text.count(f'<option value="{second["id"]}"') == 2 and "compare-chart" not in chooser.text
    for field, value in (("region_2", "999999"), ("firm_1", "没有这家企业")):
        refused = analyst.post("/analysis/runs", data={"csrf_token": token, "region_1": "32", field: value},
                               follow_redirects=False)
        assert refused.status_code == 303 and quote(value) in refused.headers["location"]
    assert len(analyst.get("/api/v1/analysis/runs").json()) == 2
