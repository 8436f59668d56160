"""The case workflow: ONE pure transition table with guards; every state change goes through :func:`decide`.

Guards name who may act, from the parties of the case (requester, regions, liaison) and the caller's principal.
Region codes nest by prefix ('' is the whole country), so a provincial authority passes every guard that its
cities and counties pass.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.models import CaseState, Level
from chainkeeper.coordination.messages import refuse
from chainkeeper.i18n import _
from chainkeeper.errors import Forbidden, ValidationFailed
from chainkeeper.core.regions import within


class Action(str, enum.Enum):
    """What someone does to a case."""

    accept = "accept"
    reject = "reject"
    assign = "assign"
    feedback = "feedback"
    confirm = "confirm"  # the requester confirms the problem is solved
    object = "object"  # the requester says the measures did not solve it
    auto_confirm = "auto_confirm"  # nobody objected in time (the scheduled job)
    close = "close"
    reopen = "reopen"
    escalate = "escalate"  # on request
    time_escalate = "time_escalate"  # the scheduled job, when a time limit stays breached


class Guard(str, enum.Enum):
    """Who may take a transition."""

    requester = "requester"  # the requesting enterprise's users
    receiver = "receiver"  # the handling authority; for a cross-province case also the requester's province
    taker = "taker"  # a receiver, or the authority one level below it over the blocking region (takes the case on)
    handling = "handling"  # the authority whose region contains the handling region (or the ministry)
    handler = "handler"  # the named liaison, or the handling authority
    involved = "involved"  # any authority over the requester's or the blocking party's region, or the ministry
    involved_or_requester = "involved_or_requester"
    senior = "senior"  # a provincial authority over the blocking region, or the ministry
    system = "system"  # the scheduled job only


class InvalidTransition(ValidationFailed):
    """The action is not possible in the case's state."""

    code = "invalid_transition"


@dataclass(frozen=True)
class Transition:
    """Where an action leads and who may take it."""

    target: CaseState
    guard: Guard


S = CaseState
OPEN_WORK = (S.accepted, S.assigned, S.feedback)
TRANSITIONS: dict[tuple[CaseState, Action], Transition] = {
    (S.submitted, Action.accept): Transition(S.accepted, Guard.taker),
    (S.submitted, Action.reject): Transition(S.rejected, Guard.receiver),
    (S.accepted, Action.assign): Transition(S.assigned, Guard.handling),
    (S.assigned, Action.assign): Transition(S.assigned, Guard.handling),  # hand over to another liaison
    (S.feedback, Action.assign): Transition(S.assigned, Guard.handling),  # the measures were not enough
    (S.assigned, Action.feedback): Transition(S.feedback, Guard.handler),
    (S.feedback, Action.confirm): Transition(S.resolved, Guard.requester),
    (S.feedback, Action.object): Transition(S.assigned, Guard.requester),
    (S.feedback, Action.auto_confirm): Transition(S.resolved, Guard.system),
    (S.resolved, Action.close): Transition(S.closed, Guard.involved),
    (S.resolved, Action.reopen): Transition(S.assigned, Guard.involved_or_requester),
    (S.closed, Action.reopen): Transition(S.assigned, Guard.senior),
    **{(state, Action.escalate): Transition(state, Guard.involved_or_requester) for state in (S.submitted, *OPEN_WORK)},
    **{(state, Action.time_escalate): Transition(state, Guard.system) for state in (S.submitted, S.accepted, S.assigned)},
}
ESCALATIONS = frozenset({Action.escalate, Action.time_escalate})
NEEDS_REASON = frozenset({Action.reject, Action.object, Action.reopen, Action.escalate})
NEEDS_TEXT = {Action.feedback: "measures"}
NEXT_LEVEL = {Level.county: Level.city, Level.city: Level.province, Level.province: Level.ministry}
REGION_LENGTH = {Level.county: 6, Level.city: 4, Level.province: 2, Level.ministry: 0}


@dataclass(frozen=True)
class Parties:
    """What the guards look at."""

    requester_id: int
    requester_region: str
    blocking_region: str
    handling_region: str
    liaison_id: int | None
    escalated: bool = False  # escalated at least once (by request or by time)


def _authority_over(principal: Principal, code: str) -> bool:
    if principal.has(Role.ministry):
        return True
    region = principal.region_code or ""
    return bool(principal.roles & AUTHORITY_ROLES) and region != "" and within(code, region)


def _is_requester(principal: Principal, parties: Parties) -> bool:
    return principal.has(Role.enterprise) and principal.enterprise_id == parties.requester_id


def _cross_province(parties: Parties) -> bool:
    return parties.requester_region[:2] != parties.blocking_region[:2]


def _senior(principal: Principal, parties: Parties) -> bool:
    province = parties.blocking_region[:2]
    return principal.has(Role.ministry) or (principal.has(Role.province) and principal.region_code == province)


def _is_liaison(principal: Principal, parties: Parties) -> bool:
    return (parties.liaison_id is not None and principal.user_id == parties.liaison_id
            and bool(principal.roles & AUTHORITY_ROLES))


def _involved(principal: Principal, parties: Parties) -> bool:
    return (_authority_over(principal, parties.requester_region) or _authority_over(principal, parties.blocking_region)
            or _authority_over(principal, parties.handling_region) or _is_liaison(principal, parties))


def takes_on(principal: Principal, parties: Parties) -> bool:
    """True for the authority one level below the handling one whose region holds the blocking party: a county
    accepts a case about its own territory that was routed to its city (and then handles it itself). Never once the
    case has been escalated: it went up because the level below did not act or the requester asked, so taking it
    back down would undo the escalation."""
    region, handling = principal.region_code or "", parties.handling_region
    return (not parties.escalated and bool(principal.roles & AUTHORITY_ROLES) and handling != ""
            and len(region) == len(handling) + 2
            and region.startswith(handling) and within(parties.blocking_region, region))


def _receiver(principal: Principal, parties: Parties) -> bool:
    return _authority_over(principal, parties.handling_region) or (
        _cross_province(parties) and _authority_over(principal, parties.requester_region[:2])
        and principal.has(Role.province, Role.ministry))


GUARDS = {
    Guard.requester: _is_requester,
    Guard.receiver: _receiver,
    Guard.taker: lambda p, c: _receiver(p, c) or takes_on(p, c),
    Guard.handling: lambda p, c: _authority_over(p, c.handling_region),
    Guard.handler: lambda p, c: _is_liaison(p, c) or _authority_over(p, c.handling_region),
    Guard.involved: _involved,
    Guard.involved_or_requester: lambda p, c: _involved(p, c) or _is_requester(p, c),
    Guard.senior: _senior,
    Guard.system: lambda p, c: False,
}


def allowed(guard: Guard, principal: Principal | None, parties: Parties) -> bool:
    """True when ``principal`` passes ``guard`` (``None`` is the system, which passes only the system guard)."""
    if principal is None:
        return guard is Guard.system
    return GUARDS[guard](principal, parties)


def decide(state: CaseState, action: Action, principal: Principal | None, parties: Parties, *, reason: str = "",
           text: str = "", level: Level | None = None) -> CaseState:
    """The next state, or :class:`InvalidTransition` / :class:`Forbidden`."""
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        raise refuse(InvalidTransition, _("this step is not possible in the case's current state"))
    if not allowed(transition.guard, principal, parties):
        raise refuse(Forbidden, _("your role or region does not allow this step on this case"))
    if action in NEEDS_REASON and not reason.strip():
        raise refuse(InvalidTransition, _("give a reason"), field="reason")
    if action in NEEDS_TEXT and not text.strip():
        raise refuse(InvalidTransition, _("describe the measures taken"), field=NEEDS_TEXT[action])
    if action in ESCALATIONS and level is Level.ministry:
        raise refuse(InvalidTransition, _("the case is already with the ministry"))
    return transition.target


def available(state: CaseState, principal: Principal | None, parties: Parties) -> list[Action]:
    """The actions ``principal`` may take now (for buttons)."""
    return [action for (source, action), t in TRANSITIONS.items()
            if source is state and allowed(t.guard, principal, parties)]


def escalated(level: Level, blocking_region: str) -> tuple[Level, str]:
    """The next level up and the handling region at that level ('' for the ministry)."""
    up = NEXT_LEVEL.get(level)
    if up is None:
        raise refuse(InvalidTransition, _("the case is already with the ministry"))
    return up, blocking_region[:REGION_LENGTH[up]]
