"""Tampering (triggers switched off first, as an attacker would) is detected and the first bad event named."""

import pytest
from audit.audit_support import fill, tampering
from sqlalchemy import text

from chainkeeper.audit import chain
from chainkeeper.audit.chain import event_hash
from chainkeeper.audit.service import verify_chain
from chainkeeper.db import unit_of_work

EVENTS = 6


def _row(connection, seq: int) -> dict:
    return dict(connection.execute(text("SELECT * FROM audit_event WHERE seq = :s"), {"s": seq}).mappings().one())


def _rehash(connection, seq: int, **changes) -> str:
    """Rewrite event ``seq`` with ``changes`` and a hash that matches its new content."""
    row = _row(connection, seq) | changes
    new_hash = event_hash(row)
    connection.execute(text("UPDATE audit_event SET actor_name = :a, hash = :h WHERE seq = :s"),
                       {"a": row["actor_name"], "h": new_hash, "s": seq})
    return new_hash


def edit_field(connection):
    connection.execute(text("UPDATE audit_event SET actor_name = 'mallory' WHERE seq = 3"))
    return 3, chain.EDITED


def edit_snapshot(connection):
    connection.execute(text("UPDATE audit_event SET after = :after WHERE seq = 2"), {"after": '{"n":999}'})
    return 2, chain.EDITED


def edit_time(connection):
    connection.execute(text("UPDATE audit_event SET occurred_at = '2020-01-01T00:00:00.000000Z' WHERE seq = 5"))
    return 5, chain.EDITED


def delete_middle(connection):
    connection.execute(text("DELETE FROM audit_event WHERE seq = 4"))
    return 4, chain.MISSING


def delete_first(connection):
    connection.execute(text("DELETE FROM audit_event WHERE seq = 1"))
    return 1, chain.MISSING


def delete_last(connection):
    connection.execute(text(f"DELETE FROM audit_event WHERE seq = {EVENTS}"))
    return EVENTS, chain.HEAD_MISMATCH


def swap_pair(connection):
    for old, new in ((3, -3), (4, 3), (-3, 4)):
        connection.execute(text("UPDATE audit_event SET seq = :new WHERE seq = :old"), {"new": new, "old": old})
    return 3, chain.REORDERED


def delete_and_renumber(connection):
    connection.execute(text("DELETE FROM audit_event WHERE seq = 2"))
    for seq in range(3, EVENTS + 1):
        connection.execute(text("UPDATE audit_event SET seq = :new WHERE seq = :old"), {"new": seq - 1, "old": seq})
    return 2, chain.BROKEN_LINK


def rehash_middle(connection):
    _rehash(connection, 3, actor_name="mallory")
    return 4, chain.BROKEN_LINK


def rehash_last(connection):
    _rehash(connection, EVENTS, actor_name="mallory")
    return EVENTS, chain.HEAD_MISMATCH


def append_forged(connection):
    last = _row(connection, EVENTS)
    forged = last | {"id": last["id"] + 100, "seq": EVENTS + 1, "prev_hash": last["hash"], "actor_name": "mallory"}
    forged["hash"] = event_hash(forged)
    columns = ", ".join(forged)
    connection.execute(text(f"INSERT INTO audit_event ({columns}) VALUES ({', '.join(':' + c for c in forged)})"),
                       forged)
    return EVENTS + 1, chain.HEAD_MISMATCH


def delete_head(connection):
    connection.execute(text("DELETE FROM audit_head"))
    return 1, chain.HEAD_MISMATCH


CASES = [edit_field, edit_snapshot, edit_time, delete_middle, delete_first, delete_last, swap_pair,
         delete_and_renumber, rehash_middle, rehash_last, append_forged, delete_head]


@pytest.mark.parametrize("chunk_size", [2, 10_000])
@pytest.mark.parametrize("attack", CASES, ids=lambda case: case.__name__)
def test_tampering_is_detected_at_the_first_bad_event(audit_engine, attack, chunk_size):
    fill(audit_engine, EVENTS)
    with tampering(audit_engine) as connection:
        expected_seq, expected_reason = attack(connection)
    with unit_of_work(audit_engine) as session:
        check = verify_chain(session=session, chunk_size=chunk_size)
    assert not check.ok
    assert (check.first_bad_seq, check.reason) == (expected_seq, expected_reason)
    assert check.events_checked == expected_seq - 1
    with audit_engine.connect() as connection:
        intact = _row(connection, expected_seq - 1)["hash"] if expected_seq > 1 else chain.GENESIS_HASH
    assert check.last_hash == intact


def test_untouched_log_passes_after_triggers_were_toggled(audit_engine):
    fill(audit_engine, 3)
    with tampering(audit_engine):
        pass
    with unit_of_work(audit_engine) as session:
        assert verify_chain(session=session).ok
