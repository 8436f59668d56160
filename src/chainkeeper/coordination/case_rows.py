"""The case page's timeline, comments and files as plain rows (issue 15): the columns the page shows, read by
statements built once and run on the session's connection, instead of whole event, comment and attachment-link
entities through the ORM and then each file's :class:`Attachment` entity by its own statement (one per file).
Same rows in the same order as :func:`queries.timeline`, :func:`queries.comments` and :func:`queries.attachments`."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.models import CaseAttachment, CaseComment, CaseEvent
from chainkeeper.coordination.scope import sees_internal
from chainkeeper.whitelist.models import Attachment

CASE = bindparam("case_id")
TIMELINE = (select(CaseEvent.at, CaseEvent.action, CaseEvent.actor_name, CaseEvent.note)
            .where(CaseEvent.case_id == CASE).order_by(CaseEvent.id))
COMMENTS = (select(CaseComment.at, CaseComment.author_name, CaseComment.internal, CaseComment.body)
            .where(CaseComment.case_id == CASE).order_by(CaseComment.id))
PUBLIC_COMMENTS = COMMENTS.where(CaseComment.internal.is_(False))
FILES = (select(CaseAttachment.id, Attachment.filename, Attachment.size)
         .join(Attachment, Attachment.id == CaseAttachment.attachment_id)
         .where(CaseAttachment.case_id == CASE).order_by(CaseAttachment.id))


def _rows(session: Session, statement, case_id: int) -> list[Row]:
    return session.connection().execute(statement, {"case_id": case_id}).all()


def timeline(session: Session, case_id: int) -> list[Row]:
    """Every step of the case, oldest first: ``at``, ``action``, ``actor_name``, ``note``."""
    return _rows(session, TIMELINE, case_id)


def comments(session: Session, case_id: int, principal: Principal) -> list[Row]:
    """The comments the principal may read (internal ones only for authorities): ``at``, ``author_name``,
    ``internal``, ``body``."""
    return _rows(session, COMMENTS if sees_internal(principal) else PUBLIC_COMMENTS, case_id)


def files(session: Session, case_id: int) -> list[Row]:
    """The case's files: the link's ``id``, the file's ``filename`` and ``size``, in one statement."""
    return _rows(session, FILES, case_id)
