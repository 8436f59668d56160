"""Issue 10 #2: one revocation path for vehicle passes — the issuer's authority (or above), the ministry or an
administrator; a destination authority reads the pass but can revoke it through no door; pass and credential agree."""

from __future__ import annotations

from accounts_fixture import PASSWORD, login
from credentials.test_web import _apply_and_approve, _client
from web.pages.page_support import sign_in

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.credentials import issue_certificate
from chainkeeper.credentials.models import PassStatus, VehiclePass
from chainkeeper.credentials.service import local_today
from chainkeeper.db import unit_of_work
from chainkeeper.registry.service import get_enterprise

from credentials.support import ACTOR


def _jilin(engine) -> str:
    with unit_of_work(engine) as session:
        create_user(session=session, username="jilin", password=PASSWORD, display_name="吉林省", roles={Role.province},
                    region_code="22")
    return "jilin"


def _state(engine, pass_id: int) -> tuple[PassStatus, bool]:
    with unit_of_work(engine) as session:
        found = session.get(VehiclePass, pass_id)
        return found.status, found.credential.revoked


def test_destination_province_cannot_revoke_through_any_door(engine, world, keys_dir):
    approved = _apply_and_approve(engine, world)  # Kunshan (320583) → Changchun (220104)
    number, pass_id = approved["payload"], approved["id"]
    with unit_of_work(engine) as session:
        public_id = session.get(VehiclePass, pass_id).credential.public_id
    client = _client(engine)
    headers = {"x-csrf-token": login(client, _jilin(engine))}
    assert client.get(f"/api/v1/passes/{pass_id}").status_code == 200  # the destination reads it
    body = {"reason": "not ours"}
    assert client.post(f"/api/v1/passes/{pass_id}/revoke", json=body, headers=headers).status_code == 403
    refused = client.post(f"/api/v1/credentials/{public_id}/revoke", json=body, headers=headers)
    assert refused.status_code == 403, refused.text
    page = _client(engine)
    token = sign_in(page, "jilin")
    assert 'data-testid="revoke-form"' not in page.get(f"/passes/{pass_id}").text
    assert page.post(f"/passes/{pass_id}/revoke", data={"csrf_token": token, "reason": "x"}).status_code == 403
    assert _state(engine, pass_id) == (PassStatus.approved, False)
    verdict = _client(engine).post("/api/v1/verify", json={"payload": number}).json()
    assert verdict["status"] == "valid"


def test_credential_revocation_revokes_the_pass_too(engine, world, keys_dir):
    approved = _apply_and_approve(engine, world)
    with unit_of_work(engine) as session:
        public_id = session.get(VehiclePass, approved["id"]).credential.public_id
    ministry = _client(engine)
    headers = {"x-csrf-token": login(ministry, world.users["ministry"])}
    revoked = ministry.post(f"/api/v1/credentials/{public_id}/revoke", json={"reason": "route closed"},
                            headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert _state(engine, approved["id"]) == (PassStatus.revoked, True)
    assert ministry.get(f"/api/v1/passes/{approved['id']}").json()["status"] == "revoked"
    verdict = _client(engine).post("/api/v1/verify", json={"payload": approved["payload"]}).json()
    assert verdict["status"] == "revoked"


def test_admin_revokes_a_pass_on_its_page(engine, world, keys_dir):
    approved = _apply_and_approve(engine, world)
    admin = _client(engine)
    token = sign_in(admin, world.users["admin"])
    assert 'data-testid="revoke-form"' in admin.get(f"/passes/{approved['id']}").text
    done = admin.post(f"/passes/{approved['id']}/revoke", data={"csrf_token": token, "reason": "车辆报废"})
    assert done.status_code == 303
    assert _state(engine, approved["id"]) == (PassStatus.revoked, True)


def test_a_certificate_is_not_revoked_behind_its_entry(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        firm = get_enterprise(session=session, uscc=world.kunshan["uscc"])
        credential = issue_certificate(session=session, actor=ACTOR, enterprise_id=firm.id, list_name="白名单",
                                       batch=1, category="汽车零部件", valid_from=local_today(),
                                       valid_until=local_today(), entry_ref="e1")
    client = _client(engine)
    headers = {"x-csrf-token": login(client, world.users["county"])}
    refused = client.post(f"/api/v1/credentials/{credential.public_id}/revoke", json={"reason": "x"},
                          headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["code"] == "revoke_through_entry"
    assert client.get(f"/api/v1/credentials/{credential.public_id}").json()["revoked"] is False
