"""Helpers of the audit tests: fill the log, and tamper with it the way an attacker with database access would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.db import unit_of_work

ALICE = Actor(7, "alice", "admin", "10.0.0.7")
BOB = Actor(8, "鲍勃", "county", "2001:db8::8")


def fill(engine: Engine, count: int, *, actor: Actor = ALICE, object_type: str = "enterprise") -> list[int]:
    """Record ``count`` update events (object ids 1…count), one transaction each; returns their seqs."""
    seqs = []
    for number in range(1, count + 1):
        with unit_of_work(engine) as session:
            event = record(session=session, actor=actor, action="update", object_type=object_type,
                           object_id=number, before={"n": number - 1}, after={"n": number, "名称": "昆山"})
            seqs.append(event.seq)
    return seqs


def _triggers_off(engine: Engine) -> list[str]:
    """Switch the append-only triggers off; returns what is needed to switch them on again."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
            return []
        saved = connection.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")).all()
        for name, _sql in saved:
            connection.execute(text(f'DROP TRIGGER "{name}"'))
        return [sql for _name, sql in saved]


def _triggers_on(engine: Engine, saved: list[str]) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        for sql in saved:
            connection.execute(text(sql))


@contextmanager
def tampering(engine: Engine) -> Iterator[Connection]:
    """A connection that may rewrite the log (triggers off), committed at the end; triggers back on after."""
    saved = _triggers_off(engine)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        _triggers_on(engine, saved)


def wipe_audit_log(engine: Engine) -> None:
    """Empty the log and its head (test set-up only)."""
    with tampering(engine) as connection:
        connection.execute(text("DELETE FROM audit_event"))
        connection.execute(text("DELETE FROM audit_head"))
