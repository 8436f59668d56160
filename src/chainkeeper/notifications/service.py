"""The outbox: enqueue notifications in the caller's transaction, deliver the due ones later, retry with back-off.

* :func:`enqueue_email` and :func:`enqueue_webhooks` only add rows to the caller's session: they are committed, or
  rolled back, with the state change they report. A channel that is off (no ``CHAINKEEPER_SMTP_HOST``, no
  ``CHAINKEEPER_WEBHOOK_URLS``) enqueues nothing. An e-mail address that cannot be valid is recorded as ``failed``
  at once (the caller's change is never refused because of a bad address).
* :func:`deliver_due` claims due rows in short transactions (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite:
  ``BEGIN IMMEDIATE``), counting the attempt and leasing the row by moving ``next_attempt_at`` past the longest
  send; sends with no transaction open; then records ``sent`` or schedules the next attempt after 1, 2, 4, 8 …
  minutes (at most an hour), or ``failed`` after ``notification_max_attempts``. A sender that dies mid-batch
  leaves its rows to be sent again once the lease ends: delivery is at least once (webhook receivers dedupe on
  ``X-Chainkeeper-Delivery``; e-mails keep one Message-ID).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from chainkeeper.config import Settings, get_settings
from chainkeeper.db import unit_of_work
from chainkeeper.notifications.models import (
    LAST_ERROR_LENGTH,
    SUBJECT_LENGTH,
    Channel,
    Notification,
    NotificationStatus,
)

logger = logging.getLogger(__name__)

CHUNK = 10
"""Rows claimed per transaction: each lease covers at most this many sends."""
MAX_BACKOFF = timedelta(hours=1)
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\.][^@\s<>,;:\"()\[\]\\]*$")


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes, at most :data:`MAX_BACKOFF`."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 16)), MAX_BACKOFF)


def _lease(settings: Settings) -> timedelta:
    # an SMTP exchange is a handful of network operations, each bounded by the timeout
    return timedelta(seconds=60 + CHUNK * 8 * settings.notification_timeout)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _object_id(value: object) -> str | None:
    return None if value is None else str(value)


def enqueue_email(session: Session, *, to: str, subject: str, body: str, event: str, object_type: str | None = None,
                  object_id: str | int | None = None, settings: Settings | None = None) -> Notification | None:
    """Add an e-mail to ``to`` to the caller's transaction; None when e-mail is off (no SMTP host configured).

    A subject longer than 500 characters is cut.
    """
    settings = settings or get_settings()
    if not settings.smtp_host:
        logger.debug("e-mail is off (no SMTP host): %s not enqueued", event)
        return None
    now = _utcnow()
    row = Notification(channel=Channel.email, recipient=to.strip(), subject=subject[:SUBJECT_LENGTH], body=body,
                       event=event,
                       object_type=object_type, object_id=_object_id(object_id), status=NotificationStatus.pending,
                       attempts=0, next_attempt_at=now, created_at=now)
    if not _ADDRESS.match(row.recipient):
        row.status, row.last_error = NotificationStatus.failed, "invalid e-mail address"
        logger.warning("e-mail notification of %s not sent: invalid e-mail address", event)
    session.add(row)
    return row


def enqueue_webhooks(session: Session, *, event: str, payload: dict, object_type: str | None = None,
                     object_id: str | int | None = None, settings: Settings | None = None) -> list[Notification]:
    """Add one webhook per configured URL to the caller's transaction (none when no URL is configured).

    ``payload`` must be JSON-serialisable (else ``TypeError``); receivers get it as ``data`` of the body.
    """
    settings = settings or get_settings()
    data = json.loads(json.dumps(payload, ensure_ascii=False))
    now = _utcnow()
    rows = [Notification(channel=Channel.webhook, recipient=url, payload=data, event=event, object_type=object_type,
                         object_id=_object_id(object_id), status=NotificationStatus.pending, attempts=0,
                         next_attempt_at=now, created_at=now)
            for url in settings.webhook_urls]
    session.add_all(rows)
    return rows


def list_notifications(session: Session, *, status: NotificationStatus | str | None = None,
                       channel: Channel | str | None = None, limit: int = 50) -> list[Notification]:
    """The newest outbox rows, optionally of one status and channel."""
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Notification.status == NotificationStatus(status))
    if channel is not None:
        query = query.where(Notification.channel == Channel(channel))
    return list(session.scalars(query))


def requeue_failed(session: Session, *, ids: list[int] | None = None) -> int:
    """Make failed rows (all, or those of ``ids``) pending again with fresh attempts, due now; how many."""
    query = (update(Notification).where(Notification.status == NotificationStatus.failed)
             .values(status=NotificationStatus.pending, attempts=0, next_attempt_at=_utcnow()))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    return session.execute(query).rowcount


@dataclass(frozen=True)
class _Claim:
    """What a sender needs of a claimed row, read while it was claimed."""

    id: int
    channel: Channel
    recipient: str
    subject: str | None
    body: str | None
    payload: object
    event: str
    object_type: str | None
    object_id: str | None
    created_at: datetime
    attempts: int


@dataclass(frozen=True)
class DeliveryOutcome:
    """What happened to one row: ``sent``, ``retry`` (at ``next_attempt_at``) or ``failed``."""

    id: int
    channel: str
    event: str
    status: str
    attempts: int
    error: str | None = None
    next_attempt_at: datetime | None = None


@dataclass
class DeliveryReport:
    """The outcome of one :func:`deliver_due` run."""

    outcomes: list[DeliveryOutcome] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def claimed(self) -> int:
        """Rows this run attempted."""
        return len(self.outcomes)

    @property
    def sent(self) -> int:
        return self._count("sent")

    @property
    def retried(self) -> int:
        return self._count("retry")

    @property
    def failed(self) -> int:
        return self._count("failed")


def scrub(text: str, settings: Settings) -> str:
    """``text`` without any configured secret, on one line, cut to fit ``last_error``."""
    for secret in (settings.smtp_password, settings.webhook_secret):
        value = secret.get_secret_value() if secret else ""
        if value:
            text = text.replace(value, "***")
    text = " ".join(text.split())
    return text if len(text) <= LAST_ERROR_LENGTH else text[:LAST_ERROR_LENGTH - 1] + "…"


class DeliveryFailed(RuntimeError):
    """A send that did not succeed, described in its message."""


def _describe(error: BaseException) -> str:
    import smtplib

    from chainkeeper.notifications.email import EmailNotConfigured

    if isinstance(error, DeliveryFailed | EmailNotConfigured):
        return str(error)
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) \
            else str(error.smtp_error)
        return f"{type(error).__name__}: {error.smtp_code} {message}"
    if isinstance(error, TimeoutError):
        return f"timeout ({type(error).__name__}: {error})"
    return f"{type(error).__name__}: {error}"


def _claim(engine: Engine, *, now: datetime, count: int, settings: Settings) -> list[_Claim]:
    lease_until = now + _lease(settings)
    with unit_of_work(engine, immediate=True) as session:
        query = (select(Notification)
                 .where(Notification.status == NotificationStatus.pending, Notification.next_attempt_at <= now)
                 .order_by(Notification.next_attempt_at, Notification.id).limit(count))
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claims = []
        for row in session.scalars(query):
            if row.attempts >= settings.notification_max_attempts:  # its last sender died holding it
                row.status = NotificationStatus.failed
                row.last_error = row.last_error or f"gave up after {row.attempts} attempts"
                continue
            row.attempts += 1
            row.next_attempt_at = lease_until
            claims.append(_Claim(row.id, row.channel, row.recipient, row.subject, row.body, row.payload, row.event,
                                 row.object_type, row.object_id, row.created_at, row.attempts))
    return claims


def _send(claim: _Claim, settings: Settings) -> None:
    """Send one claimed row; raise on any failure."""
    if claim.channel == Channel.email:
        from chainkeeper.notifications.email import build_message, message_id_for, send_email

        message = build_message(sender=settings.smtp_sender, to=claim.recipient, subject=claim.subject or "",
                                body=claim.body or "", message_id=message_id_for(claim.id, settings.smtp_sender),
                                event=claim.event)
        send_email(settings, message)
        return
    from chainkeeper.notifications.webhooks import envelope, post_webhook

    if settings.webhook_secret is None or not settings.webhook_secret.get_secret_value():
        raise DeliveryFailed("webhooks are not signed: CHAINKEEPER_WEBHOOK_SECRET is not set")
    body = envelope(delivery_id=claim.id, event=claim.event, object_type=claim.object_type,
                    object_id=claim.object_id, created_at=claim.created_at, data=claim.payload)
    result = post_webhook(claim.recipient, body=body, event=claim.event, delivery_id=claim.id,
                          secret=settings.webhook_secret, timeout=settings.notification_timeout)
    if not result.ok:
        raise DeliveryFailed(result.error or "webhook failed")


def _record(engine: Engine, claim: _Claim, error: str | None, *, when: datetime, settings: Settings) -> DeliveryOutcome:
    if error is None:
        values, outcome = dict(status=NotificationStatus.sent, sent_at=when, last_error=None), \
            DeliveryOutcome(claim.id, claim.channel.value, claim.event, "sent", claim.attempts)
    elif claim.attempts >= settings.notification_max_attempts:
        values, outcome = dict(status=NotificationStatus.failed, last_error=error, next_attempt_at=when), \
            DeliveryOutcome(claim.id, claim.channel.value, claim.event, "failed", claim.attempts, error)
    else:
        retry_at = when + backoff(claim.attempts)
        values, outcome = dict(last_error=error, next_attempt_at=retry_at), \
            DeliveryOutcome(claim.id, claim.channel.value, claim.event, "retry", claim.attempts, error, retry_at)
    with unit_of_work(engine, immediate=True) as session:
        # only while this sender still holds the row (a lease that ran out may have passed it to another one)
        session.execute(update(Notification)
                        .where(Notification.id == claim.id, Notification.attempts == claim.attempts,
                               Notification.status == NotificationStatus.pending)
                        .values(**values))
    return outcome


def deliver_due(engine: Engine, *, settings: Settings | None = None, now: datetime | None = None,
                limit: int = 100) -> DeliveryReport:
    """Send up to ``limit`` due notifications and record each outcome; one row's failure never stops the others.

    ``now`` (aware UTC) fixes the clock for due times, back-off and ``sent_at``; default: the real clock.
    """
    settings = settings or get_settings()
    clock: Callable[[], datetime] = (lambda: now) if now is not None else _utcnow
    report = DeliveryReport()
    while report.claimed < limit:
        claims = _claim(engine, now=clock(), count=min(CHUNK, limit - report.claimed), settings=settings)
        if not claims:
            break
        for claim in claims:
            try:
                _send(claim, settings)
                error = None
            except Exception as exc:  # noqa: BLE001 - every failure of one row is recorded, never raised
                error = scrub(_describe(exc), settings)
            outcome = _record(engine, claim, error, when=clock(), settings=settings)
            report.outcomes.append(outcome)
            _log(outcome)
    return report


def _log(outcome: DeliveryOutcome) -> None:
    if outcome.status == "sent":
        logger.info("notification %s (%s, %s) sent", outcome.id, outcome.channel, outcome.event)
    elif outcome.status == "retry":
        logger.warning("notification %s (%s, %s) attempt %s failed, retry at %s: %s", outcome.id, outcome.channel,
                       outcome.event, outcome.attempts, outcome.next_attempt_at.isoformat(), outcome.error)
    else:
        logger.error("notification %s (%s, %s) failed after %s attempts: %s", outcome.id, outcome.channel,
                     outcome.event, outcome.attempts, outcome.error)
