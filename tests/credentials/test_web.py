"""The REST API and the pages of credentials and passes, on both databases."""

from __future__ import annotations

import re

import zxingcpp
from accounts_fixture import login
from credentials.support import ACTOR, actions_since, audit_mark, decode_png
from fastapi.testclient import TestClient
from web.pages.page_support import sign_in

from chainkeeper.credentials import issue_certificate
from chainkeeper.credentials.service import local_today
from chainkeeper.db import unit_of_work
from chainkeeper.registry.service import get_enterprise
from chainkeeper.web.app import create_app



def _client(engine) -> TestClient:
    return TestClient(create_app(engine=engine), follow_redirects=False)


def _pass_body(**overrides) -> dict:
    today = local_today()
    return {"goods_category": "汽车座椅", "origin_code": "320583", "destination_code": "220104",
            "route": "G2 → G25 → G1", "plate": "苏E12345D", "valid_from": today.isoformat(),
            "valid_until": today.isoformat(), "crew": [{"name": "王建国", "phone": "13912345678"}]} | overrides


def _apply_and_approve(engine, world) -> dict:
    applicant = _client(engine)
    headers = {"x-csrf-token": login(applicant, world.users["enterprise"])}
    created = applicant.post("/api/v1/passes", json=_pass_body(), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending"
    reviewer = _client(engine)
    headers = {"x-csrf-token": login(reviewer, world.users["county"])}
    approved = reviewer.post(f"/api/v1/passes/{created.json()['id']}/approve", headers=headers)
    assert approved.status_code == 200, approved.text
    return approved.json()


def test_api_pass_flow_and_public_verification(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        mark = audit_mark(session)
    approved = _apply_and_approve(engine, world)
    assert approved["status"] == "approved" and approved["pass_number"] == "320583000001"
    anonymous = _client(engine)
    verdict = anonymous.post("/api/v1/verify", json={"payload": approved["payload"]}).json()
    assert verdict["status"] == "valid" and verdict["claims"]["number"] == "320583000001"
    assert anonymous.post("/api/v1/verify", json={"payload": approved["payload"][:-3] + "AAA"}).json()["status"] \
        == "forged"
    keys = anonymous.get("/api/v1/credentials/keys").json()
    assert [k["key_id"] for k in keys] == [approved["payload"].split(".")[1]]
    assert "PRIVATE" not in str(keys)
    with unit_of_work(engine) as session:
        assert actions_since(session, mark, "vehicle_pass", approved["id"]) == ["pass.apply", "pass.approve"]


def test_api_duplicate_and_plate_refused(engine, world, keys_dir):
    client = _client(engine)
    headers = {"x-csrf-token": login(client, world.users["enterprise"])}
    assert client.post("/api/v1/passes", json=_pass_body(), headers=headers).status_code == 201
    duplicate = client.post("/api/v1/passes", json=_pass_body(), headers=headers)
    assert duplicate.status_code == 422 and duplicate.json()["error"]["details"][0]["code"] == "duplicate_pass"
    trailer = client.post("/api/v1/passes", json=_pass_body(plate="苏E1234挂"), headers=headers)
    assert trailer.status_code == 422 and "tractor" in trailer.text


def test_a_jiangsu_authority_cannot_approve_a_zhejiang_pass(engine, world, keys_dir):
    from chainkeeper.credentials.passes import PassApplication, apply_for_pass

    with unit_of_work(engine) as session:
        ningbo = get_enterprise(session=session, uscc=world.ningbo["uscc"]).id
        body = _pass_body(origin_code="330206", destination_code="320583", plate="浙B12345")
        crew = [(m["name"], m["phone"]) for m in body.pop("crew")]
        body["valid_from"] = body["valid_until"] = local_today()
        created = apply_for_pass(session=session, actor=ACTOR, enterprise_id=ningbo,
                                 application=PassApplication(crew=crew, **body))
    for role in ("county", "province"):
        client = _client(engine)
        headers = {"x-csrf-token": login(client, world.users[role])}
        assert client.get(f"/api/v1/passes/{created.id}").status_code == 200  # destination is in Jiangsu
        refused = client.post(f"/api/v1/passes/{created.id}/approve", headers=headers)
        assert refused.status_code == 403, refused.text
    enterprise = _client(engine)
    login(enterprise, world.users["enterprise"])
    assert enterprise.get(f"/api/v1/passes/{created.id}").status_code == 404


def test_certificate_pages_qr_and_print(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        firm = get_enterprise(session=session, uscc=world.kunshan["uscc"])
        credential = issue_certificate(session=session, actor=ACTOR, enterprise_id=firm.id, list_name="白名单",
                                       batch=1, category="汽车零部件", valid_from=local_today(),
                                       valid_until=local_today(), entry_ref="e1")
    client = _client(engine)
    assert client.get(f"/credentials/{credential.public_id}").status_code == 303  # sign in first
    sign_in(client, world.users["enterprise"])
    page = client.get(f"/credentials/{credential.public_id}")
    assert page.status_code == 200 and credential.payload in page.text and firm.name in page.text
    png = client.get(f"/credentials/{credential.public_id}/qr.png")
    assert png.headers["content-type"] == "image/png"
    assert [c.text for c in zxingcpp.read_barcodes(decode_png(png.content))] == \
        [f"http://testserver/verify?p={credential.payload}"]  # a phone camera opens the verify page
    svg = client.get(f"/credentials/{credential.public_id}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    printable = client.get(f"/credentials/{credential.public_id}/print")
    assert "@page { size: A4" in printable.text and credential.payload in printable.text
    outsider = _client(engine)
    sign_in(outsider, world.users["county"])
    assert outsider.get(f"/credentials/{credential.public_id}").status_code == 200  # Kunshan is its region
    api = outsider.get(f"/api/v1/credentials/{credential.public_id}").json()
    assert api["payload"] == credential.payload and api["revoked"] is False


def test_public_verify_page_needs_no_sign_in(engine, world, keys_dir):
    approved = _apply_and_approve(engine, world)
    client = _client(engine)
    page = client.get("/verify", params={"p": approved["payload"]})
    assert page.status_code == 200 and 'data-status="valid"' in page.text and "苏E12345D" in page.text
    forged = client.get("/verify", params={"p": approved["payload"].replace(".", ".x", 1)})
    assert 'data-status="unknown_key"' in forged.text or 'data-status="malformed"' in forged.text
    assert 'data-status' not in client.get("/verify").text


def test_pass_pages_apply_review_and_revoke(engine, world, keys_dir):
    applicant = _client(engine)
    token = sign_in(applicant, world.users["enterprise"])
    today = local_today().isoformat()
    form = {"csrf_token": token, "goods_category": "线束", "origin_code": "320583", "destination_code": "220104",
            "route": "G2", "plate": "苏E1234挂", "trailer_plate": "", "valid_from": today, "valid_until": today,
            "crew_name_1": "李强", "crew_phone_1": "13812345678", "crew_name_2": "", "crew_phone_2": ""}
    refused = applicant.post("/passes", data=form)
    assert refused.status_code == 422 and "苏E1234挂" in refused.text
    created = applicant.post("/passes", data=form | {"plate": "苏E54321", "trailer_plate": "苏E1234挂"})
    assert created.status_code == 303
    location = created.headers["location"]
    assert 'data-testid="review-form"' not in applicant.get(location).text
    reviewer = _client(engine)
    token = sign_in(reviewer, world.users["county"])
    assert 'data-testid="review-form"' in reviewer.get(location).text
    assert reviewer.post(f"{location}/review", data={"csrf_token": token, "decision": "approve"}).status_code == 303
    detail = applicant.get(location).text
    assert 'data-status="approved"' in detail and "320583000001" in detail
    revoked = reviewer.post(f"{location}/revoke", data={"csrf_token": token, "reason": "车辆报废"})
    assert revoked.status_code == 303 and 'data-status="revoked"' in applicant.get(location).text
    assert "320583000001" in applicant.get("/passes").text


def test_the_pass_list_labels_every_cell_so_it_reads_as_cards_on_a_phone(engine, world, keys_dir):
    """Failed before (lane walk13): seven columns scrolled sideways in their frame at 390 px."""
    _apply_and_approve(engine, world)
    reader = _client(engine)
    sign_in(reader, world.users["enterprise"])
    page = reader.get("/passes").text
    table = page.split('<table class="data cards" data-testid="pass-table">')[1].split("</table>")[0]
    headings = re.findall(r'<th scope="col">([^<]+)</th>', table)
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table, re.S).group(1)
    assert len(headings) == 7 and re.findall(r'data-label="([^"]+)"', row) == headings


def test_the_checkpoint_reads_why_a_payload_is_refused_as_a_sentence_in_english(engine, world, keys_dir):
    """Failed before (lane walk13): "this is not a chainkeeper credential payload" opened lower case."""
    client = _client(engine)
    client.cookies.set("ck_lang", "en")
    page = client.get("/verify", params={"p": "garbage{not json"}).text
    assert '<span class="verdict-reason">This is not a chainkeeper credential payload</span>' in page


def test_the_pass_page_gives_its_times_to_the_minute_and_the_system_in_the_readers_language(engine, world, keys_dir):
    """Failed before (lane walk14): "Applied 2026-12-07 12:49:23 · system" on a Chinese page (the demo's pass)."""
    from chainkeeper.credentials.models import VehiclePass

    approved = _apply_and_approve(engine, world)
    with unit_of_work(engine) as session:
        session.get(VehiclePass, approved["id"]).applied_by = "system"
    reader = _client(engine)
    sign_in(reader, world.users["county"])
    page = reader.get(f"/passes/{approved['id']}").text
    applied = re.search(r'<dd data-testid="applied">([^<]+) · ([^<]+)</dd>', page)
    reviewed = re.search(r'<dd data-testid="reviewed">([^<]+) · <span translate="no">[^<]+</span>', page)
    assert applied and reviewed, page
    assert applied.group(2) == "系统"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", found.group(1)) for found in (applied, reviewed))


def test_a_pass_whose_validity_has_ended_is_refused_at_every_door(engine, world, keys_dir):
    """The API refuses an application that has already ended; the review page refuses to approve a pending pass once
    its validity has ended, in the reviewer's language, and leaves it pending (it would only verify as expired)."""
    from datetime import timedelta

    from chainkeeper.credentials.models import PassStatus, VehiclePass

    applicant = _client(engine)
    headers = {"x-csrf-token": login(applicant, world.users["enterprise"])}
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    ended = applicant.post("/api/v1/passes", json=_pass_body(valid_from=yesterday, valid_until=yesterday),
                           headers=headers)
    assert ended.status_code == 422
    assert ended.json()["error"]["details"] == [{"field": "valid_until", "message": "the validity has already ended"}]
    created = applicant.post("/api/v1/passes", json=_pass_body(), headers=headers).json()
    with unit_of_work(engine) as session:
        late = session.get(VehiclePass, created["id"])
        late.valid_from = late.valid_until = local_today() - timedelta(days=1)
    reviewer = _client(engine)
    token = sign_in(reviewer, world.users["county"])
    refused = reviewer.post(f"/passes/{created['id']}/review", data={"csrf_token": token, "decision": "approve"})
    assert refused.status_code == 422 and "有效期已结束" in refused.text
    api = reviewer.post(f"/api/v1/passes/{created['id']}/approve", headers={"x-csrf-token": token})
    assert api.status_code == 422 and api.json()["error"]["details"][0]["code"] == "ended"
    with unit_of_work(engine) as session:
        assert session.get(VehiclePass, created["id"]).status is PassStatus.pending
