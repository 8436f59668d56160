"""In-app notifications to applicants (e-mail comes later)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chainkeeper.i18n import _, translate
from chainkeeper.whitelist.models import Notification

MESSAGES = {
    "submit": _("Your application {id} to “{list}” was submitted."),
    "withdraw": _("Your application {id} to “{list}” was withdrawn."),
    "pass_local": _("Your application {id} to “{list}” passed the local review."),
    "approve": _("Your application {id} to “{list}” was approved."),
    "reject": _("Your application {id} to “{list}” was rejected: {reason}"),
    "publish": _("Your enterprise is listed on “{list}”, batch {batch}."),
    "nominate": _("Your enterprise was nominated to “{list}”."),
}


def notify(*, session: Session, enterprise_id: int, application_id: int | None, kind: str, **params) -> Notification:
    """Leave a message for the enterprise in the caller's transaction."""
    note = Notification(enterprise_id=enterprise_id, application_id=application_id, message=MESSAGES[kind],
                        params=json.dumps(params, ensure_ascii=False))
    session.add(note)
    return note


def text_of(note: Notification, language: str) -> str:
    """The notification in ``language``."""
    return translate(note.message, language, **json.loads(note.params))


def for_enterprise(*, session: Session, enterprise_id: int, limit: int = 50) -> list[Notification]:
    """The enterprise's newest notifications."""
    query = (select(Notification).where(Notification.enterprise_id == enterprise_id)
             .order_by(Notification.id.desc()).limit(limit))
    return list(session.scalars(query))


def mark_read(*, session: Session, enterprise_id: int) -> None:
    """Mark every notification of the enterprise read."""
    session.execute(update(Notification).where(Notification.enterprise_id == enterprise_id,
                                               Notification.read_at.is_(None))
                    .values(read_at=datetime.now(timezone.utc)))
