"""Concurrent writers append one after the other: no forked chain, no duplicate or missing seq."""

import threading
import time

from audit.audit_support import ALICE, BOB
from sqlalchemy import select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.audit.service import record, verify_chain
from chainkeeper.db import unit_of_work

PER_THREAD = 40


def _writer(engine, actor, barrier, errors) -> None:
    try:
        barrier.wait()
        for number in range(PER_THREAD):
            with unit_of_work(engine) as session:
                record(session=session, actor=actor, action="update", object_type="enterprise", object_id=number)
                time.sleep(0.001)  # keep the transaction open: without the head lock the other writer would fork
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)


def test_two_concurrent_writers_keep_one_chain(audit_engine):
    barrier, errors = threading.Barrier(2), []
    threads = [threading.Thread(target=_writer, args=(audit_engine, actor, barrier, errors)) for actor in (ALICE, BOB)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with unit_of_work(audit_engine) as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        check = verify_chain(session=session)
    assert [event.seq for event in events] == list(range(1, 2 * PER_THREAD + 1))
    assert sorted(event.actor_name for event in events) == sorted([ALICE.name, BOB.name] * PER_THREAD)
    if audit_engine.dialect.name == "postgresql":  # SQLite's busy handler may let one writer run first
        assert len({event.actor_name for event in events[:PER_THREAD]}) == 2, "the writers never interleaved"
    assert check.ok and check.events_checked == 2 * PER_THREAD


def test_several_events_in_one_transaction(audit_engine):
    with unit_of_work(audit_engine) as session:
        seqs = [record(session=session, actor=ALICE, action="import", object_type="enterprise", object_id=n).seq
                for n in range(5)]
    assert seqs == [1, 2, 3, 4, 5]
    with unit_of_work(audit_engine) as session:
        assert verify_chain(session=session).events_checked == 5
