"""Applying a workflow action to a case: the table decides, this module records what the action changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from chainkeeper.audit.actor import SYSTEM, Actor
from chainkeeper.audit.service import record
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal
from chainkeeper.coordination import workflow
from chainkeeper.coordination.models import Case, CaseState
from chainkeeper.coordination.notify import notify_case
from chainkeeper.coordination.policy import DeskPolicy, desk_policy
from chainkeeper.coordination.routing import LEVEL_OF_LENGTH
from chainkeeper.coordination.service import add_event, moment, open_duplicates, parties_of, snapshot
from chainkeeper.coordination.workflow import Action, InvalidTransition
from chainkeeper.coordination.messages import refuse
from chainkeeper.i18n import _
from chainkeeper.errors import ValidationFailed


@dataclass(frozen=True)
class Step:
    """One action with its inputs."""

    action: Action
    reason: str = ""
    text: str = ""  # the measures, for feedback
    liaison_id: int | None = None  # for assign
    merged_into_id: int | None = None  # for reject as duplicate


def _check_liaison(session: Session, case: Case, liaison_id: int | None) -> int:
    if liaison_id is None:
        raise refuse(ValidationFailed, _("name the liaison (一对一) who handles the case"), field="liaison_id")
    user = session.get(User, liaison_id)
    if user is None or not user.is_active or not (user.role_set & AUTHORITY_ROLES):
        raise refuse(ValidationFailed, _("the liaison must be an active authority user"), field="liaison_id")
    region, handling = user.region_code or "", case.handling_region_code
    if not (region.startswith(handling) or handling.startswith(region)):  # in the region, or the authority above it
        raise refuse(ValidationFailed, _("the liaison must work in the handling authority's region or above it"),
                     field="liaison_id")
    return user.id


def _check_merge(session: Session, case: Case, target_id: int | None) -> int | None:
    """A duplicate merges only into an open case about the same blocking party and category (one the desk offered);
    any other id gets the same answer, so the message tells nothing about cases outside the caller's view."""
    if target_id is None:
        return None
    if target_id not in {other.id for other in open_duplicates(session=session, case=case, limit=1000)}:
        raise refuse(ValidationFailed, _("merge only into an open case about the same blocking party and category"),
                     field="merged_into_id")
    return target_id


def _take_on(case: Case, principal: Principal | None) -> None:
    """A county accepting a case its city was given handles it from now on (see :func:`workflow.takes_on`)."""
    if principal is not None and workflow.takes_on(principal, parties_of(case)):
        case.handling_region_code = principal.region_code
        case.level = LEVEL_OF_LENGTH[len(principal.region_code)]


def _effects(session: Session, case: Case, step: Step, now: datetime, policy: DeskPolicy,
             principal: Principal | None = None) -> None:
    """What each action changes besides the state."""
    action = step.action
    if action is Action.accept:
        _take_on(case, principal)
        case.accepted_at = now
        case.resolve_due_at = policy.sla.resolve_deadline(case.category.value, now, policy.calendar)
        case.overdue, case.reminded_at = False, None  # a new limit runs: it gets its own reminder
    elif action is Action.reject:
        case.reason, case.merged_into_id = step.reason, _check_merge(session, case, step.merged_into_id)
    elif action is Action.assign:
        case.liaison_id = _check_liaison(session, case, step.liaison_id)
    elif action is Action.feedback:
        case.measures, case.feedback_at = step.text.strip(), now
    elif action in (Action.confirm, Action.auto_confirm):
        case.resolved_at, case.overdue = now, False
    elif action is Action.object:
        case.reason, case.feedback_at = step.reason, None
    elif action is Action.close:
        case.closed_at = now
    elif action is Action.reopen:
        case.reason, case.resolved_at, case.closed_at = step.reason, None, None
        case.resolve_due_at = policy.sla.resolve_deadline(case.category.value, now, policy.calendar)
        case.overdue, case.reminded_at = False, None
    elif action in workflow.ESCALATIONS:
        _escalate(case, now, policy, step.reason)


def _escalate(case: Case, now: datetime, policy: DeskPolicy, reason: str) -> None:
    case.level, case.handling_region_code = workflow.escalated(case.level, case.blocking_region_code)
    case.escalated = True
    case.reason, case.overdue, case.reminded_at = reason, False, None
    if case.state is CaseState.submitted:
        case.accept_due_at = policy.sla.accept_deadline(case.category.value, now, policy.calendar)
    else:
        case.resolve_due_at = policy.sla.resolve_deadline(case.category.value, now, policy.calendar)


def apply(*, session: Session, case: Case, step: Step, principal: Principal | None, actor: Actor = SYSTEM,
          now: datetime | None = None, policy: DeskPolicy | None = None) -> Case:
    """Take ``step`` on ``case`` as ``principal`` (``None`` = the scheduled job); raises if not allowed."""
    now, policy = moment(now), policy or desk_policy()
    before_state, before = case.state, snapshot(case)
    target = workflow.decide(case.state, step.action, principal, parties_of(case), reason=step.reason,
                             text=step.text, level=case.level)
    _effects(session, case, step, now, policy, principal)
    case.state = target
    session.flush()  # the version check: a concurrent change of the same case fails here, not after the response
    note = step.text if step.action is Action.feedback else step.reason
    add_event(session, case, actor, step.action.value, before_state, note=note, at=now)
    record(session=session, actor=actor, action=f"case.{step.action.value}", object_type="case", object_id=case.id,
           before=before, after=snapshot(case))
    kind = "escalate" if step.action in workflow.ESCALATIONS else step.action.value
    notify_case(session=session, case=case, kind=kind, reason=step.reason)
    return case


def available_actions(case: Case, principal: Principal) -> list[Action]:
    """The buttons to show: the actions the table allows this principal now."""
    return workflow.available(case.state, principal, parties_of(case))


__all__ = ["Step", "apply", "available_actions", "InvalidTransition"]
