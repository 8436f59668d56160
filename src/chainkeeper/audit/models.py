"""ORM models of the audit trail: the hash-chained events and the one-row head that serialises writers."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from chainkeeper.db import Base

TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order
HEAD_ID = 1
GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("seq", "occurred_at", "actor_id", "actor_name", "role", "action", "object_type", "object_id",
                 "before", "after", "client_address", "prev_hash")
LIMITS = {"actor_name": 200, "role": 64, "action": 64, "object_type": 64, "object_id": 128, "client_address": 128}


def format_timestamp(moment: datetime) -> str:
    """``moment`` as the stored UTC text (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> datetime:
    """The aware UTC datetime of a stored timestamp."""
    return datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=timezone.utc)


class UtcTimestamp(TypeDecorator):
    """An aware datetime stored as fixed-width UTC ISO text: identical bytes on SQLite and PostgreSQL."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else format_timestamp(value)

    def process_result_value(self, value, dialect):
        return None if value is None else parse_timestamp(value)


class AuditEvent(Base):
    """One audited change; append-only (database triggers reject UPDATE and DELETE).

    ``hash`` is SHA-256 over the canonical JSON of :data:`HASHED_FIELDS`, ``prev_hash`` the previous event's hash.
    ``before`` and ``after`` are canonical JSON text. ``id`` is a surrogate key; ``seq`` is the chain order.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("seq", name="uq_audit_event_seq"),
        Index("ix_audit_event_object", "object_type", "object_id", "seq"),
        Index("ix_audit_event_actor_name", "actor_name"),
        Index("ix_audit_event_action", "action"),
        Index("ix_audit_event_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(UtcTimestamp)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(LIMITS["actor_name"]))
    role: Mapped[str | None] = mapped_column(String(LIMITS["role"]))
    action: Mapped[str] = mapped_column(String(LIMITS["action"]))
    object_type: Mapped[str] = mapped_column(String(LIMITS["object_type"]))
    object_id: Mapped[str] = mapped_column(String(LIMITS["object_id"]))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    client_address: Mapped[str | None] = mapped_column(String(LIMITS["client_address"]))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def hashed_fields(self) -> dict:
        """The stored values the hash covers, exactly as stored."""
        values = {name: getattr(self, name) for name in HASHED_FIELDS}
        values["occurred_at"] = format_timestamp(self.occurred_at)
        return values

    @property
    def before_values(self) -> dict | None:
        """The ``before`` snapshot as a dict."""
        return None if self.before is None else json.loads(self.before)

    @property
    def after_values(self) -> dict | None:
        """The ``after`` snapshot as a dict."""
        return None if self.after is None else json.loads(self.after)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.seq} {self.action} {self.object_type}:{self.object_id} by {self.actor_name}>"


class AuditHead(Base):
    """The single row holding the last event's seq and hash; writers lock it to append in turn."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint(f"id = {HEAD_ID}", name="ck_audit_head_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
