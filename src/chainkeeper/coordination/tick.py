"""The desk's scheduled job (`chainkeeper desk tick` from cron, or the in-process scheduler when serving):
remind before a time limit, flag and notify when it passes, escalate when it stays breached, confirm resolutions
nobody objected to, assess the impact of new cases, and deliver queued notifications.

Each case is handled in its own transaction, so one failure never blocks the rest; running the job twice at once
(two workers) is safe: the case's version column turns the second change into a no-op conflict."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.coordination.case_counts import compact_counts
from chainkeeper.coordination.labels import TIME_LIMIT_REASON
from chainkeeper.coordination.models import Case, CaseState, Level
from chainkeeper.coordination.notify import notify_case
from chainkeeper.coordination.policy import DeskPolicy, desk_policy
from chainkeeper.coordination.service import add_event, moment
from chainkeeper.coordination.sla import reminder_due, reminder_lead
from chainkeeper.coordination.transitions import Step, apply
from chainkeeper.coordination.workflow import Action
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError

log = logging.getLogger(__name__)
BATCH = 500


@dataclass
class TickReport:
    """What one run did."""

    reminded: int = 0
    overdue: int = 0
    escalated: int = 0
    auto_confirmed: int = 0
    assessed: int = 0
    delivered: int = 0
    report_reminders: int = 0
    warned: int = 0
    arrears_overdue: int = 0
    errors: list[str] = field(default_factory=list)


def _ids(engine: Engine, query) -> list[int]:
    with unit_of_work(engine) as session:
        return list(session.scalars(query.limit(BATCH)))


def _check_time(engine: Engine, case_id: int, now: datetime, policy: DeskPolicy, report: TickReport) -> None:
    with unit_of_work(engine, immediate=True) as session:
        case = session.get(Case, case_id)
        deadline = case.due_at if case is not None else None  # the limit running now (see models.keep_due_at)
        if deadline is None:
            return
        start = case.submitted_at if case.state is CaseState.submitted else case.accepted_at or case.submitted_at
        if now >= deadline:
            _breached(session, case, deadline, now, policy, report)
        elif case.reminded_at is None and reminder_due(deadline, now, reminder_lead(start, deadline)):
            case.reminded_at = now
            add_event(session, case, SYSTEM, "remind", case.state, note=deadline.isoformat(), at=now)
            notify_case(session=session, case=case, kind="remind", due=deadline.isoformat())
            report.reminded += 1


def _breached(session, case: Case, deadline: datetime, now: datetime, policy: DeskPolicy, report: TickReport) -> None:
    if not case.overdue:
        case.overdue = True
        add_event(session, case, SYSTEM, "overdue", case.state, note=deadline.isoformat(), at=now)
        notify_case(session=session, case=case, kind="overdue", due=deadline.isoformat())
        report.overdue += 1
    elif now >= deadline + policy.escalate_after and case.level is not Level.ministry:
        apply(session=session, case=case, step=Step(Action.time_escalate, reason=TIME_LIMIT_REASON),
              principal=None, now=now, policy=policy)
        report.escalated += 1


def _auto_confirm(engine: Engine, case_id: int, now: datetime, policy: DeskPolicy, report: TickReport) -> None:
    with unit_of_work(engine, immediate=True) as session:
        case = session.get(Case, case_id)
        if case is None or case.state is not CaseState.feedback or case.feedback_at is None:
            return
        waited = policy.calendar.working_days_between(policy.calendar.local(case.feedback_at).date(),
                                                      policy.calendar.local(now).date())
        if waited >= policy.auto_confirm_days:
            apply(session=session, case=case, step=Step(Action.auto_confirm), principal=None, now=now, policy=policy)
            report.auto_confirmed += 1


def _each(engine: Engine, ids: list[int], work, report: TickReport, *args) -> None:
    for case_id in ids:
        try:
            work(engine, case_id, *args, report)
        except (StaleDataError, ChainkeeperError) as error:  # changed meanwhile, or no longer allowed: next run
            report.errors.append(f"case {case_id}: {error}")
        except Exception as error:  # noqa: BLE001 - one bad case must not stop the desk's clock
            log.exception("desk tick failed on case %s", case_id)
            report.errors.append(f"case {case_id}: {type(error).__name__}")


def run_tick(engine: Engine, *, now: datetime | None = None, policy: DeskPolicy | None = None,
             assess: bool = True, deliver: bool = True, warn: bool = True) -> TickReport:
    """One run of the desk's clock."""
    now, policy, report = moment(now), policy or desk_policy(), TickReport()
    running = select(Case.id).where(Case.due_at.is_not(None)).order_by(Case.id)
    _each(engine, _ids(engine, running), _check_time, report, now, policy)
    feedback = select(Case.id).where(Case.state == CaseState.feedback).order_by(Case.id)
    _each(engine, _ids(engine, feedback), _auto_confirm, report, now, policy)
    compact_counts(engine)  # the queue's counters: the deltas of the cases changed since the last run folded
    if assess:
        from chainkeeper.coordination.assessment import assess_pending

        report.assessed = assess_pending(engine, now=now, errors=report.errors)
    from chainkeeper.reporting.reminders import remind_due

    report.report_reminders = remind_due(engine, now=now, errors=report.errors)  # each in its own transaction
    if warn:
        from chainkeeper.monitoring.warnings.evaluation import run_warnings_tick

        warnings = run_warnings_tick(engine, now=now)  # early warning: the rules on the latest figures and reports
        report.warned, report.errors = len(warnings.raised), report.errors + warnings.errors
    from chainkeeper.sme.arrears.clock import flag_overdue

    report.arrears_overdue = flag_overdue(engine, now=now)  # SME complaints past their acceptance/transfer limits
    if deliver:
        from chainkeeper.notifications.service import deliver_due

        report.delivered = deliver_due(engine).sent  # the outbox runs on real time, whatever the desk's clock
    return report
