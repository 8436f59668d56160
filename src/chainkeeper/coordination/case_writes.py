"""The desk's writes as narrow writes (:mod:`chainkeeper.core.data_epoch`, :mod:`chainkeeper.core.write_log`): a
case filed, handed on, escalated or changed in any way through the ORM ends only the kept desk views whose scope can
see the case, before or after the change, in every worker; every other kept view ends as on any write (issue 15: at
one filing a second every queue page of every viewer ended, and the load paid fresh pages).

What a case change touches (:func:`case_touches`) are the inputs of :func:`chainkeeper.coordination.scope.case_scope`
before and after it: its requester (``e<id>``), its requester, blocking and handling regions and the regions of its
liaisons (``r<code>``), its liaisons (``u<id>``); :func:`chainkeeper.coordination.scope.sees_touches` is the same
rule over them. When a value before the change is not known (an attribute set while not loaded) or a case is deleted
(its rows elsewhere go with it), the transaction ends every kept view.

The timeline, comments, attachments, audit trail and notifications written beside a case are read by no view that
opts in (the queue page, its counts and the queue API; ``tests/coordination/test_desk_narrow.py`` records the
tables they read), so their rows touch nothing. The counters ``desk_case_count`` change by trigger with the case's
row, within its regions. Other tables, text (the counter fold), DDL, DELETEs and Core statements on ``desk_case``
stay writes that end everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from chainkeeper.audit.models import AuditEvent, AuditHead
from chainkeeper.auth.models import User
from chainkeeper.coordination.models import Case, CaseAttachment, CaseComment, CaseEvent
from chainkeeper.core import data_epoch
from chainkeeper.notifications.models import Notification

SCOPE_INPUTS = ("requester_id", "requester_region_code", "blocking_region_code", "handling_region_code", "liaison_id")
"""The columns of a case that decide who sees it (:func:`chainkeeper.coordination.scope.case_scope`)."""


def case_touches(session: Session) -> set[str] | None:
    """What the cases of the session's flush touch, before and after (None: not known)."""
    cases = [(found, True) for found in session.new if isinstance(found, Case)]
    cases += [(found, False) for found in session.dirty if isinstance(found, Case)]
    if any(isinstance(found, Case) for found in session.deleted):
        return None
    touches: set[str] = set()
    liaisons: set[int] = set()
    for case, new in cases:
        values = _scope_values(case, new)
        if values is None:
            return None
        for name, value in values:
            if value is None or value == "":
                continue
            if name == "requester_id":
                touches.add(f"e{value}")
            elif name == "liaison_id":
                liaisons.add(value)
            else:
                touches.add(f"r{value}")
    if liaisons:
        touches.update(f"u{liaison}" for liaison in liaisons)
        regions = session.connection().execute(select(User.region_code).where(User.id.in_(sorted(liaisons))))
        touches.update(f"r{region}" for region in regions.scalars() if region)
    return touches


def _scope_values(case: Case, new: bool) -> list[tuple[str, object]] | None:
    """The case's :data:`SCOPE_INPUTS` now and before its unflushed change; None when one is not known (not loaded;
    of a ``new`` case, not set and with a default other than a plain value)."""
    state = inspect(case)
    values = []
    for name in SCOPE_INPUTS:
        if name in state.dict:
            values.append((name, state.dict[name]))
        elif not new or (value := _plain_default(name)) is NO_VALUE:
            return None
        else:
            values.append((name, value))
        if not new and name in state.committed_state:
            before = state.committed_state[name]
            if before is NO_VALUE:
                return None
            values.append((name, before))
    return values


def _plain_default(name: str) -> object:
    """The value a new case gets for column ``name`` when not set: its plain default (None without one), else
    ``NO_VALUE`` (a callable or a server default)."""
    column = Case.__table__.c[name]
    if column.server_default is not None:
        return NO_VALUE
    if column.default is None:
        return None
    return column.default.arg if column.default.is_scalar else NO_VALUE


def declare(unread: Iterable[str] = (CaseEvent.__tablename__, CaseComment.__tablename__,
                                     CaseAttachment.__tablename__, AuditEvent.__tablename__,
                                     AuditHead.__tablename__, Notification.__tablename__)) -> None:
    """Declare the desk's narrow writes to the data epoch (done on import)."""
    data_epoch.narrow_table(Case.__tablename__, case_touches)
    for table in unread:
        data_epoch.narrow_table(table)


declare()
