"""The REST API: an application from draft to published, recognition, adjustments, export, notifications."""

import csv
import io

import pytest
from accounts_fixture import login
from fastapi.testclient import TestClient
from json_documents import count_validations, model_bytes
from sqlalchemy import func, select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app

API = "/api/v1/whitelist"


@pytest.fixture
def clients(engine, setup):
    """One signed-in client per role (name → (client, headers))."""
    login_throttle.reset()
    app = create_app(engine=engine)
    made = {}
    for role in ("enterprise", "county", "city", "province", "ministry", "analyst", "admin"):
        client = TestClient(app)
        made[role] = (client, {"x-csrf-token": login(client, setup.world.users[role])})
    return made


def call(clients, role, method, path, expect=200, **kwargs):
    client, headers = clients[role]
    response = client.request(method, API + path, headers=headers, **kwargs)
    assert response.status_code == expect, response.text
    return response.json() if response.headers.get("content-type", "").startswith("application/json") else response


def _published(clients) -> dict:
    white_list = call(clients, "province", "POST", "/lists", 201,
                      json={"name": "江苏白名单", "scope_code": "32", "categories": ["strategic", "medical"]})
    draft = call(clients, "enterprise", "POST", "/applications", 201, json={
        "list_id": white_list["id"], "category": "strategic", "chain_code": "auto", "reason": "关键线束",
        "on_site_staff": 80, "staff_list": "张三", "pledge_accepted": True})
    call(clients, "enterprise", "POST", f"/applications/{draft['id']}/actions", 422, json={"action": "submit"})
    call(clients, "enterprise", "POST", f"/applications/{draft['id']}/plan",
         files={"file": ("预案.pdf", b"%PDF-1.4 plan", "application/pdf")})
    call(clients, "enterprise", "POST", f"/applications/{draft['id']}/actions", json={"action": "submit"})
    call(clients, "province", "POST", f"/applications/{draft['id']}/actions", 403, json={"action": "pass_local"})
    call(clients, "county", "POST", f"/applications/{draft['id']}/actions", json={"action": "pass_local"})
    call(clients, "province", "POST", f"/applications/{draft['id']}/actions", json={"action": "approve"})
    batch = call(clients, "province", "POST", f"/lists/{white_list['id']}/batches", 201,
                 json={"application_ids": [draft["id"]], "published_on": "2022-04-20"})
    application = call(clients, "enterprise", "GET", f"/applications/{draft['id']}")
    return {"list": white_list, "batch": batch, "application": application}


def test_application_walk_through_the_api(engine, setup, clients):
    with unit_of_work(engine) as session:
        start = session.scalar(select(func.max(AuditEvent.seq))) or 0
    done = _published(clients)
    assert done["batch"]["number"] == 1 and done["application"]["state"] == "published"
    entry = call(clients, "analyst", "GET", f"/entries/{done['application']['entry_id']}",
                 params={"as_of": "2022-04-20"})
    assert entry["status_as_of"] == "active" and entry["credential_id"] is not None
    notes = call(clients, "enterprise", "GET", "/notifications")
    assert len(notes) == 4 and "第 1 批" in notes[0]["text"]
    plan = call(clients, "analyst", "GET", f"/applications/{done['application']['id']}/plan")
    assert plan.content == b"%PDF-1.4 plan" and "attachment" in plan.headers["content-disposition"]
    with unit_of_work(engine) as session:
        actions = set(session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "wl_application", AuditEvent.seq > start,
            AuditEvent.object_id == str(done["application"]["id"]))))
    assert actions == {"whitelist.application.create", "whitelist.application.update", "whitelist.application.submit",
                       "whitelist.application.pass_local", "whitelist.application.approve",
                       "whitelist.application.publish"}


def test_recognition_adjustment_and_export(engine, setup, clients):
    done = _published(clients)
    uscc, entry_id = setup.world.kunshan["uscc"], done["application"]["entry_id"]
    params = {"uscc": uscc, "region": "310115", "date": "2022-04-21"}
    assert call(clients, "county", "GET", "/recognition", params=params)["recognized"] is False
    call(clients, "province", "POST", "/agreements", 403, json={})
    call(clients, "ministry", "POST", "/agreements", 201, json={
        "name": "长三角互认", "regions": ["31", "32", "33", "34"], "categories": ["strategic"],
        "valid_from": "2022-04-01"})
    answer = call(clients, "county", "GET", "/recognition", params=params)
    assert answer["recognized"] and answer["bases"][0]["agreement_name"] == "长三角互认"
    call(clients, "enterprise", "PUT", f"/entries/{entry_id}/resumption", json={"resumption": "fully",
                                                                                "on": "2022-04-22"})
    assert call(clients, "ministry", "GET", "/resumption", params={"date": "2022-04-22"})["rate"] == 1.0
    call(clients, "province", "POST", f"/entries/{entry_id}/status", json={
        "status": "suspended", "effective": "2022-04-25", "reason": "出现阳性病例"})
    assert not call(clients, "county", "GET", "/recognition", params=params | {"date": "2022-04-25"})["recognized"]
    assert call(clients, "county", "GET", "/recognition", params=params)["recognized"]  # as of the 21st: yes
    exported = call(clients, "city", "GET", "/recognized", params={"region": "3101", "date": "2022-04-21"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == uscc
    call(clients, "enterprise", "GET", "/recognized", 403, params={"region": "3101"})


def test_scoping_and_categories(engine, setup, clients):
    done = _published(clients)
    call(clients, "county", "GET", f"/applications/{done['application']['id']}")
    assert call(clients, "enterprise", "GET", "/applications")[0]["id"] == done["application"]["id"]
    call(clients, "admin", "PUT", "/categories/energy", json={"name_zh": "能源保供类", "name_en": "Energy supply"})
    assert "energy" in {c["code"] for c in call(clients, "enterprise", "GET", "/categories")}
    # before: a blank English name passed the schema, was stored trimmed to "" and the answer failed (500)
    refused = call(clients, "admin", "PUT", "/categories/energy", 422, json={"name_zh": "能源", "name_en": " "})
    assert "name_en" in str(refused)
    refused = call(clients, "admin", "PUT", "/categories/energy", 422, json={"name_zh": "\x1f", "name_en": "0"})
    assert "name_zh" in str(refused)  # a control separator alone is blank too (str.strip trims it)
    assert {c["code"]: c["name_en"] for c in call(clients, "admin", "GET", "/categories")}["energy"] == "Energy supply"
    call(clients, "ministry", "PUT", "/categories/energy", 403, json={"name_zh": "x", "name_en": "x"})
    call(clients, "city", "POST", "/lists", 403, json={"name": "浙江", "scope_code": "33", "categories": ["medical"]})


def test_a_list_s_entries_are_read_in_a_fixed_number_of_statements(engine, setup, clients):
    """The entries list asked each entry's status with a statement of its own (and loaded the list with its
    categories and batches): now the list's existence and its entries, whatever their number."""
    from sqlalchemy import event

    done = _published(clients)
    path = f"/lists/{done['list']['id']}/entries"
    call(clients, "analyst", "GET", path)  # the analyst's session is resolved (and remembered) here
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        entries = call(clients, "analyst", "GET", path, params={"as_of": "2022-04-20"})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [(e["id"], e["batch"], e["status_as_of"], e["list_name"]) for e in entries] == [
        (done["application"]["entry_id"], 1, "active", "江苏白名单")]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2, reads


def test_a_list_s_entries_are_made_from_rows_without_models(engine, setup, clients, monkeypatch):
    """The entries are written with orjson from the rows (issue 15): none is validated into a model, and the bytes
    are those of the models."""
    from chainkeeper.whitelist.schemas import EntryOut

    done = _published(clients)
    path = f"{API}/lists/{done['list']['id']}/entries"
    client, _headers = clients["analyst"]
    validations = count_validations(monkeypatch)
    for params in ({}, {"as_of": "2022-04-20"}, {"as_of": "2022-04-19"}, {"all_statuses": "true"}):
        answer = client.get(path, params=params)
        assert answer.status_code == 200 and answer.content == model_bytes(answer.content, list[EntryOut]), params
    assert answer.json()[0]["history"] == [] and validations == []
