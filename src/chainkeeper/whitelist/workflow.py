"""The application workflow: ONE pure transition table with guards; every state change goes through :func:`decide`.

A guard names who may act: the applicant enterprise, the local (county or city) authority of the applicant, or
the manager of the list (provincial or city authority of its scope; the ministry for national lists).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from chainkeeper.core.regions import within
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.whitelist.models import AppState


class Action(str, enum.Enum):
    """What someone does to an application."""

    submit = "submit"
    withdraw = "withdraw"
    pass_local = "pass_local"  # local review passed
    approve = "approve"
    reject = "reject"
    publish = "publish"


class Guard(str, enum.Enum):
    """Who may take a transition."""

    applicant = "applicant"
    local = "local"
    manager = "manager"


class NotAllowed(ChainkeeperError):
    """The caller's role or scope does not allow this transition."""

    code = "forbidden"


class InvalidTransition(ValidationFailed):
    """The action is not possible in the application's state."""

    code = "invalid_transition"


@dataclass(frozen=True)
class Transition:
    """Where an action leads and who may take it."""

    target: AppState
    guard: Guard


S = AppState
TRANSITIONS: dict[tuple[AppState, Action], Transition] = {
    (S.draft, Action.submit): Transition(S.submitted, Guard.applicant),
    (S.draft, Action.withdraw): Transition(S.withdrawn, Guard.applicant),
    (S.submitted, Action.withdraw): Transition(S.withdrawn, Guard.applicant),
    (S.locally_reviewed, Action.withdraw): Transition(S.withdrawn, Guard.applicant),
    (S.submitted, Action.pass_local): Transition(S.locally_reviewed, Guard.local),
    (S.submitted, Action.reject): Transition(S.rejected, Guard.local),
    (S.locally_reviewed, Action.approve): Transition(S.approved, Guard.manager),
    (S.locally_reviewed, Action.reject): Transition(S.rejected, Guard.manager),
    (S.nominated, Action.approve): Transition(S.approved, Guard.manager),
    (S.nominated, Action.reject): Transition(S.rejected, Guard.manager),
    (S.approved, Action.reject): Transition(S.rejected, Guard.manager),
    (S.approved, Action.publish): Transition(S.published, Guard.manager),
}
NEEDS_REASON = frozenset({Action.reject})


@dataclass(frozen=True)
class Parties:
    """What the guards look at: the applicant's enterprise and county code, and the list's scope."""

    enterprise_id: int
    county_code: str
    list_scope: str


def manages_list(principal: Principal, scope: str) -> bool:
    """The ministry manages national lists; a provincial or city authority manages lists inside its region."""
    if scope == "":
        return principal.has(Role.ministry)
    region = principal.region_code or ""
    return principal.has(Role.ministry) or (
        principal.has(Role.province, Role.city) and region != "" and within(scope, region))


def allowed(guard: Guard, principal: Principal, parties: Parties) -> bool:
    """True when ``principal`` passes ``guard`` for this application."""
    if guard is Guard.applicant:
        return principal.has(Role.enterprise) and principal.enterprise_id == parties.enterprise_id
    if guard is Guard.local:
        region = principal.region_code or ""
        return principal.has(Role.county, Role.city) and region != "" and within(parties.county_code, region)
    return manages_list(principal, parties.list_scope)


def decide(state: AppState, action: Action, principal: Principal, parties: Parties, reason: str = "") -> AppState:
    """The next state, or :class:`InvalidTransition` / :class:`NotAllowed`."""
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        raise InvalidTransition(f"cannot {action.value} an application that is {state.value}")
    if not allowed(transition.guard, principal, parties):
        raise NotAllowed(f"your role or region does not allow you to {action.value} this application")
    if action in NEEDS_REASON and not reason.strip():
        raise InvalidTransition("a reason is required", [{"field": "reason", "message": "a value is required"}])
    return transition.target


def available(state: AppState, principal: Principal, parties: Parties) -> list[Action]:
    """The actions ``principal`` may take now (for buttons); publishing happens by batch, not one by one."""
    return [action for (source, action), t in TRANSITIONS.items()
            if source is state and action is not Action.publish and allowed(t.guard, principal, parties)]
