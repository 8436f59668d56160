"""Services of the audit trail: record an event in the caller's transaction, verify the chain, search, history.

The caller owns the transaction: nothing here commits. Recording locks the one-row head (``SELECT … FOR UPDATE``
on PostgreSQL, an immediate write on SQLite), so concurrent writers append one after the other and never fork
the chain; the lock is held until the caller's transaction ends.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.chain import ChainCheck, canonical_json, event_hash, verify_chain
from chainkeeper.audit.models import GENESIS_HASH, HEAD_ID, LIMITS, AuditEvent, AuditHead, format_timestamp
from chainkeeper.audit.snapshot import json_safe, snapshot
from chainkeeper.errors import ValidationFailed
from chainkeeper.registry.service import MAX_PAGE_SIZE, Page

__all__ = ["Change", "ChainCheck", "history", "record", "record_many", "search", "snapshot", "verify_chain"]

_REQUIRED = ("actor_name", "action", "object_type", "object_id")
_INSERT = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def _validated(values: dict) -> dict:
    details = [{"field": name, "message": "a value is required"} for name in _REQUIRED if not values[name]]
    details += [
        {"field": name, "message": f"at most {limit} characters"}
        for name, limit in LIMITS.items() if values[name] is not None and len(values[name]) > limit
    ]
    if details:
        raise ValidationFailed("the audit event is not valid", details)
    return values


def _event_values(actor: Actor, action: str, object_type: str, object_id: str | int) -> dict:
    return _validated({
        "actor_id": actor.user_id, "actor_name": actor.name, "role": actor.role,
        "client_address": actor.client_address, "object_type": object_type,
        "object_id": "" if object_id is None else str(object_id),
        "action": action.value if isinstance(action, enum.Enum) else action,
    })


def _json_text(data: dict | None) -> str | None:
    return None if data is None else canonical_json(json_safe(data))


def _lock_head(session: Session) -> AuditHead:
    """The head row, locked until the transaction ends (created if missing)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":  # write first: take SQLite's write lock before reading the head
        touch = update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_seq=AuditHead.last_seq)
        session.execute(touch.execution_options(synchronize_session=False))
    query = (select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
             .execution_options(populate_existing=True))
    head = session.scalar(query)
    if head is None:
        seed = _INSERT[dialect](AuditHead).values(id=HEAD_ID, last_seq=0, last_hash=GENESIS_HASH)
        session.execute(seed.on_conflict_do_nothing(index_elements=["id"]))
        head = session.scalar(query)
    return head


def record(
    *, session: Session, actor: Actor, action: str, object_type: str, object_id: str | int,
    before: dict | None = None, after: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain in the caller's transaction (flushed, not committed).

    ``before``/``after`` are snapshots (see :func:`snapshot`); they are stored as canonical JSON.
    Raises :class:`ValidationFailed` for a missing or over-long actor name, action, object type or id.
    """
    values = _event_values(actor, action, object_type, object_id)
    before_text, after_text = _json_text(before), _json_text(after)
    head = _lock_head(session)
    event = AuditEvent(seq=head.last_seq + 1, occurred_at=datetime.now(timezone.utc), before=before_text,
                       after=after_text, prev_hash=head.last_hash, **values)
    event.hash = event_hash(event.hashed_fields())
    head.last_seq, head.last_hash = event.seq, event.hash
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class Change:
    """One change to record with :func:`record_many`."""

    action: str
    object_type: str
    object_id: str | int
    before: dict | None = None
    after: dict | None = None


def record_many(*, session: Session, actor: Actor, changes: Iterable[Change], batch: int = 20_000) -> int:
    """Append many events by one actor under one head lock (bulk imports); returns how many were written."""
    head = _lock_head(session)
    seq, last_hash, now, count = head.last_seq, head.last_hash, datetime.now(timezone.utc), 0
    rows: list[dict] = []
    for change in changes:
        seq += 1
        row = _event_values(actor, change.action, change.object_type, change.object_id) | {
            "seq": seq, "occurred_at": now, "before": _json_text(change.before), "after": _json_text(change.after),
            "prev_hash": last_hash,
        }
        row["hash"] = last_hash = event_hash(row | {"occurred_at": format_timestamp(now)})
        rows.append(row)
        if len(rows) >= batch:
            count += _insert_events(session, rows)
    count += _insert_events(session, rows)
    head.last_seq, head.last_hash = seq, last_hash
    session.flush()
    return count


def _insert_events(session: Session, rows: list[dict]) -> int:
    if rows:
        session.execute(insert(AuditEvent), rows)
    written, rows[:] = len(rows), []
    return written


def _filtered(query: Select, **filters) -> Select:
    since, until = filters.pop("since"), filters.pop("until")
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(AuditEvent, name) == str(value))
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEvent.occurred_at < until)
    return query


def search(
    *, session: Session, actor_name: str | None = None, action: str | None = None, object_type: str | None = None,
    object_id: str | int | None = None, since: datetime | None = None, until: datetime | None = None,
    page: int = 1, page_size: int = 50,
) -> Page:
    """Events matching every given filter (exact values; ``since`` ≤ time < ``until``), newest first.

    Naive datetimes are taken as UTC.
    """
    query = _filtered(select(AuditEvent), actor_name=actor_name, action=action, object_type=object_type,
                      object_id=object_id, since=since, until=until)
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(session.scalars(query.order_by(AuditEvent.seq.desc()).offset((page - 1) * page_size)
                                 .limit(page_size)))
    return Page(items, total, page, page_size)


def history(*, session: Session, object_type: str, object_id: str | int) -> list[AuditEvent]:
    """Every event of one object, oldest first."""
    query = (select(AuditEvent).where(AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
             .order_by(AuditEvent.seq))
    return list(session.scalars(query))
