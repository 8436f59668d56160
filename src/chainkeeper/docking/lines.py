"""What happens to a published line after publishing, besides shipment and receipt (see :mod:`plans`): the
coordinator of the plan's scope cancels a line that will not ship (a reason required), or reopens the need after a
failed shipment (shipped but not, or not all, received). Either way the quantity that did not reach the demander is
open on the need again (:func:`counted`), so the next run of the day's allocation carries it. Audited with before and
after; nothing here commits."""

from __future__ import annotations

from sqlalchemy import case, func
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking.access import coordinator_region
from chainkeeper.docking.models import PlanLine
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _

CANCELLABLE = ("published",)
REOPENABLE = ("shipped", "received")


def counted():
    """SQL: what a line of a published plan takes from its need — nothing once cancelled, what arrived once its
    shipment failed, else its quantity."""
    return case((PlanLine.state == "cancelled", 0.0),
                (PlanLine.state == "failed", func.coalesce(PlanLine.received_quantity, 0.0)),
                else_=PlanLine.quantity)


def taken_from_producer():
    """SQL: what a line of a published plan takes from its producer's stock — nothing once cancelled."""
    return case((PlanLine.state == "cancelled", 0.0), else_=PlanLine.quantity)


def _line(session: Session, caller: Caller, line_id: int) -> PlanLine:
    """A published plan's line that the caller coordinates (its plan's scope); :class:`NotFound` when there is no
    such line, :class:`Forbidden` when another authority coordinates it."""
    line = session.get(PlanLine, line_id)
    if line is None or line.plan.state != "published":
        raise refuse(NotFound, _("no allocation line {id}"), id=line_id)
    own = coordinator_region(caller.principal)
    if own is None or not line.plan.scope_region.startswith(own):
        raise refuse(Forbidden, _("only the coordinator of the allocation cancels or reopens its lines"))
    return line


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise refuse(ValidationFailed, _("say why"), field="reason")
    return text[:500]


def _view(line: PlanLine) -> dict:
    return {"state": line.state, "quantity": line.quantity, "shipped": line.shipped_quantity,
            "received": line.received_quantity}


def cancel(*, session: Session, caller: Caller, line_id: int, reason: str) -> PlanLine:
    """Cancel a published line not yet shipped: the need's quantity is open again, the producer's stock free."""
    line = _line(session, caller, line_id)
    text = _reason(reason)
    if line.state not in CANCELLABLE:
        raise refuse(Conflict, _("only a line not yet shipped can be cancelled (now {state})"), state=line.state)
    before = _view(line)
    line.state, line.note = "cancelled", text
    session.flush()
    record(session=session, actor=caller.actor, action="docking.line.cancel", object_type="docking_plan_line",
           object_id=line.id, before=before, after={"state": line.state, "reason": text,
                                                    "reopened": line.quantity})
    return line


def reopen(*, session: Session, caller: Caller, line_id: int, reason: str) -> PlanLine:
    """After a failed shipment (shipped, then not or not all received): what did not arrive is open on the need
    again; the line is marked ``failed``."""
    line = _line(session, caller, line_id)
    text = _reason(reason)
    delivered = float(line.received_quantity or 0) if line.state == "received" else 0.0
    if line.state not in REOPENABLE or delivered >= line.quantity:
        raise refuse(Conflict, _("only a shipped line that did not all arrive reopens its need (now {state})"),
                     state=line.state)
    before = _view(line)
    line.state, line.note = "failed", text
    if line.received_quantity is None:
        line.received_quantity = 0.0
    session.flush()
    record(session=session, actor=caller.actor, action="docking.line.reopen", object_type="docking_plan_line",
           object_id=line.id, before=before, after={"state": line.state, "reason": text, "delivered": delivered,
                                                    "reopened": line.quantity - delivered})
    return line
