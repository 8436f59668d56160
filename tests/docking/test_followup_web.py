"""The docking pages after this lane's fixes (real app, real database): the ministry edits its national draft, a
degenerate day says why and what to do, a coordinator cancels and reopens lines from the plan page, and the day's
allocation comes out as the daily report (page and workbook, states in the reader's language)."""

import io

import pytest
from accounts_fixture import login
from docking.support import DAY, PASSWORD, build_world, report
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app

NEED = {"good_code": "med_n95", "quantity": 80, "date_needed": DAY.isoformat(), "priority": 1,
        "county_code": "420105", "contact_name": "王医生", "contact_phone": "027-88880000"}


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def client_for(world, username, language="zh-CN"):
    client = TestClient(create_app(engine=world.engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    client.cookies.set("ck_lang", language.replace("-", "_"))
    return client


def _approved_need(world):
    hospital, hubei = client_for(world, "hospital_user"), client_for(world, "hubei")
    need_id = hospital.post("/api/v1/docking/needs", json=NEED).json()["id"]
    assert hubei.post(f"/api/v1/docking/needs/{need_id}/review", json={"approve": True}).status_code == 200
    return need_id


def test_the_ministry_may_publish_and_fix_its_national_draft_on_the_page(world):
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 50, 10, 0, 100))
    _approved_need(world)
    ministry = client_for(world, "ministry")
    plan = ministry.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95"}).json()
    page = ministry.get(f"/docking/plans/{plan['id']}")
    assert 'data-testid="publish"' in page.text and f'data-testid="fix-{plan["lines"][0]["id"]}"' in page.text
    english = client_for(world, "ministry", "en").get(f"/docking/plans/{plan['id']}").text  # the walk saw cells
    assert '<span class="tag">Draft</span>' in english  # open lower
    assert '<p data-testid="plan-status">Optimal: ' in english  # case
    hub = client_for(world, "ministry", "en").get(f"/docking?day={DAY.isoformat()}").text
    assert ">National</td>" in hub and ">Draft</td>" in hub


def test_the_needs_page_names_states_with_a_capital_in_english(world):
    """The walk saw the state filters and cells of the needs page in English read 'submitted', 'approved'."""
    _approved_need(world)
    page = client_for(world, "hubei", "en").get("/docking/needs?state=approved").text
    assert ">Submitted</a>" in page and 'aria-current="page">Approved</a>' in page and ">Approved</td>" in page


def test_one_nearer_producer_is_named_in_the_singular():
    """The walk read 'the 1 nearer producers had no stock left' on a plan page."""
    from chainkeeper.docking.explain import reason_text

    one, two = ({"code": "nearer_exhausted", "params": {"count": n, "producers": [1]}} for n in (1, 2))
    assert reason_text(one, "en") == "the one nearer producer had no stock left"
    assert reason_text(two, "en") == "the 2 nearer producers had no stock left"
    assert reason_text(one, "zh_CN") == "更近的 1 家企业已无库存"


def test_a_day_without_stock_says_why_and_what_to_do(world):
    _approved_need(world)
    hubei = client_for(world, "hubei")
    answer = hubei.post("/docking/plans", data={"day": DAY.isoformat(), "good_code": "med_n95"})
    page = hubei.get(answer.headers["location"])
    assert 'class="alert warn"' in page.text and "今日没有企业有该物资的库存" in page.text
    assert "请生产企业报送当日数据" in page.text
    english = client_for(world, "hubei", "en").get(answer.headers["location"])
    assert "Ask the producers to report today" in english.text


def test_a_coordinator_cancels_and_reopens_lines_from_the_plan_page(world):
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 50, 10, 0, 100))
    need_id = _approved_need(world)
    hubei, maker = client_for(world, "hubei"), client_for(world, "maker_user")
    plan = hubei.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95"}).json()
    hubei.post(f"/docking/plans/{plan['id']}/publish")
    line_id = plan["lines"][0]["id"]
    assert f'data-testid="cancel-{line_id}"' in hubei.get(f"/docking/plans/{plan['id']}").text
    refused = hubei.post(f"/docking/lines/{line_id}/cancel", data={"reason": " ", "plan_id": plan["id"]})
    assert "error=" in refused.headers["location"]
    assert maker.post(f"/api/v1/docking/lines/{line_id}/cancel", json={"reason": "x"}).status_code == 403
    done = hubei.post(f"/docking/lines/{line_id}/cancel", data={"reason": "道路封闭", "plan_id": plan["id"]})
    assert done.headers["location"] == f"/docking/plans/{plan['id']}"
    page = hubei.get(done.headers["location"]).text
    assert "已取消" in page and "道路封闭" in page
    needs = hubei.get("/api/v1/docking/needs").json()
    assert [n["open_quantity"] for n in needs if n["id"] == need_id] == [80]


def test_the_days_allocation_is_the_daily_report(world):
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 50, 10, 0, 100))
    _approved_need(world)
    hubei = client_for(world, "hubei")
    plan = hubei.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95"}).json()
    hubei.post(f"/docking/plans/{plan['id']}/publish")
    page = hubei.get(f"/docking/report?day={DAY.isoformat()}")
    assert page.status_code == 200 and "N95" in page.text and "已发布" in page.text
    workbook = hubei.get(f"/api/v1/docking/days/{DAY.isoformat()}/xlsx")
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(workbook.content))
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[2][2] == "已发布" and summary[2][4] == 80 and summary[2][5] == 60 and summary[2][11] == 20
    lines = list(book.worksheets[1].iter_rows(values_only=True))
    assert lines[1][1:6] == ("武汉示例防护用品有限公司", "武汉示例传染病医院", "1 一线救治", 60, "已发布")
    assert client_for(world, "maker_user").get(f"/api/v1/docking/days/{DAY.isoformat()}/xlsx").status_code == 403
    single = load_workbook(io.BytesIO(hubei.get(f"/api/v1/docking/plans/{plan['id']}/xlsx").content))
    rows = list(single.worksheets[0].iter_rows(values_only=True))
    assert "已发布" in rows[0][0] and rows[2][-1] == "已发布"  # states in words, not codes
