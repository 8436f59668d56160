"""The day's allocation of a good in a coordinator's scope: run the proposal, fix lines by hand (the rest is
re-optimised around them), publish; producers confirm shipment and demanders receipt. What a published plan leaves
unmet stays open on the need and comes back in tomorrow's run. Every step is audited; nothing here commits (each
door runs one step in one transaction)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue, geo, lines, producers, requisitions
from chainkeeper.docking.access import coordinator_region, require_coordinator
from chainkeeper.docking.allocation import Demand, Fixed, Supply, allocate
from chainkeeper.docking.models import Need, Plan, PlanLine
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise


def open_quantities(session: Session, need_ids: list[int], *, exclude_plan: int | None = None) -> dict[int, float]:
    """Need id → quantity still open (the need less what published plans allocated to it; a cancelled line takes
    nothing, a failed one only what arrived: :func:`chainkeeper.docking.lines.counted`)."""
    if not need_ids:
        return {}
    query = select(PlanLine.need_id, func.sum(lines.counted())).join(Plan).where(
        Plan.state == "published", PlanLine.need_id.in_(need_ids))
    if exclude_plan is not None:
        query = query.where(Plan.id != exclude_plan)
    taken = dict(session.execute(query.group_by(PlanLine.need_id)).all())
    quantities = dict(session.execute(select(Need.id, Need.quantity).where(Need.id.in_(need_ids))).all())
    return {nid: max(0.0, quantities[nid] - float(taken.get(nid) or 0)) for nid in need_ids}


def _taken_today(session: Session, good_id: int, day: date, plan_id: int | None) -> dict[int, float]:
    query = select(PlanLine.producer_id, func.sum(lines.taken_from_producer())).join(Plan).where(
        Plan.state == "published", Plan.day == day, Plan.good_id == good_id)
    if plan_id is not None:
        query = query.where(Plan.id != plan_id)
    return {pid: float(q or 0) for pid, q in session.execute(query.group_by(PlanLine.producer_id))}


def _demands(session: Session, good_id: int, scope: str, plan_id: int | None) -> tuple[list[Demand], dict]:
    needs = list(session.scalars(select(Need).where(Need.good_id == good_id, Need.state == "approved",
                                                    Need.county_code.startswith(scope)).order_by(Need.id)))
    open_q = open_quantities(session, [n.id for n in needs], exclude_plan=plan_id)
    demands = [Demand(n.id, open_q[n.id], n.priority, geo.point(n.county_code), n.min_lot)
               for n in needs if open_q[n.id] > 0]
    return demands, {n.id: n for n in needs}


def _supplies(session: Session, good_id: int, good_code: str, day: date, scope: str, demands: list[Demand],
              needs: dict, plan_id: int | None) -> tuple[list[Supply], dict]:
    """The producers the scope may allocate: those located in it, and those it requisitioned; a producer
    requisitioned by another authority serves only that authority's region."""
    held = requisitions.active(session, good_id, day)
    taken = _taken_today(session, good_id, day, plan_id)
    stock = {s.enterprise_id: s for s in producers.stocks(session=session, good_code=good_code, day=day)}
    counties = dict(session.execute(select(Enterprise.id, Enterprise.county_code).where(
        Enterprise.id.in_(list(stock)))).all()) if stock else {}
    supplies = []
    for enterprise_id, figures in stock.items():
        req, allowed = held.get(enterprise_id), None
        if req is None:
            if not counties.get(enterprise_id, "").startswith(scope):
                continue
        elif not req.authority_region.startswith(scope):
            continue  # requisitioned by an authority above or beside this scope: only its own allocation uses it
        elif req.authority_region != scope:  # a province's requisition, in the ministry's allocation
            allowed = frozenset(d.id for d in demands if needs[d.id].county_code.startswith(req.authority_region))
        available = max(0.0, figures.available - taken.get(enterprise_id, 0.0))
        supplies.append(Supply(enterprise_id, available, geo.point(counties.get(enterprise_id, "")), allowed))
    return supplies, held


def _directed(held: dict, supplies: list[Supply], demands: list[Demand]) -> list[Fixed]:
    """The quantities requisitions direct to given needs, within what is available and open."""
    left = {s.id: s.available for s in supplies}
    open_q = {d.id: d.quantity for d in demands}
    out = []
    for enterprise_id, req in held.items():
        for need_id, quantity in (req.directions or {}).items():
            need_id = int(need_id)
            if enterprise_id in left and need_id in open_q:
                q = min(float(quantity), left[enterprise_id], open_q[need_id])
                if q > 0:
                    out.append(Fixed(enterprise_id, need_id, q, at_least=True))
                    left[enterprise_id] -= q
                    open_q[need_id] -= q
    return out


def _plan(session: Session, day: date, good_id: int, scope: str) -> Plan | None:
    return session.scalars(select(Plan).where(Plan.day == day, Plan.good_id == good_id,
                                              Plan.scope_region == scope)).first()


def _solve_into(session: Session, plan: Plan, fixed_by_hand: list[Fixed], *, strict: bool = False) -> Plan:
    """Solve the plan's day and replace its lines; with ``strict``, fixed lines that cannot all hold are refused
    (:class:`ValidationFailed`) before anything changes."""
    good = plan.good
    demands, needs = _demands(session, good.id, plan.scope_region, plan.id)
    supplies, held = _supplies(session, good.id, good.code, plan.day, plan.scope_region, demands, needs, plan.id)
    hand = {(f.supply_id, f.demand_id) for f in fixed_by_hand}
    directed = [f for f in _directed(held, supplies, demands) if (f.supply_id, f.demand_id) not in hand]
    answer = allocate(supplies, demands, fixed_by_hand + directed)
    if strict and answer.status == "fixed_infeasible":
        raise refuse(ValidationFailed, _("the fixed lines cannot all hold: {reason}"), field="quantity",
                     reason=answer.message.code)
    plan.lines.clear()
    session.flush()
    for line in answer.lines:
        plan.lines.append(PlanLine(producer_id=line.supply_id, need_id=line.demand_id, quantity=line.quantity,
                                   distance_km=line.distance_km, fixed=(line.supply_id, line.demand_id) in hand,
                                   reasons={"why": asdict(line.why), "why_not_more": asdict(line.why_not_more),
                                            "directed": (line.supply_id, line.demand_id) not in hand and line.fixed},
                                   state="proposed", note=""))
    # a pair fixed at 0 (never this producer for this need) is kept as a zero line so that the next run keeps it
    for item in fixed_by_hand:
        if item.quantity == 0:
            plan.lines.append(PlanLine(producer_id=item.supply_id, need_id=item.demand_id, quantity=0,
                                       distance_km=0, fixed=True, reasons={"why": {"code": "fixed", "params": {}}},
                                       state="proposed", note=""))
    plan.summary = {"status": answer.status, "message": asdict(answer.message),
                    "served_by_class": {str(k): v for k, v in answer.served_by_class.items()},
                    "need_by_class": {str(k): v for k, v in answer.need_by_class.items()},
                    "transport_km_units": answer.transport_km_units, "seconds": round(answer.seconds, 3),
                    "gap": answer.gap,  # > 0: a stage HiGHS's MIP stopped at its limit may be this far from optimal
                    "producers": len(supplies), "needs": len(demands),
                    "shortfalls": [{"need_id": s.demand_id, "unmet": s.unmet, "reason": asdict(s.reason)}
                                   for s in answer.shortfalls]}
    session.flush()
    return plan


def _hand_fixed(plan: Plan) -> list[Fixed]:
    return [Fixed(line.producer_id, line.need_id, line.quantity) for line in plan.lines if line.fixed]


def _draft(session: Session, caller: Caller, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or coordinator_region(caller.principal) is None:
        raise refuse(NotFound, _("no allocation plan {id}"), id=plan_id)
    require_coordinator(caller.principal, plan.scope_region)
    if plan.state != "draft":
        raise refuse(Conflict, _("the allocation of {day} is published and can no longer change"),
                     day=plan.day.isoformat())
    return plan


def run(*, session: Session, caller: Caller, day: date, good_code: str, scope_region: str | None = None) -> Plan:
    """Propose (or propose again) the day's allocation of the good in the coordinator's scope; lines fixed by hand
    stay fixed."""
    own = coordinator_region(caller.principal)
    scope = own if scope_region is None else scope_region
    require_coordinator(caller.principal, scope or "")
    good = catalogue.get_good(session, good_code)
    plan = _plan(session, day, good.id, scope)
    if plan is not None and plan.state != "draft":
        raise refuse(Conflict, _("the allocation of {day} is published and can no longer change"),
                     day=day.isoformat())
    if plan is None:
        plan = Plan(day=day, good_id=good.id, scope_region=scope, state="draft", summary={},
                    created_by=caller.actor.user_id)
        session.add(plan)
        session.flush()
    _solve_into(session, plan, _hand_fixed(plan))
    record(session=session, actor=caller.actor, action="docking.plan.run", object_type="docking_plan",
           object_id=plan.id, after=_audit_view(plan))
    return plan


def _audit_view(plan: Plan) -> dict:
    return {"day": plan.day.isoformat(), "good_id": plan.good_id, "scope": plan.scope_region, "state": plan.state,
            "status": plan.summary.get("status"), "lines": [[l.producer_id, l.need_id, l.quantity, l.fixed]
                                                            for l in plan.lines]}


def fix_line(*, session: Session, caller: Caller, plan_id: int, producer_id: int, need_id: int,
             quantity: float | None) -> Plan:
    """Fix the quantity from a producer to a need by hand (``None`` releases it) and re-optimise the rest."""
    plan = _draft(session, caller, plan_id)
    if quantity is not None and (not isinstance(quantity, (int, float)) or quantity < 0):
        raise refuse(ValidationFailed, _("the quantity must be 0 or more"), field="quantity")
    before = _audit_view(plan)
    fixed = [f for f in _hand_fixed(plan) if (f.supply_id, f.demand_id) != (producer_id, need_id)]
    if quantity is not None:
        fixed.append(Fixed(producer_id, need_id, float(quantity)))
    _solve_into(session, plan, fixed, strict=True)
    record(session=session, actor=caller.actor, action="docking.plan.fix", object_type="docking_plan",
           object_id=plan.id, before=before, after=_audit_view(plan) | {"fixed": [producer_id, need_id, quantity]})
    return plan


def publish(*, session: Session, caller: Caller, plan_id: int) -> Plan:
    """Publish the draft: its lines go to the producers and demanders; what stays unmet carries to tomorrow."""
    plan = _draft(session, caller, plan_id)
    plan.state, plan.published_at = "published", datetime.now(timezone.utc)
    for line in list(plan.lines):
        if line.quantity <= 0:
            plan.lines.remove(line)
        else:
            line.state = "published"
    session.flush()
    record(session=session, actor=caller.actor, action="docking.plan.publish", object_type="docking_plan",
           object_id=plan.id, after=_audit_view(plan))
    return plan


def _line(session: Session, line_id: int) -> PlanLine:
    line = session.get(PlanLine, line_id)
    if line is None or line.plan.state != "published":
        raise refuse(NotFound, _("no allocation line {id}"), id=line_id)
    return line


def _may_act_for(caller: Caller, enterprise_id: int | None, county_code: str) -> bool:
    principal = caller.principal
    if principal.has(Role.enterprise) and enterprise_id is not None and principal.enterprise_id == enterprise_id:
        return True
    own = coordinator_region(principal)
    return own is not None and county_code.startswith(own)


def _quantity(value: float | None, default: float) -> float:
    quantity = default if value is None else value
    if not isinstance(quantity, (int, float)) or quantity < 0:
        raise refuse(ValidationFailed, _("the quantity must be 0 or more"), field="quantity")
    return float(quantity)


def confirm_shipment(*, session: Session, caller: Caller, line_id: int, quantity: float | None = None) -> PlanLine:
    """The producer (or its province) confirms the line shipped (by default the allocated quantity)."""
    line = _line(session, line_id)
    producer = session.get(Enterprise, line.producer_id)
    if not _may_act_for(caller, producer.id, producer.county_code):
        raise refuse(Forbidden, _("only the producer or its authority confirms the shipment"))
    if line.state != "published":
        raise refuse(Conflict, _("the line is already {state}"), state=line.state)
    line.shipped_quantity, line.shipped_at = _quantity(quantity, line.quantity), datetime.now(timezone.utc)
    line.state = "shipped"
    session.flush()
    record(session=session, actor=caller.actor, action="docking.line.ship", object_type="docking_plan_line",
           object_id=line.id, after={"shipped": line.shipped_quantity})
    return line


def confirm_receipt(*, session: Session, caller: Caller, line_id: int, quantity: float | None = None) -> PlanLine:
    """The demander (or the authority of its place) confirms receipt (by default the shipped quantity)."""
    line = _line(session, line_id)
    if not _may_act_for(caller, line.need.enterprise_id, line.need.county_code):
        raise refuse(Forbidden, _("only the demander or its authority confirms the receipt"))
    if line.state != "shipped":
        raise refuse(Conflict, _("the line must be shipped before it is received (now {state})"), state=line.state)
    line.received_quantity = _quantity(quantity, line.shipped_quantity or line.quantity)
    line.received_at, line.state = datetime.now(timezone.utc), "received"
    session.flush()
    record(session=session, actor=caller.actor, action="docking.line.receive", object_type="docking_plan_line",
           object_id=line.id, after={"received": line.received_quantity})
    return line


def plans_of_day(*, session: Session, caller: Caller, day: date) -> list[Plan]:
    """The day's plans the caller coordinates (its scope and below)."""
    own = coordinator_region(caller.principal)
    if own is None and not caller.principal.is_national:
        return []
    query = select(Plan).where(Plan.day == day).order_by(Plan.good_id, Plan.scope_region)
    return [p for p in session.scalars(query) if own is None or p.scope_region.startswith(own)]


def get_plan(*, session: Session, caller: Caller, plan_id: int) -> Plan:
    """A plan the caller coordinates (or any, for national readers)."""
    plan = session.get(Plan, plan_id)
    own = coordinator_region(caller.principal)
    if plan is None or not (caller.principal.is_national or (own is not None and plan.scope_region.startswith(own))):
        raise refuse(NotFound, _("no allocation plan {id}"), id=plan_id)
    return plan


def my_lines(*, session: Session, caller: Caller, day: date | None = None) -> list[PlanLine]:
    """Published lines where the caller's enterprise ships or receives (newest day first)."""
    principal = caller.principal
    if principal.enterprise_id is None:
        return []
    query = select(PlanLine).join(Plan).join(Need, Need.id == PlanLine.need_id).where(
        Plan.state == "published", or_(PlanLine.producer_id == principal.enterprise_id,
                                       Need.enterprise_id == principal.enterprise_id))
    if day is not None:
        query = query.where(Plan.day == day)
    return list(session.scalars(query.order_by(Plan.day.desc(), PlanLine.id)))
