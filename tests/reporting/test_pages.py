"""The reporting pages through the real app: the form generated from the type (rows added and removed, errors by
field), the report with its badge, history and correction, the day's status with "remind now", the upload page;
and every door (page, API, workbook) refusing an enterprise outside the caller's scope the same way."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from reporting.support import GOOD, build_world
from reporting.web_support import client_for, workbook

from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import service
from chainkeeper.reporting.scope import local_date

TYPE = "example_daily"


@pytest.fixture
def world(sqlite_engine):
    return build_world(sqlite_engine)


def today() -> str:
    return local_date(datetime.now(timezone.utc)).isoformat()


def form(client, **fields) -> dict:
    return {"csrf_token": client.csrf, "day": today(), **fields}


def test_fill_the_form_with_rows_errors_then_a_badge_and_a_correction(world):
    firm = client_for(world, "kunshan_user")
    page = firm.get(f"/reports/{TYPE}/fill")
    assert page.status_code == 200 and 'name="t.stock.0.item"' in page.text and 'name="f.output"' in page.text
    more = firm.post(f"/reports/{TYPE}/fill", data=form(firm, **{"f.output": "5", "t.stock.0.item": "芯片",
                                                                  "action": "add:stock"}))
    assert more.status_code == 200 and 'name="t.stock.1.item"' in more.text and 'value="芯片"' in more.text
    bad = firm.post(f"/reports/{TYPE}/fill", data=form(firm, **{
        "f.output": "many", "t.stock.0.item": "芯片", "t.stock.0.days": "-2", "t.stock.1.item": "",
        "action": "submit"}))
    assert bad.status_code == 422
    assert "请填写整数" in bad.text and "不能小于 0" in bad.text and 'id="t-stock-0-days-error"' in bad.text
    good = firm.post(f"/reports/{TYPE}/fill", data=form(firm, **{
        "f.output": "120", "f.status": "normal", "t.stock.0.item": "芯片", "t.stock.0.days": "4",
        "action": "submit"}))
    assert good.status_code == 303, good.text
    report_page = firm.get(good.headers["location"])
    assert "报表已保存" in report_page.text and ("按时" in report_page.text or "迟报" in report_page.text)
    report_id = int(good.headers["location"].split("/")[-1].split("?")[0])
    no_reason = firm.post(f"/reports/entry/{report_id}/correct", data={
        "csrf_token": firm.csrf, "version": "1", "f.output": "100", "action": "submit"})
    assert no_reason.status_code == 422 and "请填写更正原因" in no_reason.text
    corrected = firm.post(f"/reports/entry/{report_id}/correct", data={
        "csrf_token": firm.csrf, "version": "1", "f.output": "100", "reason": "重新统计", "action": "submit"})
    assert corrected.status_code == 303
    history = firm.get(f"/reports/entry/{report_id}").text
    assert "重新统计" in history and "版本 2" in history and "版本 1" in history


def test_the_status_page_and_remind_now(world):
    jiangsu = client_for(world, "jiangsu")
    page = jiangsu.get(f"/reports/{TYPE}/status")
    assert page.status_code == 200
    names = [world.ids[k] for k in ("kunshan", "suzhou")]
    with unit_of_work(world.engine) as session:
        firms = [session.get(Enterprise, i).name for i in names]
        shanghai = session.get(Enterprise, world.ids["shanghai"]).name
    assert all(name in page.text for name in firms) and shanghai not in page.text
    answer = jiangsu.post(f"/reports/{TYPE}/remind", data={"csrf_token": jiangsu.csrf})
    assert answer.status_code == 303 and "reminded=2" in answer.headers["location"]
    assert client_for(world, "kunshan_user").get(f"/reports/{TYPE}/status").status_code == 403
    menu = client_for(world, "kunshan_user").get("/reports").text
    assert 'href="/reports"' in menu and f"/reports/{TYPE}/fill" in menu
    assert 'href="/reports"' not in client_for(world, "admin").get("/account").text


REFUSAL = "您只能为本企业或本地区企业报送"


def test_every_door_refuses_an_enterprise_outside_the_scope_the_same_way(world):
    """Jiangsu's authority and the Kunshan firm's user try to report for the Shanghai firm through each door."""
    target = world.ids["shanghai"]
    with unit_of_work(world.engine) as session:
        uscc = session.get(Enterprise, target).uscc
    for who in ("jiangsu", "kunshan_user"):
        client = client_for(world, who)
        page = client.get(f"/reports/{TYPE}/fill?enterprise_id={target}")
        assert page.status_code == 403, (who, page.status_code)
        posted = client.post(f"/reports/{TYPE}/fill", data=form(client, enterprise_id=str(target),
                                                                **{"f.output": "1", "action": "submit"}))
        assert posted.status_code in (403, 422) and REFUSAL in posted.text or posted.status_code == 403, who
        api = client.post(f"/api/v1/reports/types/{TYPE}/reports",
                          json={"enterprise_id": target, "report_date": today(), "values": GOOD})
        assert api.status_code == 403 and f"(enterprise {target})" in api.json()["error"]["message"], who
        data = workbook({"报表": [["统一社会信用代码", "产量"], [uscc, 1]]})
        upload = client.post(f"/reports/{TYPE}/upload", data={"csrf_token": client.csrf, "day": today()},
                             files={"file": ("r.xlsx", data)})
        assert upload.status_code == 422 and REFUSAL in upload.text, who
        api_upload = client.post(f"/api/v1/reports/types/{TYPE}/upload?day={today()}",
                                 files={"file": ("r.xlsx", data)})
        assert api_upload.status_code == 422, who
        assert f"(enterprise {target})" in api_upload.json()["error"]["details"][0]["message"] or \
            REFUSAL in api_upload.json()["error"]["details"][0]["message"], who
    with unit_of_work(world.engine) as session:
        assert service.list_reports(session=session, caller=world.caller("ministry"), type_code=TYPE,
                                    start=local_date(datetime.now(timezone.utc)),
                                    end=local_date(datetime.now(timezone.utc))) == []


def test_the_pages_of_today_point_to_the_latest_day_with_reports(world):
    """Failed before (lane walk11): /reports and the status open on today (right for "who has not reported") and
    said nothing of the latest reports — the demo's are from April 2022, so every page looked empty."""
    firm = client_for(world, "kunshan_user")
    past = (local_date(datetime.now(timezone.utc)) - timedelta(days=3)).isoformat()
    assert "latest" not in firm.get("/reports").text.split("rp-types")[1]  # no report yet: nothing to point to
    sent = firm.post(f"/reports/{TYPE}/fill", data=form(firm, day=past, **{"f.output": "120", "f.status": "normal",
                                                                          "action": "submit"}))
    assert sent.status_code == 303, sent.text
    own = firm.get("/reports").text
    assert f"最近一次报送为 {past}" in own and f'href="/reports/{TYPE}/fill?day={past}"' in own
    jiangsu = client_for(world, "jiangsu")
    assert f'href="/reports/{TYPE}/status?day={past}"' in jiangsu.get("/reports").text
    status = jiangsu.get(f"/reports/{TYPE}/status").text
    assert f'data-testid="latest">当日尚无报送；最近一次报送为 {past}' in status and f'href="?day={past}"' in status
    assert 'data-testid="latest"' not in jiangsu.get(f"/reports/{TYPE}/status?day={past}").text
