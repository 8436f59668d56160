"""Requisition (统一调拨) of a producer's output of a good by an authority: from then on that output goes only to
needs in the authority's region (the ministry: anywhere), through the day's allocation, and the quantities the
authority directs to given needs are fixed lines of the allocation. Audited; nothing here commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue
from chainkeeper.docking.access import require_coordinator
from chainkeeper.docking.models import Need, Requisition
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise


def _snapshot(item: Requisition) -> dict:
    return {"enterprise_id": item.enterprise_id, "good_id": item.good_id, "authority_region": item.authority_region,
            "since": item.since.isoformat(), "until": item.until.isoformat() if item.until else None,
            "directions": item.directions, "reason": item.reason}


def _directions(session: Session, region: str, directions: dict | None) -> dict[str, float]:
    clean = {}
    for key, quantity in (directions or {}).items():
        need = session.get(Need, int(key)) if str(key).isdigit() else None
        if need is None or not need.county_code.startswith(region):
            raise refuse(ValidationFailed, _("no need {id} in your region"), field="directions", id=str(key)[:12])
        if not isinstance(quantity, (int, float)) or quantity <= 0:
            raise refuse(ValidationFailed, _("a directed quantity must be above 0"), field="directions")
        clean[str(need.id)] = float(quantity)
    return clean


def requisition(*, session: Session, caller: Caller, enterprise_id: int, good_code: str, since: date,
                until: date | None = None, directions: dict | None = None, reason: str = "") -> Requisition:
    """Requisition the producer's output of the good: the ministry any producer, a province those located in it."""
    firm = session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
    if firm is None:
        raise refuse(NotFound, _("no enterprise {id}"), id=enterprise_id)
    region = require_coordinator(caller.principal, firm.county_code)
    good = catalogue.get_good(session, good_code)
    if until is not None and until < since:
        raise refuse(ValidationFailed, _("the end is before the start"), field="until")
    if not (reason or "").strip():
        raise refuse(ValidationFailed, _("say why the output is requisitioned"), field="reason")
    item = Requisition(enterprise_id=firm.id, good_id=good.id, authority_region=region, since=since, until=until,
                       directions=_directions(session, region, directions), reason=reason.strip()[:500],
                       created_by=caller.actor.user_id)
    session.add(item)
    session.flush()
    record(session=session, actor=caller.actor, action="docking.requisition.create",
           object_type="docking_requisition", object_id=item.id, after=_snapshot(item))
    return item


def end(*, session: Session, caller: Caller, requisition_id: int, until: date) -> Requisition:
    """End a requisition on ``until`` (its authority, or the ministry)."""
    item = session.get(Requisition, requisition_id)
    if item is None:
        raise refuse(NotFound, _("no requisition {id}"), id=requisition_id)
    require_coordinator(caller.principal, item.authority_region)
    before = _snapshot(item)
    item.until = until
    session.flush()
    record(session=session, actor=caller.actor, action="docking.requisition.end", object_type="docking_requisition",
           object_id=item.id, before=before, after=_snapshot(item))
    return item


def active(session: Session, good_id: int, day: date) -> dict[int, Requisition]:
    """The requisitions of the good in force on ``day``, by producer (the newest when several)."""
    query = select(Requisition).where(Requisition.good_id == good_id, Requisition.since <= day,
                                      or_(Requisition.until.is_(None), Requisition.until >= day)
                                      ).order_by(Requisition.id)
    return {item.enterprise_id: item for item in session.scalars(query)}
