"""Needs posts: a demander (an enterprise or hospital for itself, a province or the ministry on behalf) posts how
much of a good it needs, by when, with its priority class, place and contact; the authority of the place (its
province, or the ministry) approves or rejects it; only approved needs count in the allocation. Every write is
audited; nothing here commits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue
from chainkeeper.docking.access import coordinator_region, need_scope, require_coordinator
from chainkeeper.docking.models import PRIORITIES, Need
from chainkeeper.errors import Conflict, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise

PHONE = re.compile(r"^[0-9+\-() ]{5,40}$")
MAX_QUANTITY = 1e12


@dataclass(frozen=True)
class NeedIn:
    """What a demander posts."""

    good_code: str
    quantity: float
    date_needed: date
    priority: int
    county_code: str
    contact_name: str
    contact_phone: str
    demander_name: str = ""
    enterprise_id: int | None = None  # the demander when it is a registered enterprise
    min_lot: float = 0.0


def _invalid(template: str, field: str, **params):
    return refuse(ValidationFailed, template, field=field, **params)


def _check(session: Session, data: NeedIn) -> None:
    if not isinstance(data.quantity, (int, float)) or not 0 < data.quantity <= MAX_QUANTITY:
        raise _invalid(_("the quantity must be above 0"), "quantity")
    if not isinstance(data.min_lot, (int, float)) or not 0 <= data.min_lot <= data.quantity:
        raise _invalid(_("the minimum lot is between 0 and the quantity"), "min_lot")
    if data.priority not in PRIORITIES:
        raise _invalid(_("the priority class is 1, 2 or 3"), "priority")
    region = session.get(Region, data.county_code or "")
    if region is None or region.level != 3:
        raise _invalid(_("no county {code}"), "county_code", code=(data.county_code or "")[:6])
    if not (data.contact_name or "").strip() or len(data.contact_name) > 100:
        raise _invalid(_("enter a contact name (at most 100 characters)"), "contact_name")
    if not PHONE.match(data.contact_phone or ""):
        raise _invalid(_("enter a telephone number"), "contact_phone")


def _poster(session: Session, caller: Caller, data: NeedIn) -> tuple[int | None, str, str]:
    """(enterprise id, demander name, on-behalf region) — an enterprise posts only for itself; a coordinator for
    any demander of its region."""
    principal = caller.principal
    if principal.has(Role.enterprise) and principal.enterprise_id is not None and \
            data.enterprise_id in (None, principal.enterprise_id) and coordinator_region(principal) is None:
        firm = session.get(Enterprise, principal.enterprise_id)
        return firm.id, firm.name, ""
    region = require_coordinator(principal, data.county_code or "")
    name = (data.demander_name or "").strip()
    if data.enterprise_id is not None:
        firm = session.get(Enterprise, data.enterprise_id)
        if firm is None:
            raise _invalid(_("no enterprise {id}"), "enterprise_id", id=data.enterprise_id)
        name = name or firm.name
    if not name or len(name) > 200:
        raise _invalid(_("enter the demander's name (at most 200 characters)"), "demander_name")
    return data.enterprise_id, name, region


def snapshot(need: Need) -> dict:
    """What the audit trail keeps of a need."""
    return {"good_id": need.good_id, "enterprise_id": need.enterprise_id, "demander": need.demander_name,
            "quantity": need.quantity, "min_lot": need.min_lot, "date_needed": need.date_needed.isoformat(),
            "priority": need.priority, "county_code": need.county_code, "state": need.state,
            "review_note": need.review_note}


def post(*, session: Session, caller: Caller, data: NeedIn) -> Need:
    """Post a need (state ``submitted``)."""
    good = catalogue.get_good(session, data.good_code)
    _check(session, data)
    enterprise_id, name, region = _poster(session, caller, data)
    need = Need(good_id=good.id, enterprise_id=enterprise_id, demander_name=name, on_behalf_region=region,
                quantity=float(data.quantity), min_lot=float(data.min_lot or 0), date_needed=data.date_needed,
                priority=data.priority, county_code=data.county_code, contact_name=data.contact_name.strip(),
                contact_phone=data.contact_phone.strip(), state="submitted", posted_by=caller.actor.user_id,
                review_note="")
    session.add(need)
    session.flush()
    record(session=session, actor=caller.actor, action="docking.need.post", object_type="docking_need",
           object_id=need.id, after=snapshot(need))
    return need


def get(*, session: Session, caller: Caller, need_id: int) -> Need:
    """The need if the caller may read it (:class:`NotFound` otherwise, with no hint that it exists)."""
    found = session.scalars(select(Need).where(Need.id == need_id, need_scope(caller.principal))).first()
    if found is None:
        raise refuse(NotFound, _("no need {id}"), id=need_id)
    return found


def review(*, session: Session, caller: Caller, need_id: int, approve: bool, note: str = "") -> Need:
    """Approve or reject a submitted need (its province or the ministry)."""
    need = get(session=session, caller=caller, need_id=need_id)
    require_coordinator(caller.principal, need.county_code)
    if need.state != "submitted":
        raise refuse(Conflict, _("the need was already reviewed ({state})"), state=need.state)
    if not approve and not (note or "").strip():
        raise _invalid(_("say why the need is rejected"), "note")
    before = snapshot(need)
    need.state = "approved" if approve else "rejected"
    need.reviewed_by, need.reviewed_at = caller.actor.user_id, datetime.now(timezone.utc)
    need.review_note = (note or "").strip()[:500]
    session.flush()
    record(session=session, actor=caller.actor, action="docking.need.approve" if approve else "docking.need.reject",
           object_type="docking_need", object_id=need.id, before=before, after=snapshot(need))
    return need


def listing(*, session: Session, caller: Caller, state: str | None = None, good_code: str | None = None,
            limit: int = 500) -> list[Need]:
    """The needs the caller may read, newest first."""
    query = select(Need).where(need_scope(caller.principal)).order_by(Need.id.desc()).limit(limit)
    if state:
        query = query.where(Need.state == state)
    if good_code:
        query = query.where(Need.good_id == catalogue.get_good(session, good_code).id)
    return list(session.scalars(query))

