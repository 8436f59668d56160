"""The docking doors (API and pages) on a real app: the day end to end, refusals by scope on every write door, the
XLSX export through the neutraliser, pages in both languages."""

import io
import json
import re
from importlib import resources

import pytest
from accounts_fixture import login
from docking.support import DAY, PASSWORD, build_world, report
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from chainkeeper.auth.api import login_throttle
from chainkeeper.docking.catalogue import SEED_SOURCES
from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def client_for(world, username):
    client = TestClient(create_app(engine=world.engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    return client


NEED = {"good_code": "med_n95", "quantity": 80, "date_needed": DAY.isoformat(), "priority": 1,
        "county_code": "420105", "contact_name": "王医生", "contact_phone": "027-88880000"}


def test_the_day_through_the_doors(world):
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 50, 10, 0, 100))
    hospital, hubei, hunan = (client_for(world, u) for u in ("hospital_user", "hubei", "hunan"))
    ministry, maker, other_maker = (client_for(world, u) for u in ("ministry", "maker_user", "changsha_user"))
    posted = hospital.post("/api/v1/docking/needs", json=NEED)
    assert posted.status_code == 201, posted.text
    need_id = posted.json()["id"]
    assert hunan.post(f"/api/v1/docking/needs/{need_id}/review", json={"approve": True}).status_code == 404
    assert hubei.post(f"/api/v1/docking/needs/{need_id}/review", json={"approve": True}).status_code == 200
    assert hunan.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95",
                                                      "scope_region": "42"}).status_code == 403
    run = hubei.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95"})
    assert run.status_code == 201, run.text
    plan = run.json()
    assert plan["scope_region"] == "42" and [l["quantity"] for l in plan["lines"]] == [60]
    assert plan["shortfalls"][0]["unmet"] == 20 and "调空" in plan["shortfalls"][0]["reason"]
    assert ministry.get(f"/api/v1/docking/plans/{plan['id']}").status_code == 200
    assert hunan.get(f"/api/v1/docking/plans/{plan['id']}").status_code == 404
    assert hunan.post(f"/api/v1/docking/plans/{plan['id']}/publish").status_code == 403
    assert hubei.post(f"/docking/plans/{plan['id']}/publish").status_code == 303
    workbook = hubei.get(f"/api/v1/docking/plans/{plan['id']}/xlsx")
    assert workbook.status_code == 200
    rows = list(load_workbook(io.BytesIO(workbook.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[2][:2] == ("武汉示例防护用品有限公司", "武汉示例传染病医院") and rows[2][3] == 60
    [line] = maker.get("/api/v1/docking/lines").json()
    assert other_maker.post(f"/api/v1/docking/lines/{line['id']}/ship", json={}).status_code == 403
    shipped = maker.post(f"/docking/lines/{line['id']}/ship", data={"quantity": "60"})
    assert shipped.status_code == 303 and "error" not in shipped.headers["location"]
    received = hospital.post(f"/api/v1/docking/lines/{line['id']}/receive", json={"quantity": 59})
    assert received.status_code == 200 and received.json()["state"] == "received"
    for client, path in ((hubei, f"/docking/plans/{plan['id']}"), (maker, "/docking"), (hospital, "/docking/needs"),
                         (ministry, "/docking/goods")):
        for language in ("zh_CN", "en"):
            page = client.get(path, headers={"accept-language": language.replace("_", "-")})
            assert page.status_code == 200, (path, page.status_code)


def test_the_docking_pages_open_on_the_newest_day_with_reports_or_an_allocation(world):
    """Sprint 10 walk: the hub and the day's report opened on today, an empty day when the producers' reports and the
    allocations (the demo's February 2020 week) lie in the past; they now open on that day and say so; a coordinator
    of another province, with nothing in its region, still sees today."""
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 50, 10, 0, 100))
    hospital, hubei, hunan = (client_for(world, u) for u in ("hospital_user", "hubei", "hunan"))
    assert hospital.post("/api/v1/docking/needs", json=NEED).status_code == 201
    hub = hubei.get("/docking").text
    assert f"· {DAY.isoformat()}</h1>" in hub and f'value="{DAY.isoformat()}"' in hub  # the run form: that day too
    assert 'data-testid="shown-day"' in hub
    assert hubei.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95"}).status_code == 201
    assert 'data-testid="day-plans"' in hubei.get("/docking").text
    day_report = hubei.get("/docking/report").text
    assert DAY.isoformat() in day_report.split("</h1>")[0] and "/docking/plans/" in day_report
    assert DAY.isoformat() not in hunan.get("/docking").text.split("</h1>")[0]
    assert 'data-testid="shown-day"' not in hunan.get("/docking").text


def test_refusals_come_back_to_the_form_in_the_users_language(world):
    hospital = client_for(world, "hospital_user")
    answer = hospital.post("/docking/needs", data={**NEED, "county_code": "999999"})
    assert answer.status_code == 303 and "error=" in answer.headers["location"]
    page = hospital.get(answer.headers["location"])
    assert "没有区县 999999" in page.text
    maker = client_for(world, "maker_user")
    assert maker.post("/docking/goods", data={"code": "x", "category_code": "med", "name_zh": "甲", "name_en": "A",
                                              "unit_zh": "件", "unit_en": "pc"}).status_code == 403
    ministry = client_for(world, "ministry")
    saved = ministry.put("/api/v1/docking/goods/med_gown", json={
        "category_code": "med.protect.suit", "name_zh": "隔离衣", "name_en": "Isolation gown", "unit_zh": "件",
        "unit_en": "pc", "source": "测试"})
    assert saved.status_code == 200 and saved.json()["code"] == "med_gown"
    assert "med_gown" in {g["code"] for g in hospital.get("/api/v1/docking/goods").json()["goods"]}


def test_the_catalogues_sources_are_in_the_pages_language(world):
    """Failed before (lane walk11): each category's source was shown as stored — English with Chinese titles — on
    the Chinese and the English page alike; now the seed's are translated, each labelled "Source"."""
    seed = json.loads(resources.files("chainkeeper.docking").joinpath("data/catalogue.json").read_text("utf-8"))
    assert {item["source"] for item in seed["categories"]} <= set(SEED_SOURCES)
    ministry = client_for(world, "ministry")
    for language, foreign in (("zh_CN", r"[A-Za-z]{3,}(?:[ ,'-]+[A-Za-z]+){2,}"), ("en", r"[\u4e00-\u9fff]")):
        ministry.cookies.set("ck_lang", language)
        sources = re.findall(r'<p class="small muted" data-testid="source">(.*?)</p>', ministry.get("/docking/goods").text)
        assert sources and all(s.startswith(("来源：", "Source: ")) for s in sources), sources
        assert not [s for s in sources if re.search(foreign, s)], (language, sources)
