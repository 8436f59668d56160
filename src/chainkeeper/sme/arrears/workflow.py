"""The complaint workflow: ONE pure transition table with guards, in the desk's style
(:mod:`chainkeeper.coordination.workflow`); every state change goes through :func:`decide`.

submitted —accept→ accepted —transfer→ transferred —answer→ answered —agree→ agreed —clear→ cleared; payments
(instalments, each with its proof) on transferred/answered/agreed; reject (with a reason) from any open state.
Who: the receiver is the SME department that accepts (the debtor's province, or the ministry for a central
debtor); the debtor is the users of the registered debtor enterprise, once the complaint is accepted; the creditor
is the users of the filing SME (it may confirm it was paid).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.workflow import InvalidTransition
from chainkeeper.core.regions import within
from chainkeeper.errors import Forbidden
from chainkeeper.i18n import _
from chainkeeper.sme.arrears.models import State


class Action(str, enum.Enum):
    """What someone does to a complaint."""

    accept = "accept"
    reject = "reject"
    transfer = "transfer"
    answer = "answer"
    agree = "agree"
    pay = "pay"
    clear = "clear"


class Guard(str, enum.Enum):
    """Who may take a transition."""

    receiver = "receiver"
    debtor = "debtor"
    debtor_or_receiver = "debtor_or_receiver"
    creditor_or_receiver = "creditor_or_receiver"


@dataclass(frozen=True)
class Transition:
    """Where an action leads and who may take it."""

    target: State
    guard: Guard


@dataclass(frozen=True)
class Parties:
    """What the guards look at."""

    creditor_id: int
    debtor_enterprise_id: int | None
    handling_region: str


S = State
HANDLING = (S.transferred, S.answered, S.agreed)
TRANSITIONS: dict[tuple[State, Action], Transition] = {
    (S.submitted, Action.accept): Transition(S.accepted, Guard.receiver),
    (S.accepted, Action.transfer): Transition(S.transferred, Guard.receiver),
    (S.transferred, Action.answer): Transition(S.answered, Guard.debtor),
    (S.answered, Action.answer): Transition(S.answered, Guard.debtor),
    (S.transferred, Action.agree): Transition(S.agreed, Guard.receiver),
    (S.answered, Action.agree): Transition(S.agreed, Guard.receiver),
    **{(s, Action.pay): Transition(s, Guard.debtor_or_receiver) for s in HANDLING},
    **{(s, Action.clear): Transition(S.cleared, Guard.creditor_or_receiver) for s in HANDLING},
    **{(s, Action.reject): Transition(S.rejected, Guard.receiver) for s in (S.submitted, S.accepted, *HANDLING)},
}
NEEDS_REASON = frozenset({Action.reject})
NEEDS_TEXT = {Action.transfer: ("handler", _("name the department that handles the complaint")),
              Action.answer: ("text", _("write the answer")),
              Action.agree: ("text", _("describe the repayment agreement (amounts and dates of the instalments)"))}


def _receiver(principal: Principal, parties: Parties) -> bool:
    if principal.has(Role.ministry):
        return True
    region = principal.region_code or ""
    return principal.has(Role.province) and parties.handling_region != "" and within(parties.handling_region, region)


def _debtor(principal: Principal, parties: Parties) -> bool:
    return (principal.has(Role.enterprise) and parties.debtor_enterprise_id is not None
            and principal.enterprise_id == parties.debtor_enterprise_id)


def _creditor(principal: Principal, parties: Parties) -> bool:
    return principal.has(Role.enterprise) and principal.enterprise_id == parties.creditor_id


GUARDS = {
    Guard.receiver: _receiver,
    Guard.debtor: _debtor,
    Guard.debtor_or_receiver: lambda p, c: _debtor(p, c) or _receiver(p, c),
    Guard.creditor_or_receiver: lambda p, c: _creditor(p, c) or _receiver(p, c),
}


def decide(state: State, action: Action, principal: Principal, parties: Parties, *, reason: str = "",
           text: str = "") -> State:
    """The next state, or :class:`InvalidTransition` / :class:`Forbidden`."""
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        raise refuse(InvalidTransition, _("this step is not possible in the complaint's current state"))
    if not GUARDS[transition.guard](principal, parties):
        raise refuse(Forbidden, _("your role or region does not allow this step on this complaint"))
    if action in NEEDS_REASON and not reason.strip():
        raise refuse(InvalidTransition, _("give a reason"), field="reason")
    if action in NEEDS_TEXT and not text.strip():
        field, message = NEEDS_TEXT[action]
        raise refuse(InvalidTransition, message, field=field)
    return transition.target


def available(state: State, principal: Principal, parties: Parties) -> list[Action]:
    """The actions ``principal`` may take now (for buttons)."""
    return [action for (source, action), t in TRANSITIONS.items()
            if source is state and GUARDS[t.guard](principal, parties)]
