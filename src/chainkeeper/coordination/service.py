"""Filing cases and moving them through the workflow. Every change happens in the caller's transaction and leaves a
timeline event, an audit event and queued notifications; the transition table in :mod:`.workflow` decides."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.models import OPEN_STATES, Case, CaseCategory, CaseEvent, CaseState, Urgency
from chainkeeper.coordination import case_writes  # noqa: F401  (declares the desk's writes narrow)
from chainkeeper.coordination.notify import notify_case
from chainkeeper.coordination.policy import DeskPolicy, desk_policy
from chainkeeper.coordination.routing import resolve_blocking_party, route
from chainkeeper.coordination.scope import case_scope
from chainkeeper.coordination.workflow import Parties
from chainkeeper.coordination.messages import refuse
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.core.caller import Caller

SNAPSHOT_FIELDS = ("state", "level", "handling_region_code", "liaison_id", "letter_id", "merged_into_id", "reason",
                   "measures", "overdue", "accept_due_at", "resolve_due_at")


@dataclass(frozen=True)
class NewCase:
    """What a requester reports."""

    category: CaseCategory
    title: str
    blocked: str = ""
    help_wanted: str = ""
    requester_id: int | None = None  # required when an authority files on an enterprise's behalf
    blocking_uscc: str | None = None
    blocking_name: str = ""
    blocking_region_code: str | None = None
    products: str = ""
    urgency: Urgency = Urgency.normal
    chain_code: str | None = None


def moment(now: datetime | None) -> datetime:
    """``now``, or the current UTC time."""
    return now or datetime.now(timezone.utc)


def snapshot(case: Case) -> dict:
    """The fields a transition may change, for the audit trail."""
    values = {name: getattr(case, name) for name in SNAPSHOT_FIELDS}
    return {k: (v.value if hasattr(v, "value") else v.isoformat() if isinstance(v, datetime) else v)
            for k, v in values.items()}


def parties_of(case: Case) -> Parties:
    """The guards' view of a case."""
    return Parties(case.requester_id, case.requester_region_code, case.blocking_region_code,
                   case.handling_region_code, case.liaison_id, bool(case.escalated))


def _requester(session: Session, principal: Principal, requester_id: int | None) -> Enterprise:
    if principal.has(Role.enterprise) and principal.enterprise_id is not None and requester_id in (
            None, principal.enterprise_id):
        return session.get(Enterprise, principal.enterprise_id)
    if requester_id is None:
        raise refuse(ValidationFailed, _("name the requesting enterprise"), field="requester_id")
    enterprise = session.get(Enterprise, requester_id)
    if enterprise is None:
        raise refuse(ValidationFailed, _("no enterprise {requester_id}"), field="requester_id",
                     requester_id=requester_id)
    region = principal.region_code or ""
    on_behalf = principal.has(Role.ministry) or (
        bool(principal.roles & AUTHORITY_ROLES) and region and enterprise.county_code.startswith(region))
    if not on_behalf:
        raise refuse(Forbidden, _("you may file cases only for your own enterprise or for enterprises in your region"))
    return enterprise


def _check_text(data: NewCase) -> None:
    if not data.title.strip():
        raise refuse(ValidationFailed, _("the title is required"), field="title")
    if len(data.title) > 200 or len(data.products) > 500:
        raise refuse(ValidationFailed, _("the title (200) or products (500) are too long"),
                     field="title" if len(data.title) > 200 else "products")


def add_event(session: Session, case: Case, actor: Actor, action: str, before: CaseState | None, note: str = "",
              at: datetime | None = None) -> CaseEvent:
    """Append one step to the case's timeline."""
    event = CaseEvent(case_id=case.id, actor_id=actor.user_id, actor_name=actor.name, action=action,
                      from_state=before.value if before else None, to_state=case.state.value, note=note,
                      at=moment(at))
    session.add(event)
    return event


def file_case(*, session: Session, caller: Caller, data: NewCase, now: datetime | None = None,
              policy: DeskPolicy | None = None, notify: bool = True) -> Case:
    """Record a new case, routed to the blocking party's authority, with its acceptance deadline."""
    _check_text(data)
    now, policy = moment(now), policy or desk_policy()
    requester = _requester(session, caller.principal, data.requester_id)
    party = resolve_blocking_party(session=session, uscc=data.blocking_uscc, name=data.blocking_name,
                                   region_code=data.blocking_region_code)
    if party.enterprise_id == requester.id:
        raise refuse(ValidationFailed, _("an enterprise cannot be its own blocking party"), field="blocking_uscc")
    level, handling = route(session=session, blocking_region=party.region_code)
    case = Case(requester_id=requester.id, requester_region_code=requester.county_code, filed_by=caller.actor.user_id,
                chain_code=data.chain_code or requester.chain_code, category=data.category, urgency=data.urgency,
                title=data.title.strip(), blocked=data.blocked, help_wanted=data.help_wanted, products=data.products,
                blocking_enterprise_id=party.enterprise_id, blocking_name=party.name, blocking_key=party.key,
                blocking_region_code=party.region_code, handling_region_code=handling, level=level,
                state=CaseState.submitted, submitted_at=now,
                accept_due_at=policy.sla.accept_deadline(data.category.value, now, policy.calendar))
    session.add(case)
    session.flush()
    add_event(session, case, caller.actor, "submit", None, at=now)
    record(session=session, actor=caller.actor, action="case.submit", object_type="case", object_id=case.id,
           after=snapshot(case) | {"requester_id": requester.id, "category": data.category.value})
    if notify:
        notify_case(session=session, case=case, kind="submit")
    return case


def check_version(case: Case, seen: int | None) -> None:
    """:class:`Conflict` when the caller acted on version ``seen`` of the case and someone changed it since."""
    if seen is not None and seen != case.version:
        raise Conflict(f"case {case.id} was changed by someone else meanwhile (version {seen} → {case.version}); "
                       "reload it and try again")


LEDGER_NO = re.compile(r"^TZ(\d{8})-(\d{1,9})$")


def ledger_id(text: str) -> int | None:
    """The case id in a ledger number ("TZ20220418-000012" → 12), or None when ``text`` is not one."""
    found = LEDGER_NO.match(text.strip().upper())
    return int(found.group(2)) if found else None


def case_ids_from(text: str) -> list[int]:
    """Cases named in ``text``: ledger numbers (TZ…) or ids, separated by commas, spaces or new lines."""
    ids = []
    for token in re.split(r"[\s,，;；、]+", text.strip()):
        if not token:
            continue
        number = ledger_id(token) if not token.isdigit() else int(token)
        if number is None:
            raise refuse(ValidationFailed, _("{token} is not a ledger number (e.g. TZ20220418-000012)"),
                         field="case_ids", token=token[:40])
        ids.append(number)
    return ids


def get_case(*, session: Session, principal: Principal, case_id: int) -> Case:
    """The case if the principal may read it, else :class:`NotFound` (no hint that it exists)."""
    case = session.scalars(select(Case).where(Case.id == case_id, case_scope(principal))).first()
    if case is None:
        raise refuse(NotFound, _("no case {case_id}"), case_id=case_id)
    return case


def open_duplicates(*, session: Session, case: Case, limit: int = 5, principal: Principal | None = None
                    ) -> list[Case]:
    """Open cases about the same blocking party and category (offered for merging); with ``principal``, only the
    cases that principal may read (an enterprise never learns another enterprise's case ids)."""
    same_party = (Case.blocking_enterprise_id == case.blocking_enterprise_id if case.blocking_enterprise_id
                  else (Case.blocking_key == case.blocking_key) & (Case.blocking_region_code == case.blocking_region_code))
    query = select(Case).where(same_party, Case.category == case.category, Case.id != case.id,
                               Case.state.in_(OPEN_STATES))
    if principal is not None:
        query = query.where(case_scope(principal))
    return list(session.scalars(query.order_by(Case.id).limit(limit)))
