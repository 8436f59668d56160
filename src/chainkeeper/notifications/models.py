"""ORM model of the notification outbox: one row per message to send, by e-mail or webhook."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import JSON, Enum, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime

LAST_ERROR_LENGTH = 500
SUBJECT_LENGTH = 500


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Channel(str, enum.Enum):
    """How a notification travels."""

    email = "email"
    webhook = "webhook"


class NotificationStatus(str, enum.Enum):
    """Life of an outbox row: pending until sent, or failed for good after the last attempt."""

    pending = "pending"
    sent = "sent"
    failed = "failed"


class Notification(Base):
    """An outbox row, inserted in the transaction of the change it reports and sent later by ``deliver_due``.

    ``recipient`` is an e-mail address or a webhook URL. ``attempts`` counts the sends started; a pending row is due
    when ``next_attempt_at`` has passed (while a sender holds it, ``next_attempt_at`` is its lease).
    ``last_error`` is a short description of the last failure, scrubbed of secrets.
    """

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[Channel] = mapped_column(Enum(Channel, native_enum=False, length=16))
    recipient: Mapped[str] = mapped_column(String(2000))
    subject: Mapped[str | None] = mapped_column(String(SUBJECT_LENGTH))
    body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column(JSON)
    event: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[NotificationStatus] = mapped_column(Enum(NotificationStatus, native_enum=False, length=16),
                                                       default=NotificationStatus.pending)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    last_error: Mapped[str | None] = mapped_column(String(LAST_ERROR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
