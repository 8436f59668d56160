"""The hash chain: canonical hashing of events, and verification of the whole log in bounded memory."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from chainkeeper.audit.models import GENESIS_HASH, HASHED_FIELDS, HEAD_ID

EDITED = "edited"
MISSING = "deleted/missing"
REORDERED = "reordered"
BROKEN_LINK = "broken link"
HEAD_MISMATCH = "head mismatch"
REASONS = (EDITED, MISSING, REORDERED, BROKEN_LINK, HEAD_MISMATCH)

# Untyped columns: verification reads the raw stored values, exactly what was hashed.
_EVENTS = table("audit_event", *(column(name) for name in (*HASHED_FIELDS, "hash")))
_HEAD = table("audit_head", column("id"), column("last_seq"), column("last_hash"))


def canonical_json(value: object) -> str:
    """Sorted-key compact JSON: one text per value, so equal data hashes equally."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(fields: Mapping) -> str:
    """SHA-256 (hex) of the canonical JSON of an event's hashed fields (which include seq and prev_hash)."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of :func:`verify_chain`.

    ``events_checked`` counts the events found intact before the first bad one; ``last_hash`` is the hash of the
    last intact event (the head hash when ``ok``: keep it outside the database to detect a rewritten tail).
    """

    ok: bool
    events_checked: int
    first_bad_seq: int | None = None
    reason: str | None = None
    last_hash: str = GENESIS_HASH


@dataclass
class _Walk:
    """How far verification got: the last intact event."""

    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    checked: int = 0

    def bad(self, seq: int, reason: str) -> ChainCheck:
        return ChainCheck(False, self.checked, seq, reason, self.last_hash)


def _chunk(session: Session, after: int, size: int) -> list:
    query = select(_EVENTS).where(_EVENTS.c.seq > after).order_by(_EVENTS.c.seq).limit(size)
    return session.execute(query).all()


def _hash_exists(session: Session, value: str) -> bool:
    return session.execute(select(_EVENTS.c.seq).where(_EVENTS.c.hash == value).limit(1)).first() is not None


def _check_event(session: Session, walk: _Walk, row) -> ChainCheck | None:
    """Check one event against the last intact one; ``None`` when it is intact (and becomes the last)."""
    expected = walk.last_seq + 1
    if row.seq != expected:
        return walk.bad(expected, MISSING if row.seq > expected else BROKEN_LINK)
    if row.prev_hash != walk.last_hash:
        return walk.bad(row.seq, REORDERED if _hash_exists(session, row.prev_hash) else BROKEN_LINK)
    if event_hash(row._mapping) != row.hash:
        return walk.bad(row.seq, EDITED)
    walk.last_seq, walk.last_hash, walk.checked = row.seq, row.hash, walk.checked + 1
    return None


def _read_head(session: Session) -> tuple[int, str]:
    row = session.execute(select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == HEAD_ID)).first()
    return (row.last_seq, row.last_hash) if row else (0, GENESIS_HASH)


def _hash_at(session: Session, seq: int) -> str | None:
    if seq <= 0:
        return GENESIS_HASH
    return session.execute(select(_EVENTS.c.hash).where(_EVENTS.c.seq == seq)).scalar()


def _compare_head(session: Session, walk: _Walk, head: tuple[int, str]) -> ChainCheck:
    """The verdict once every event is checked: the head must name the last event."""
    last_seq, last_hash = head
    if (last_seq, last_hash) == (walk.last_seq, walk.last_hash):
        return ChainCheck(True, walk.checked, last_hash=walk.last_hash)
    if last_seq > walk.last_seq:  # the tail was deleted
        return walk.bad(walk.last_seq + 1, HEAD_MISMATCH)
    # events after the head were slipped in, or the head's own event was rewritten and re-hashed
    intact = max(last_seq if _hash_at(session, last_seq) == last_hash else last_seq - 1, 0)
    return ChainCheck(False, intact, intact + 1, HEAD_MISMATCH, _hash_at(session, intact))


def verify_chain(
    *, session: Session, chunk_size: int = 10_000, progress: Callable[[int], None] | None = None
) -> ChainCheck:
    """Walk the log in seq order, ``chunk_size`` events at a time, and check every link and the head.

    ``progress(events_checked)`` is called after each chunk. Events appended while verifying are checked too.
    """
    walk = _Walk()
    while True:
        rows = _chunk(session, walk.last_seq, chunk_size)
        for row in rows:
            failure = _check_event(session, walk, row)
            if failure is not None:
                return failure
        if rows and progress is not None:
            progress(walk.checked)
        if len(rows) == chunk_size:
            continue
        head = _read_head(session)
        if head[0] > walk.last_seq and _chunk(session, walk.last_seq, 1):
            continue  # appended (head and events commit together) after the last chunk was read
        return _compare_head(session, walk, head)
