"""The case page's timeline, comments and files as plain rows (issue 15): the columns the page shows, read by
statements built once and run on the session's connection, instead of whole event, comment and attachment-link
entities through the ORM and then each file's :class:`Attachment` entity by its own statement (one per file).
Same rows in the same order as :func:`queries.timeline`, :func:`queries.comments` and :func:`queries.attachments`."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session, aliased

from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.models import Case, CaseAttachment, CaseComment, CaseEvent, Letter
from chainkeeper.coordination.scope import case_scope, sees_internal
from chainkeeper.errors import NotFound
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
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


REQUESTER, BLOCKING = aliased(Enterprise), aliased(Enterprise)
CASE_ROW = (select(*Case.__table__.c, REQUESTER.name.label("requester_firm"), BLOCKING.name.label("blocking_firm"),
                   User.display_name.label("liaison_name"), User.email.label("liaison_email"),
                   Letter.number.label("letter_number"))
            .outerjoin(REQUESTER, REQUESTER.id == Case.requester_id)
            .outerjoin(BLOCKING, BLOCKING.id == Case.blocking_enterprise_id)
            .outerjoin(User, User.id == Case.liaison_id).outerjoin(Letter, Letter.id == Case.letter_id))


class Liaison(NamedTuple):
    """What the case page shows of the liaison."""

    display_name: str
    email: str | None


def case_row(session: Session, principal: Principal, case_id: int) -> Row:
    """The case's columns with its firms' names, its liaison's name and e-mail and its letter's number, in one
    statement (issue 15: the case entity with its letter, the firms' names and the liaison were three), if the
    principal may read the case; else :class:`NotFound`, as :func:`service.get_case`."""
    found = session.execute(CASE_ROW.where(Case.id == case_id, case_scope(principal))).first()
    if found is None:
        raise refuse(NotFound, _("no case {case_id}"), case_id=case_id)
    return found


def firms_of(case: Row) -> dict[int, str]:
    """The names of the case's requester and blocking enterprise by id (as ``enterprise_names`` gives them)."""
    pairs = ((case.requester_id, case.requester_firm), (case.blocking_enterprise_id, case.blocking_firm))
    return {firm_id: name for firm_id, name in pairs if firm_id and name is not None}


def liaison_of(case: Row) -> Liaison | None:
    """The liaison's name and e-mail, or None when the case has none."""
    return None if case.liaison_name is None else Liaison(case.liaison_name, case.liaison_email)


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
