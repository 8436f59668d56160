"""Policy doors on a real app: API and pages, XLSX import all-or-nothing with cell-named problems, scoping."""

import io

import pytest
from accounts_fixture import PASSWORD, login
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sme.policy_support import build
from sqlalchemy import func, select

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.sme.policies.models import Policy
from chainkeeper.web.app import create_app


@pytest.fixture
def pw(engine):
    login_throttle.reset()
    return build(engine)


def client_for(pw, username, language="zh_CN"):
    client = TestClient(create_app(engine=pw.engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    client.cookies.set("ck_lang", language)
    return client


def workbook(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["编号", "标题", "发文机关", "文号", "适用地区", "适用行业", "企业规模", "企业标签", "其他条件", "生效日期", "截止日期",
          "支持内容"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _count(pw):
    with unit_of_work(pw.engine) as session:
        return session.scalar(select(func.count()).select_from(Policy))


def test_import_is_all_or_nothing_and_names_the_cells(pw):
    client = client_for(pw, pw.world.users["province"], language="en")  # Jiangsu
    bad = workbook([HEADER,
                    ["JS-1", "苏州技改补贴", "苏州市（示例）", "", "3205", "C", "小型,微型", "", "rd_ratio_pct>=3",
                     "2026-01-01", "2027-12-31", "补贴"],
                    ["JS-2", "杭州补贴", "杭州（示例）", "", "3301", "C", "huge", "", "height>2", "2026-13-01", "", "x"]])
    answer = client.post("/api/v1/sme/policies/import", files={"file": ("p.xlsx", bad, XLSX)})
    assert answer.status_code == 422
    messages = [d["message"] for d in answer.json()["error"]["details"]]
    assert messages[0] == "G3: huge 不是企业规模（大型、中型、小型、微型）"  # the API speaks the user's language
    assert any(m.startswith("I3: ") for m in messages) and any(m.startswith("J3: ") for m in messages)
    assert _count(pw) == 4  # nothing stored, not even the good row
    good = workbook([HEADER, ["JS-1", "苏州技改补贴", "苏州市（示例）", "", "3205", "C", "小型,微型", "专精特新",
                              "rd_ratio_pct>=3", "2026-01-01", "2027-12-31", "补贴"]])
    answer = client.post("/api/v1/sme/policies/import", files={"file": ("p.xlsx", good, XLSX)})
    assert answer.status_code == 200 and answer.json() == {"created": 1, "updated": 0}
    stored = client.get("/api/v1/sme/policies", params={"q": "苏州技改"}).json()
    assert [(p["code"], p["size_classes"], p["labels_any"]) for p in stored] == [("JS-1", ["small", "micro"],
                                                                                  ["specialized"])]
    outside = workbook([HEADER, ["ZJ-9", "浙江", "浙江", "", "33", "", "", "", "", "", "", ""]])
    refused = client.post("/api/v1/sme/policies/import", files={"file": ("p.xlsx", outside, XLSX)})
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["message"].startswith("E2: ")


def test_import_page_lists_problems_in_chinese(pw):
    client = client_for(pw, pw.world.users["ministry"])
    bad = workbook([HEADER, ["", "标题", "机关", "", "32", "XX", "", "", "", "", "", ""]])
    page = client.post("/sme/policies/import", files={"file": ("p.xlsx", bad, XLSX)})
    assert page.status_code == 422 and "A2: " in page.text and "不是 GB/T 4754-2017 行业代码" in page.text


def test_enterprise_sees_its_matches_and_near_misses_on_the_page_and_api(pw):
    client = client_for(pw, pw.world.users["enterprise"])
    page = client.get("/sme/policies")
    assert page.status_code == 200
    assert 'data-testid="qualified"' in page.text and "小微企业研发费用补贴" in page.text
    assert "需具备以下标签之一" in page.text  # the near miss says what is missing
    api = client.get("/api/v1/sme/policies/matches").json()
    assert [e["policy"]["code"] for e in api["qualified"]] == ["N-SMALL"]
    assert client.get("/api/v1/sme/policies/matches", params={"enterprise_id": pw.ningbo_id}).status_code == 404
    saved = client.put(f"/api/v1/sme/policies/profile/{pw.kunshan_id}",
                       json={"facts": {"rd_ratio_pct": 5}, "extra_labels": ["high_tech"]})
    assert saved.status_code == 200, saved.text
    assert client.put(f"/api/v1/sme/policies/profile/{pw.ningbo_id}", json={}).status_code == 404
    profile = client.post("/sme/policies/profile", data={"enterprise_id": str(pw.kunshan_id), "rd_ratio_pct": "lots"})
    assert profile.status_code == 303 and "error=" in profile.headers["location"]
    detail = client.get(f"/sme/policies/{pw.policies['JS-RD']}")
    assert 'data-testid="fares"' in detail.text and "研发费用占营业收入 5%" in detail.text


def test_subscription_through_the_doors(pw):
    client = client_for(pw, pw.world.users["enterprise"])
    assert client.put("/api/v1/sme/policies/subscription", json={"on": True}).json()["subscribed"] is True
    ministry = client_for(pw, pw.world.users["ministry"])
    created = ministry.post("/api/v1/sme/policies", json={"code": "N-ALL", "title": "全国中小企业服务月活动",
                                                           "issuer": "示例", "size_classes": ["medium"]})
    assert created.status_code == 201, created.text
    notices = client.get("/api/v1/sme/policies/subscription").json()["notices"]
    assert [p["code"] for p in notices] == ["N-ALL"]
    assert client.post("/sme/policies/subscription", data={"on": "0"}).status_code == 303
    assert client.get("/api/v1/sme/policies/subscription").json()["subscribed"] is False


def test_editor_form_names_the_field_and_a_province_cannot_touch_another_region(pw):
    jiangsu = client_for(pw, pw.world.users["province"], language="en")
    form = {"code": "JS-F", "title": "苏州", "issuer": "苏州", "region_scope": "3205", "valid_from": "2026-02-30"}
    page = jiangsu.post("/sme/policies", data=form)
    assert page.status_code == 422 and 'id="problem-valid_from"' in page.text and "a date reads YYYY-MM-DD" in page.text
    form["valid_from"] = "2026-02-01"
    assert jiangsu.post("/sme/policies", data=form).status_code == 303
    zj = pw.policies["ZJ-ANY"]
    changed = jiangsu.put(f"/api/v1/sme/policies/{zj}", json={"code": "ZJ-ANY", "title": "改", "issuer": "x",
                                                             "region_scope": "33"})
    assert changed.status_code == 403
    assert "policy-form" not in jiangsu.get(f"/sme/policies/{zj}").text
    assert "policy-form" in jiangsu.get(f"/sme/policies/{pw.policies['JS-RD']}").text


def test_profile_page_shows_and_saves(pw):
    client = client_for(pw, pw.world.users["enterprise"])
    page = client.get("/sme/policies/profile")
    assert page.status_code == 200 and 'data-testid="profile-form"' in page.text
    saved = client.post("/sme/policies/profile", data={"enterprise_id": str(pw.kunshan_id), "rd_ratio_pct": "4",
                                                        "founded_on": "2016-05-18", "extra_labels": ["high_tech"]})
    assert saved.status_code == 303 and saved.headers["location"] == "/sme/policies"
    again = client.get("/sme/policies/profile")
    assert 'value="2016-05-18"' in again.text and 'value="high_tech" checked' in again.text
    county = client_for(pw, pw.world.users["county"])
    assert county.get("/sme/policies/profile", params={"enterprise_id": pw.kunshan_id}).status_code == 200
    assert county.get("/sme/policies/profile", params={"enterprise_id": pw.ningbo_id}).status_code == 404
