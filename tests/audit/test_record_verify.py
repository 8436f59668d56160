"""Recording events in the caller's transaction, and verifying an intact chain."""

import json

import pytest
from audit.audit_support import ALICE, BOB, fill
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from chainkeeper.audit.actor import SYSTEM, Actor, cli_actor
from chainkeeper.audit.chain import event_hash
from chainkeeper.audit.models import GENESIS_HASH, HASHED_FIELDS, AuditEvent, AuditHead
from chainkeeper.audit.service import history, record, verify_chain
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed


def _verify(engine, **options):
    with unit_of_work(engine) as session:
        return verify_chain(session=session, **options)


def test_empty_log_verifies(audit_engine):
    check = _verify(audit_engine)
    assert check.ok and check.events_checked == 0 and check.last_hash == GENESIS_HASH


def test_record_stores_every_field_and_links_events(audit_engine):
    with unit_of_work(audit_engine) as session:
        first = record(session=session, actor=BOB, action="create", object_type="enterprise", object_id=42,
                       after={"name": "昆山线束有限公司", "size": "medium"})
        second = record(session=session, actor=SYSTEM, action="transition", object_type="enterprise",
                        object_id="42", before={"state": "draft"}, after={"state": "active"})
    with unit_of_work(audit_engine) as session:
        first, second = history(session=session, object_type="enterprise", object_id=42)
        head = session.get(AuditHead, 1)
    assert (first.seq, second.seq) == (1, 2)
    assert (first.actor_id, first.actor_name, first.role, first.client_address) == (8, "鲍勃", "county", "2001:db8::8")
    assert (first.action, first.object_type, first.object_id) == ("create", "enterprise", "42")
    assert first.before is None and first.after_values == {"name": "昆山线束有限公司", "size": "medium"}
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert first.hash == event_hash(first.hashed_fields())
    assert second.occurred_at >= first.occurred_at and second.occurred_at.tzinfo is not None
    assert (second.actor_id, second.actor_name, second.before_values) == (None, "system", {"state": "draft"})
    assert (head.last_seq, head.last_hash) == (2, second.hash)


def test_many_events_verify_in_chunks(audit_engine):
    fill(audit_engine, 7, actor=ALICE)
    fill(audit_engine, 4, actor=BOB, object_type="user")
    for chunk_size in (1, 3, 11, 10_000):
        seen = []
        check = _verify(audit_engine, chunk_size=chunk_size, progress=seen.append)
        assert check.ok and check.events_checked == 11 and check.first_bad_seq is None, chunk_size
        assert seen[-1] == 11
    assert len(seen) == 1


def test_rolled_back_transaction_leaves_no_event(audit_engine):
    fill(audit_engine, 2)
    with pytest.raises(RuntimeError), unit_of_work(audit_engine) as session:
        record(session=session, actor=ALICE, action="delete", object_type="enterprise", object_id=1)
        raise RuntimeError("the change failed")
    fill(audit_engine, 1)
    with unit_of_work(audit_engine) as session:
        assert [e.seq for e in session.query(AuditEvent).order_by(AuditEvent.seq)] == [1, 2, 3]
    assert _verify(audit_engine).ok


def test_missing_head_row_is_recreated_on_an_empty_log(audit_engine):
    with audit_engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_head"))
    assert fill(audit_engine, 2) == [1, 2]
    assert _verify(audit_engine).ok


@pytest.mark.parametrize("bad", [
    dict(actor=Actor(None, ""), object_id=1),
    dict(action="", object_id=1),
    dict(object_id=None),
    dict(object_id="x" * 129),
    dict(actor=Actor(1, "n", client_address="1" * 129), object_id=1),
])
def test_invalid_events_are_rejected(audit_engine, bad):
    arguments = dict(actor=ALICE, action="update", object_type="enterprise") | bad
    with pytest.raises(ValidationFailed), unit_of_work(audit_engine) as session:
        record(session=session, **arguments)
    assert _verify(audit_engine).events_checked == 0


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET actor_name = 'mallory' WHERE seq = 1",
    "DELETE FROM audit_event WHERE seq = 2",
    "DELETE FROM audit_event",
])
def test_triggers_reject_update_and_delete(audit_engine, statement):
    fill(audit_engine, 2)
    with pytest.raises(DBAPIError, match="append-only"), audit_engine.begin() as connection:
        connection.execute(text(statement))
    assert _verify(audit_engine).ok


def test_postgresql_rejects_truncate(audit_engine):
    if audit_engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL only")
    fill(audit_engine, 1)
    with pytest.raises(DBAPIError, match="append-only"), audit_engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_event"))


@pytest.mark.parametrize("field", HASHED_FIELDS)
def test_hash_covers_every_stored_field(field):
    fields = {name: f"value of {name}" for name in HASHED_FIELDS}
    changed = fields | {field: fields[field] + "!"}
    assert event_hash(fields) != event_hash(changed)
    assert event_hash(fields) == event_hash(json.loads(json.dumps(fields)))


def test_cli_actor_names_the_os_user():
    actor = cli_actor()
    assert actor.name.startswith("cli:") and len(actor.name) > 4 and actor.user_id is None


def test_record_many_continues_the_chain(engine):
    from chainkeeper.audit.actor import Actor
    from chainkeeper.audit.service import Change, history, record, record_many, verify_chain
    from chainkeeper.db import unit_of_work

    actor = Actor(None, "bulk-test")
    with unit_of_work(engine) as session:
        record(session=session, actor=actor, action="before", object_type="x", object_id="0")
        written = record_many(session=session, actor=actor, batch=3,
                              changes=(Change("bulk", "thing", f"t{i}", after={"i": i}) for i in range(7)))
        record(session=session, actor=actor, action="after", object_type="x", object_id="0")
    assert written == 7
    with unit_of_work(engine) as session:
        assert verify_chain(session=session).ok
        assert [e.after_values for e in history(session=session, object_type="thing", object_id="t5")] == [{"i": 5}]
