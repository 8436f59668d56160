"""The arrears doors on a real app — API, pages and the ledger export — each refusing what the caller may not see:
an SME files and sees its own; the debtor nothing before acceptance; another province nothing; the interest
calculator in the API; statistics and the CSV scoped; typical cases without names or phone numbers."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from accounts_fixture import login
from fastapi.testclient import TestClient
from sme.arrears.support import FIRMS, PASSWORD, build_world

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def client_for(world, username):
    client = TestClient(create_app(engine=world.engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    return client


def body(world, **changes):
    base = {"debtor_name": FIRMS["debtor"][0], "debtor_type": "state_owned", "debtor_level": "local",
            "debtor_region_code": "320505", "debtor_enterprise_id": world.ids["debtor"], "contract_no": "HT-1",
            "signed_on": "2025-04-17", "amount": "120000.00", "delivered_on": "2025-05-10",
            "delivered_what": "精密冲压件", "consent_publish": True}
    return base | changes


def test_file_accept_transfer_answer_through_the_api(world):
    sme, jiangsu, shanghai, debtor = (client_for(world, u) for u in ("sme_user", "jiangsu", "shanghai", "debtor_user"))
    checked = sme.post("/api/v1/sme/arrears/check", json=body(world, delivered_on=date.today().isoformat()))
    assert checked.status_code == 200 and not checked.json()["eligible"]
    assert any("付款期限" in r["text"] for r in checked.json()["reasons"] if not r["ok"])  # zh-CN by default
    filed = sme.post("/api/v1/sme/arrears", json=body(world))
    assert filed.status_code == 201, filed.text
    cid = filed.json()["id"]
    assert filed.json()["handling_region_code"] == "32"
    assert debtor.get(f"/api/v1/sme/arrears/{cid}").status_code == 404  # not before acceptance
    assert debtor.get("/api/v1/sme/arrears").json() == []
    assert shanghai.get(f"/api/v1/sme/arrears/{cid}").status_code == 404
    assert shanghai.post(f"/api/v1/sme/arrears/{cid}/steps", json={"action": "accept"}).status_code == 404
    assert jiangsu.post(f"/api/v1/sme/arrears/{cid}/steps", json={"action": "accept"}).json()["state"] == "accepted"
    moved = jiangsu.post(f"/api/v1/sme/arrears/{cid}/steps", json={"action": "transfer", "text": "苏州市工信局"})
    assert moved.json()["state"] == "transferred"
    assert debtor.get(f"/api/v1/sme/arrears/{cid}").json()["actions"] == ["answer", "pay"]
    debtor.cookies.set("ck_lang", "en")
    page = debtor.get(f"/sme/arrears/{cid}").text  # the walk saw 'Accepted by 32 → …' and 'the creditor is …'
    assert '<span translate="no">江苏省</span> → <span translate="no">苏州市工信局</span>' in page
    assert "<li>The creditor is an SME" in page and "<li>the " not in page
    debtor.cookies.set("ck_lang", "zh_CN")
    answered = debtor.post(f"/api/v1/sme/arrears/{cid}/steps", json={"action": "answer", "text": "月底前付清"})
    assert answered.json()["state"] == "answered"
    interest = sme.get(f"/api/v1/sme/arrears/{cid}/interest?until=2025-08-08")  # due 2025-07-09: 30 days x 60
    assert interest.json()["amount"] == "1800.00" and interest.json()["basis"] == "statutory"


def test_the_calculator_door(world):
    sme = client_for(world, "sme_user")
    result = sme.post("/api/v1/sme/arrears/interest", json={"amount": "100000", "due_on": "2024-03-31",
                                                            "until": "2024-05-30", "agreed_rate": "3",
                                                            "signed_on": "2024-01-10"})
    assert result.json()["amount"] == "567.12" and "3.45" in result.json()["explanation"]


def test_pages_and_export_are_scoped(world):
    sme, jiangsu, shanghai, other = (client_for(world, u) for u in ("sme_user", "jiangsu", "shanghai", "other_sme"))
    cid = sme.post("/api/v1/sme/arrears", json=body(world)).json()["id"]
    page = sme.get(f"/sme/arrears/{cid}")
    assert page.status_code == 200 and FIRMS["debtor"][0] in page.text
    assert other.get(f"/sme/arrears/{cid}").status_code == 404
    assert FIRMS["debtor"][0] not in other.get("/sme/arrears").text
    assert str(cid) in jiangsu.get("/sme/arrears/ledger.csv").text.splitlines()[1]
    assert len(shanghai.get("/sme/arrears/ledger.csv").text.splitlines()) == 1  # the header only
    assert len(shanghai.get("/api/v1/sme/arrears/ledger.csv").text.splitlines()) == 1
    assert shanghai.get("/api/v1/sme/arrears/statistics?by=region").json() == []
    stats = jiangsu.get("/api/v1/sme/arrears/statistics?by=region").json()
    assert stats == [{"key": "32", "complaints": 1, "owed": "120000.00", "cleared": "0.00", "cleared_count": 0,
                      "overdue": 0}]
    assert sme.get("/sme/arrears/statistics").status_code == 403  # enterprises: their own list only


def test_a_form_filed_on_the_page_and_a_refusal_with_reasons(world):
    sme = client_for(world, "sme_user")
    form = {k: str(v) for k, v in body(world).items() if k != "consent_publish"}
    refused = sme.post("/sme/arrears/new", data=form | {"delivered_on": date.today().isoformat()})
    assert refused.status_code == 422 and "尚未届满" in refused.text  # the reason shown on the form, as typed
    assert f'name="debtor_region_code" required maxlength="6" pattern="[0-9]{{6}}" inputmode="numeric" ' \
           f'value="{form["debtor_region_code"]}"' in refused.text
    filed = sme.post("/sme/arrears/new", data=form)
    assert filed.status_code == 303 and filed.headers["location"].startswith("/sme/arrears/")
    english = client_for(world, "sme_user")
    english.cookies.set("ck_lang", "en")
    page = english.get(filed.headers["location"])
    assert "Awaiting acceptance" in page.text and "payment deadline 2025-07-09 has passed" in page.text


def test_typical_case_without_personal_data(world):
    sme, jiangsu = client_for(world, "sme_user"), client_for(world, "jiangsu")
    cid = sme.post("/api/v1/sme/arrears", json=body(world)).json()["id"]
    summary = f"{FIRMS['supplier'][0]}（联系人张伟，13912345678）投诉{FIRMS['debtor'][0]}拖欠12万元，已于两周内结清。"
    assert jiangsu.post(f"/api/v1/sme/arrears/{cid}/publish", json={"summary": summary}).status_code == 422  # open
    jiangsu.post(f"/api/v1/sme/arrears/{cid}/steps", json={"action": "reject", "reason": "双方已和解"})
    published = jiangsu.post(f"/api/v1/sme/arrears/{cid}/publish", json={"summary": summary})
    assert published.status_code == 200, published.text
    text = published.json()["summary"]
    assert FIRMS["supplier"][0] not in text and FIRMS["debtor"][0] not in text
    assert "13912345678" not in text and "张伟" not in text and "某企业" in text
    assert client_for(world, "other_sme").get("/api/v1/sme/arrears/cases").json()[0]["summary"] == text


def test_a_bad_filter_is_a_clear_error(world):
    answer = client_for(world, "sme_user").get("/api/v1/sme/arrears?state=lost")
    assert answer.status_code == 422 and answer.json()["error"]["details"][0]["field"] == "state"


@pytest.mark.parametrize("path", ["/sme/arrears", "/sme/arrears/new", "/sme/arrears/cases"])
def test_the_sme_pages_render(world, path):
    page = client_for(world, "sme_user").get(path)
    assert page.status_code == 200 and "<title>" in page.text


def test_statistics_name_the_province_and_the_sector(world):
    client_for(world, "sme_user").post("/api/v1/sme/arrears", json=body(world))
    page = client_for(world, "jiangsu").get("/sme/arrears/statistics")
    assert page.status_code == 200 and "江苏省" in page.text and "工业" in page.text
