"""The complaints' time limits on the desk's clock (:class:`chainkeeper.coordination.scheduler.DeskClock`): a
complaint past its acceptance, transfer or handling limit is flagged overdue (once, with a timeline event and an
audit entry), each in its own transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.audit.service import record
from chainkeeper.coordination.service import moment
from chainkeeper.db import unit_of_work
from chainkeeper.sme.arrears.models import OPEN, Complaint, Event

BATCH = 500


def flag_overdue(engine: Engine, *, now: datetime | None = None) -> int:
    """Flag the open complaints whose running limit has passed; returns how many were flagged."""
    now = moment(now)
    with unit_of_work(engine) as session:
        ids = list(session.scalars(select(Complaint.id).where(Complaint.state.in_(OPEN),
                                                              Complaint.overdue.is_(False)).limit(BATCH)))
    flagged = 0
    for complaint_id in ids:
        with unit_of_work(engine, immediate=True) as session:
            c = session.get(Complaint, complaint_id)
            due = c.due_at if c is not None else None
            if due is None or c.overdue or now <= due:
                continue
            c.overdue = True
            session.add(Event(complaint_id=c.id, at=now, actor="system", action="overdue", from_state=c.state.value,
                              to_state=c.state.value, note=due.isoformat()))
            record(session=session, actor=SYSTEM, action="arrears.overdue", object_type="arrears_complaint",
                   object_id=c.id, before={"overdue": False}, after={"overdue": True})
            flagged += 1
    return flagged
