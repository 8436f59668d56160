"""Filing a complaint and taking its steps. Every write is audited; nothing here commits (one transaction per
request or command, at the edge)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.policy import desk_policy
from chainkeeper.coordination.service import moment
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.arrears import workflow
from chainkeeper.sme.arrears.models import Complaint, Event, Kind, State
from chainkeeper.sme.arrears.regulation import ACCEPT_LIMIT, HANDLE_DAYS, TRANSFER_LIMIT
from chainkeeper.sme.arrears.rules import Claim, DebtorLevel, DebtorType, Verdict, eligibility, handling_region
from chainkeeper.sme.arrears.scope import complaint_scope
from chainkeeper.sme.arrears.sizing import SME_CLASSES, Figures, creditor_size
from chainkeeper.sme.arrears.workflow import Action

MAX_AMOUNT = Decimal("1e12")
SNAPSHOT = ("state", "handling_region_code", "handler", "paid", "agreement", "answer", "reason", "overdue",
            "published_summary")


@dataclass(frozen=True)
class ComplaintIn:
    """The three parts of the registration: the creditor (with its size figures), the debtor, the arrears."""

    kind: Kind
    debtor_name: str
    debtor_type: DebtorType
    debtor_level: DebtorLevel
    debtor_region_code: str
    amount: Decimal
    delivered_what: str
    creditor_id: int | None = None  # an enterprise files for itself; the ministry may register on behalf
    figures: Figures = field(default_factory=Figures)
    debtor_enterprise_id: int | None = None
    contract_no: str = ""
    signed_on: date | None = None
    delivered_on: date | None = None
    agreed_due_on: date | None = None
    agreed_rate: Decimal | None = None
    evidence: str = ""
    disputed: bool = False
    before_court: bool = False
    consent_publish: bool = False


@dataclass(frozen=True)
class StepIn:
    """One step with its inputs."""

    action: Action
    reason: str = ""
    text: str = ""  # the handler's name (transfer), the answer, the agreement, the proof of payment
    amount: Decimal | None = None  # a payment
    paid_on: date | None = None


def _invalid(template: str, field: str, **params):
    return refuse(ValidationFailed, template, field=field, **params)


def snapshot(c: Complaint) -> dict:
    """The fields a step may change, for the audit trail."""
    return {k: (v.value if hasattr(v, "value") else str(v) if isinstance(v, Decimal) else v)
            for k, v in ((name, getattr(c, name)) for name in SNAPSHOT)}


def today(now: datetime) -> date:
    """The China-time date of ``now``."""
    return desk_policy().calendar.local(now).date()


def _creditor(session: Session, principal: Principal, creditor_id: int | None) -> Enterprise:
    if principal.has(Role.enterprise) and principal.enterprise_id is not None and creditor_id in (
            None, principal.enterprise_id):
        return session.get(Enterprise, principal.enterprise_id)
    if principal.has(Role.ministry) and creditor_id is not None and session.get(Enterprise, creditor_id):
        return session.get(Enterprise, creditor_id)
    raise refuse(Forbidden, _("an enterprise files complaints for itself"))


def _check(session: Session, data: ComplaintIn) -> None:
    if not (data.debtor_name or "").strip() or len(data.debtor_name) > 200:
        raise _invalid(_("name the debtor (at most 200 characters)"), "debtor_name")
    region = session.get(Region, data.debtor_region_code or "")
    if region is None:
        raise _invalid(_("no region {code}"), "debtor_region_code", code=(data.debtor_region_code or "")[:6])
    try:
        amount = Decimal(data.amount)
    except (InvalidOperation, TypeError, ValueError):
        raise _invalid(_("the amount must be a number of yuan"), "amount") from None
    if not Decimal(0) < amount < MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise _invalid(_("the amount must be above 0, in yuan with at most 2 decimals"), "amount")
    if not (data.delivered_what or "").strip():
        raise _invalid(_("say what was delivered, or what was charged"), "delivered_what")
    if data.debtor_enterprise_id is not None and session.get(Enterprise, data.debtor_enterprise_id) is None:
        raise _invalid(_("no enterprise {id} in the registry"), "debtor_enterprise_id", id=data.debtor_enterprise_id)


def check(*, session: Session, caller: Caller, data: ComplaintIn, now: datetime | None = None
          ) -> tuple[Verdict, Enterprise, tuple]:
    """The eligibility verdict with its reasons, before filing; also the creditor and its size."""
    _check(session, data)
    creditor = _creditor(session, caller.principal, data.creditor_id)
    size, sector, how = creditor_size(creditor, data.figures)
    if data.kind is not Kind.arrears:  # irregular charges: any enterprise may report them
        return Verdict(True, None), creditor, (size, sector, how)
    debtor = session.get(Enterprise, data.debtor_enterprise_id) if data.debtor_enterprise_id else None
    claim = Claim(creditor_is_sme=size in SME_CLASSES, creditor_size=size.value, debtor_type=data.debtor_type,
                  debtor_is_large=None if debtor is None else debtor.size == "large",
                  delivered_on=data.delivered_on, agreed_due_on=data.agreed_due_on, disputed=data.disputed,
                  before_court=data.before_court)
    return eligibility(claim, today(moment(now))), creditor, (size, sector, how)


def file(*, session: Session, caller: Caller, data: ComplaintIn, now: datetime | None = None) -> Complaint:
    """Register a complaint; an ineligible one is refused with every failed reason."""
    now = moment(now)
    verdict, creditor, (size, sector, _how) = check(session=session, caller=caller, data=data, now=now)
    if not verdict.eligible:
        error = _invalid(_("the complaint cannot be accepted as it stands"), "eligibility")
        error.details = [{"field": "eligibility", "message": m.format(**p), "template": m, "params": p}
                         for m, p in verdict.failed]
        raise error
    c = Complaint(kind=data.kind, creditor_id=creditor.id, creditor_region_code=creditor.county_code,
                  creditor_size=size.value, creditor_sector=sector, filed_by=caller.principal.user_id,
                  debtor_name=data.debtor_name.strip(), debtor_enterprise_id=data.debtor_enterprise_id,
                  debtor_type=data.debtor_type, debtor_level=data.debtor_level,
                  debtor_region_code=data.debtor_region_code,
                  handling_region_code=handling_region(data.debtor_level, data.debtor_region_code),
                  contract_no=data.contract_no.strip(), signed_on=data.signed_on, amount=Decimal(data.amount),
                  paid=Decimal(0), delivered_on=data.delivered_on, agreed_due_on=data.agreed_due_on,
                  due_on=verdict.due_on, agreed_rate=data.agreed_rate, delivered_what=data.delivered_what.strip(),
                  evidence=data.evidence.strip(), disputed=data.disputed, before_court=data.before_court,
                  eligible=True, reasons=json.dumps([list(r) for r in verdict.met], ensure_ascii=False),
                  consent_publish=data.consent_publish, submitted_at=now, state=State.submitted,
                  accept_due_at=ACCEPT_LIMIT.deadline(now, desk_policy().calendar))
    session.add(c)
    session.flush()
    _event(session, c, caller, "file", None, now)
    record(session=session, actor=caller.actor, action="arrears.file", object_type="arrears_complaint",
           object_id=c.id, after=snapshot(c))
    return c


def _event(session: Session, c: Complaint, caller: Caller | None, action: str, before: State | None, now: datetime,
           note: str = "", amount: Decimal | None = None, paid_on: date | None = None) -> None:
    session.add(Event(complaint_id=c.id, at=now, actor=caller.actor.name if caller else "system", action=action,
                      from_state=before.value if before else "", to_state=c.state.value, note=note, amount=amount,
                      paid_on=paid_on))


def get(*, session: Session, principal: Principal, complaint_id: int) -> Complaint:
    """A complaint the caller may read; NotFound otherwise (the same answer whether it exists or not)."""
    found = session.scalar(select(Complaint).where(Complaint.id == complaint_id, complaint_scope(principal)))
    if found is None:
        raise refuse(NotFound, _("no complaint {id}"), id=complaint_id)
    return found


def listing(*, session: Session, principal: Principal, state: str | None = None, kind: str | None = None,
            limit: int = 200) -> list[Complaint]:
    """The complaints the caller may read, newest first."""
    query = select(Complaint).where(complaint_scope(principal))
    if state:
        if state not in {s.value for s in State}:
            raise _invalid(_("no state {value}"), "state", value=state[:16])
        query = query.where(Complaint.state == State(state))
    if kind:
        if kind not in {k.value for k in Kind}:
            raise _invalid(_("no kind {value}"), "kind", value=kind[:16])
        query = query.where(Complaint.kind == Kind(kind))
    return list(session.scalars(query.order_by(Complaint.id.desc()).limit(limit)))


def count_in_state(*, session: Session, principal: Principal, state: State) -> int:
    """How many complaints the caller may read are in ``state``: the rows of ``/sme/arrears?state=…``."""
    return session.scalar(count_query(principal, state))


def count_query(principal: Principal, state: State) -> Select:
    """:func:`count_in_state`'s statement."""
    return select(func.count()).select_from(Complaint).where(complaint_scope(principal), Complaint.state == state)


def parties_of(c: Complaint) -> workflow.Parties:
    """The guards' view of a complaint."""
    return workflow.Parties(c.creditor_id, c.debtor_enterprise_id, c.handling_region_code)


def events(session: Session, c: Complaint) -> list[Event]:
    """The timeline, oldest first."""
    return list(session.scalars(select(Event).where(Event.complaint_id == c.id).order_by(Event.at, Event.id)))


def payments(session: Session, c: Complaint) -> tuple[tuple[date, Decimal], ...]:
    """The recorded payments ``(day, amount)``."""
    return tuple((e.paid_on, Decimal(e.amount)) for e in events(session, c) if e.action == "pay")


def _pay(c: Complaint, step: StepIn, now: datetime) -> None:
    if step.amount is None or not Decimal(0) < Decimal(step.amount) <= c.outstanding:
        raise _invalid(_("a payment is above 0 and at most the {owed} yuan still owed"), "amount",
                       owed=str(c.outstanding))
    if not step.text.strip():
        raise _invalid(_("attach the proof of payment (bank slip number or file)"), "text")
    if step.paid_on is None or step.paid_on > today(now):
        raise _invalid(_("give the day it was paid (not in the future)"), "paid_on")
    c.paid = Decimal(c.paid) + Decimal(step.amount)


def _effects(c: Complaint, step: StepIn, now: datetime) -> None:
    calendar = desk_policy().calendar
    action = step.action
    if action is Action.accept:
        c.accepted_at, c.transfer_due_at = now, TRANSFER_LIMIT.deadline(now, calendar)
    elif action is Action.transfer:
        c.handler, c.transferred_at = step.text.strip()[:200], now
        c.handle_due_at = calendar.close_of(calendar.local(now).date() + timedelta(days=HANDLE_DAYS))
    elif action is Action.answer:
        c.answer = step.text.strip()
    elif action is Action.agree:
        c.agreement = step.text.strip()
    elif action is Action.pay:
        _pay(c, step, now)
    elif action in (Action.clear, Action.reject):
        c.closed_at, c.reason = now, step.reason.strip()
    if action is not Action.pay:
        c.overdue = False  # a new limit runs (or none)


def act(*, session: Session, caller: Caller, complaint_id: int, step: StepIn, now: datetime | None = None
        ) -> Complaint:
    """Take ``step`` on a complaint the caller may read; raises if the table does not allow it."""
    now = moment(now)
    c = get(session=session, principal=caller.principal, complaint_id=complaint_id)
    before_state, before = c.state, snapshot(c)
    target = workflow.decide(c.state, step.action, caller.principal, parties_of(c), reason=step.reason,
                             text=step.text)
    _effects(c, step, now)
    c.state = target
    session.flush()
    note = step.reason if step.action is Action.reject else step.text
    _event(session, c, caller, step.action.value, before_state, now, note=note,
           amount=Decimal(step.amount) if step.action is Action.pay else None,
           paid_on=step.paid_on if step.action is Action.pay else None)
    record(session=session, actor=caller.actor, action=f"arrears.{step.action.value}",
           object_type="arrears_complaint", object_id=c.id, before=before, after=snapshot(c))
    return c


def available(c: Complaint, principal: Principal) -> list[Action]:
    """The buttons to show."""
    return workflow.available(c.state, principal, parties_of(c))
