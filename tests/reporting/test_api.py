"""The reporting API through the real app: define, assign, submit, correct with history, status, list; and the
refusals of out-of-scope callers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from reporting.support import EXAMPLE_FIELDS, GOOD, build_world
from reporting.web_support import client_for

from chainkeeper.reporting.scope import local_date

TYPE = "example_daily"


@pytest.fixture
def world(engine):
    return build_world(engine)


def today():
    return local_date(datetime.now(timezone.utc)).isoformat()


def test_define_assign_submit_correct_and_read_history(world):
    ministry = client_for(world, "ministry")
    body = {"name_zh": "产能日报", "name_en": "Capacity daily", "fields": EXAMPLE_FIELDS[:2], "cutoff_local": "16:00"}
    answer = ministry.put("/api/v1/reports/types/capacity_daily", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 1 and answer.json()["owner_region"] == ""
    jiangsu = client_for(world, "jiangsu")
    answer = jiangsu.post("/api/v1/reports/types/capacity_daily/assignments",
                          json={"enterprise_ids": [world.ids["kunshan"]], "group_name": "重点组",
                                "since": "2022-04-01"})
    assert answer.status_code == 201, answer.text
    firm = client_for(world, "kunshan_user")
    assert [t["code"] for t in firm.get("/api/v1/reports/types").json()] == ["capacity_daily", TYPE]
    answer = firm.post("/api/v1/reports/types/capacity_daily/reports",
                       json={"report_date": today(), "values": {"output": 7, "value": "1.5"}})
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert (report["version"], report["values"], report["on_behalf"]) == (1, {"output": 7, "value": 1.5}, False)
    answer = firm.post(f"/api/v1/reports/{report['id']}/corrections",
                       json={"values": {"output": 8}, "reason": "漏报一批", "version": 1})
    assert answer.status_code == 200, answer.text
    assert [(h["version"], h["values"]["output"], h["reason"]) for h in answer.json()["history"]] == [
        (1, 7, ""), (2, 8, "漏报一批")]
    stale = firm.post(f"/api/v1/reports/{report['id']}/corrections",
                      json={"values": {"output": 9}, "reason": "again", "version": 1})
    assert stale.status_code == 409
    status = jiangsu.get("/api/v1/reports/types/capacity_daily/status").json()
    assert [(row["enterprise_id"], row["version"], row["group_name"]) for row in status] == [
        (world.ids["kunshan"], 2, "重点组")]
    listed = jiangsu.get("/api/v1/reports/types/capacity_daily/reports").json()
    assert [r["values"]["output"] for r in listed] == [8]


def test_bad_values_are_a_422_naming_each_field(world):
    firm = client_for(world, "kunshan_user")
    answer = firm.post(f"/api/v1/reports/types/{TYPE}/reports", json={
        "report_date": today(), "values": GOOD | {"output": "many", "stock": [{"item": "芯片", "days": -1}]}})
    assert answer.status_code == 422
    assert [(d["field"], d["message"]) for d in answer.json()["error"]["details"]] == [
        ("output", "enter a whole number"), ("stock[0].days", "at least 0")]


def test_out_of_scope_callers_are_refused(world):
    shanghai_firm = client_for(world, "shanghai_user")
    jiangsu = client_for(world, "jiangsu")
    firm = client_for(world, "kunshan_user")
    report = firm.post(f"/api/v1/reports/types/{TYPE}/reports", json={"report_date": today(), "values": GOOD}).json()
    other = shanghai_firm.post(f"/api/v1/reports/types/{TYPE}/reports",
                               json={"enterprise_id": world.ids["kunshan"], "report_date": today(), "values": GOOD})
    assert other.status_code == 403
    assert shanghai_firm.get(f"/api/v1/reports/{report['id']}").status_code == 404
    assert shanghai_firm.post(f"/api/v1/reports/{report['id']}/corrections",
                              json={"values": GOOD, "reason": "x"}).status_code == 404
    assert jiangsu.post(f"/api/v1/reports/types/{TYPE}/reports", json={
        "enterprise_id": world.ids["shanghai"], "report_date": today(), "values": GOOD}).status_code == 403
    assert jiangsu.post(f"/api/v1/reports/types/{TYPE}/assignments",
                        json={"enterprise_ids": [world.ids["shanghai"]]}).status_code == 403
    own = [row["enterprise_id"] for row in shanghai_firm.get(f"/api/v1/reports/types/{TYPE}/status").json()]
    assert own == [world.ids["shanghai"]]
    assert shanghai_firm.get(f"/api/v1/reports/types/{TYPE}/reports").json() == []
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=2)).date().isoformat()
    assert firm.post(f"/api/v1/reports/types/{TYPE}/reports", json={
        "report_date": tomorrow, "values": GOOD}).status_code == 422
