"""Certificates through the service the white list calls, on both databases: issue, revoke, check, audit."""

from __future__ import annotations

import json

import pytest
from credentials.support import ACTOR, TODAY, days

from chainkeeper.audit.service import history
from chainkeeper.credentials import check_payload, credentials_for, issue_certificate, revoke
from chainkeeper.core.keys import load_public_keys, rotate_key
from chainkeeper.credentials.payload import verify_payload
from chainkeeper.credentials.revocations import (
    RevocationListInvalid, export_revocations, load_revocations, read_revocations,
)
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.registry.service import get_enterprise


def _issue(session, world, entry_ref="entry-1", **overrides):
    firm = get_enterprise(session=session, uscc=world.kunshan["uscc"])
    values = dict(enterprise_id=firm.id, list_name="江苏省重点企业白名单", batch=2, category="汽车零部件",
                  valid_from=days(-5), valid_until=days(175), entry_ref=entry_ref) | overrides
    return issue_certificate(session=session, actor=ACTOR, **values)


def test_issue_signs_the_entry_and_checks_valid(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        credential = _issue(session, world)
        assert credential.id and len(credential.public_id) == 12
    with unit_of_work(engine) as session:
        verdict = check_payload(session=session, payload=credential.payload, today=TODAY)
        assert verdict.status == "valid"
        assert verdict.claims.fields["uscc"] == world.kunshan["uscc"]
        assert verdict.claims.fields["batch"] == 2
        assert [c.public_id for c in credentials_for(session=session, entry_ref="entry-1")] == [credential.public_id]
        events = history(session=session, object_type="credential", object_id=credential.public_id)
        assert [e.action for e in events] == ["credential.issue"]
        assert "PRIVATE" not in (events[0].after or "")


def test_revocation_is_checked_in_the_database_and_audited(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        credential = _issue(session, world)
    with unit_of_work(engine) as session:
        revoke(session=session, actor=ACTOR, credential_id=credential.id, reason="entry suspended")
        revoke(session=session, actor=ACTOR, credential_id=credential.public_id, reason="again")  # idempotent
    with unit_of_work(engine) as session:
        verdict = check_payload(session=session, payload=credential.payload, today=TODAY)
        assert verdict.status == "revoked"
        actions = [e.action for e in history(session=session, object_type="credential",
                                             object_id=credential.public_id)]
        assert actions == ["credential.issue", "credential.revoke"]


def test_revoke_needs_a_reason_and_an_existing_credential(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        credential = _issue(session, world)
        with pytest.raises(ValidationFailed):
            revoke(session=session, actor=ACTOR, credential_id=credential.id, reason=" ")
        with pytest.raises(NotFound):
            revoke(session=session, actor=ACTOR, credential_id=999_999, reason="x")


def test_expired_and_dates_checked(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        credential = _issue(session, world, valid_until=days(-1))
        assert check_payload(session=session, payload=credential.payload, today=TODAY).status == "expired"
        with pytest.raises(ValidationFailed):
            _issue(session, world, valid_from=days(5), valid_until=days(1))


def test_rotation_keeps_issued_certificates_valid(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        old = _issue(session, world, entry_ref="old")
    rotate_key(keys_dir)
    with unit_of_work(engine) as session:
        new = _issue(session, world, entry_ref="new")
        assert new.key_id != old.key_id
        for credential in (old, new):
            assert check_payload(session=session, payload=credential.payload, today=TODAY).status == "valid"


def test_signed_revocation_list_for_offline_verifiers(engine, world, keys_dir, tmp_path):
    with unit_of_work(engine) as session:
        kept, dropped = _issue(session, world, entry_ref="a"), _issue(session, world, entry_ref="b")
        revoke(session=session, actor=ACTOR, credential_id=dropped.id, reason="removed from the list")
        document = export_revocations(session=session)
    keys = load_public_keys(keys_dir)
    path = tmp_path / "revocations.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    revoked = load_revocations(path, keys)
    assert revoked == {dropped.public_id}
    assert verify_payload(dropped.payload, public_keys=keys, revoked_ids=revoked, today=TODAY).status == "revoked"
    assert verify_payload(kept.payload, public_keys=keys, revoked_ids=revoked, today=TODAY).status == "valid"
    tampered = document | {"revoked": []}
    with pytest.raises(RevocationListInvalid):
        read_revocations(tampered, keys)
    with pytest.raises(RevocationListInvalid):
        read_revocations(document, {})
