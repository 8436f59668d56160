"""The case page's rows (issue 15): the case's columns with the names it shows, then its timeline, comments and files
together — the columns the page shows, read by statements built once (per viewer for the case's) and run on the
session's connection, instead of whole event, comment and attachment-link entities through the ORM and then each
file's :class:`Attachment` entity by its own statement (one per file). Same rows in the same order as
:func:`queries.timeline`, :func:`queries.comments` and :func:`queries.attachments`."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Boolean, Integer, Row, Select, bindparam, cast, literal_column, null, select, union_all
from sqlalchemy.orm import Session, aliased

from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.labels import TIME_LIMIT_REASON
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.models import Case, CaseAttachment, CaseComment, CaseEvent, Letter
from chainkeeper.coordination.scope import case_scope, letter_scope, sees_internal
from chainkeeper.core.rows import Memo
from chainkeeper.db import UTCDateTime
from chainkeeper.errors import NotFound
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.models import Attachment

CASE = bindparam("case_id")


def _part(kind: int, seq, at, first, second, third, internal, size) -> Select:
    """One list's rows as the columns the three share (``kind``: 0 timeline, 1 comments, 2 files)."""
    return select(literal_column(str(kind)).label("kind"), seq.label("seq"), at.label("at"), first.label("first"),
                  second.label("second"), third.label("third"), internal.label("internal"), size.label("size"))


NO_TEXT = cast(null(), CaseEvent.note.type)
STEPS = _part(0, CaseEvent.id, CaseEvent.at, CaseEvent.action, CaseEvent.actor_name, CaseEvent.note,
              cast(null(), Boolean), cast(null(), Integer)).where(CaseEvent.case_id == CASE)
NOTES = _part(1, CaseComment.id, CaseComment.at, CaseComment.author_name, CaseComment.body, NO_TEXT,
              CaseComment.internal, cast(null(), Integer)).where(CaseComment.case_id == CASE)
FILED = (_part(2, CaseAttachment.id, cast(null(), UTCDateTime), Attachment.filename, NO_TEXT, NO_TEXT,
               cast(null(), Boolean), Attachment.size)
         .join(Attachment, Attachment.id == CaseAttachment.attachment_id).where(CaseAttachment.case_id == CASE))
LISTS = union_all(STEPS, NOTES, FILED).order_by("kind", "seq")
PUBLIC_LISTS = union_all(STEPS, NOTES.where(CaseComment.internal.is_(False)), FILED).order_by("kind", "seq")


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


class Step(NamedTuple):
    """One step of the timeline (``due``: the time limit a reminder or an overdue step is about)."""

    at: datetime
    action: str
    actor_name: str
    note: str
    due: datetime | None = None


DEADLINE_EVENTS = ("remind", "overdue")  # the scheduler's steps: their note is the time limit (ISO 8601)
# the scheduler's notes that the step's label already says in the reader's language
SCHEDULER_NOTES = {("time_escalate", TIME_LIMIT_REASON)}


def _step(at: datetime, action: str, actor_name: str, note: str) -> Step:
    """The step, a scheduler's time limit read from its note (shown as a time, not as stored)."""
    if action in DEADLINE_EVENTS and note:
        try:
            return Step(at, action, actor_name, "", datetime.fromisoformat(note))
        except ValueError:
            pass
    return Step(at, action, actor_name, "" if (action, note) in SCHEDULER_NOTES else note)


class Comment(NamedTuple):
    """One comment."""

    at: datetime
    author_name: str
    internal: bool
    body: str


class File(NamedTuple):
    """One file: the link's id, the stored file's name and size."""

    id: int
    filename: str
    size: int


class Lists(NamedTuple):
    """The case's timeline (oldest first), the comments the viewer may read and the files, each in filing order."""

    timeline: list[Step]
    comments: list[Comment]
    files: list[File]


_CASE_ROWS = Memo(256)  # the case's statement per viewer (its scope): the few callers of a worker


def case_row(session: Session, principal: Principal, case_id: int) -> Row:
    """The case's columns with its firms' names, its liaison's name and e-mail, its letter's number and whether the
    letter is in the principal's :func:`letter_scope` (``letter_seen``), in one
    statement (issue 15: the case entity with its letter, the firms' names and the liaison were three), if the
    principal may read the case; else :class:`NotFound`, as :func:`service.get_case`. The statement is built once
    per principal (frozen: a changed role or binding is another key) and run on the session's connection."""
    statement = _CASE_ROWS.get(principal, lambda: CASE_ROW.add_columns(letter_scope(principal).label("letter_seen"))
                               .where(Case.id == CASE, case_scope(principal)))
    found = session.connection().execute(statement, {"case_id": case_id}).first()
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


def lists(session: Session, case_id: int, principal: Principal) -> Lists:
    """The case's timeline, the comments the principal may read (internal ones only for authorities) and its files,
    in one statement (issue 15: they were three)."""
    statement = LISTS if sees_internal(principal) else PUBLIC_LISTS
    found = Lists([], [], [])
    for kind, seq, at, first, second, third, internal, size in session.connection().execute(
            statement, {"case_id": case_id}):
        if kind == 0:
            found.timeline.append(_step(at, first, second, third))
        elif kind == 1:
            found.comments.append(Comment(at, first, internal, second))
        else:
            found.files.append(File(seq, first, size))
    return found
