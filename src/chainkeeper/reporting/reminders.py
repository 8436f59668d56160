"""Reminders to enterprises that have not reported yet: from the clock before each type's cut-off (once per
enterprise per day), and by hand from the authority's status page ("remind now", once per enterprise per day).
Both go through the outbox: an e-mail to each of the enterprise's users and the webhook event ``report.reminder``."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.audit.service import record
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Forbidden
from chainkeeper.i18n import _, translate
from chainkeeper.notifications.service import enqueue_email, enqueue_webhooks
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import service
from chainkeeper.reporting.models import ReportReminder, ReportType
from chainkeeper.reporting.scope import cutoff_utc, enters_on_behalf, local_date

log = logging.getLogger(__name__)
EVENT = "report.reminder"
CLOCK = Caller(Principal(0, "system", "system", frozenset({Role.ministry})), SYSTEM)
"""The clock sees every assigned enterprise."""
SUBJECT = _("Reminder: {type} for {day} is due at {cutoff}")
BODY = _("{enterprise} has not yet submitted {type} for {day}. The cut-off is {cutoff} (China time).\n"
         "Fill it in on the platform: /reports/{code}/fill?day={day}")


def _notify(session: Session, report_type: ReportType, enterprise: Enterprise, day: date) -> int:
    """Queue the e-mails to the enterprise's users and the webhooks; how many e-mails."""
    cutoff = report_type.cutoff_local.strftime("%H:%M")
    users = session.scalars(select(User).where(User.enterprise_id == enterprise.id, User.is_active.is_(True),
                                               User.email != "")).all()
    for user in users:
        language = user.language or "zh_CN"
        params = {"type": report_type.name(language), "day": day.isoformat(), "cutoff": cutoff,
                  "enterprise": enterprise.name, "code": report_type.code}
        enqueue_email(session, to=user.email, subject=translate(SUBJECT, language, **params),
                      body=translate(BODY, language, **params), event=EVENT, object_type="enterprise",
                      object_id=enterprise.id)
    enqueue_webhooks(session, event=EVENT, object_type="enterprise", object_id=enterprise.id, payload={
        "event": EVENT, "type": report_type.code, "enterprise_id": enterprise.id, "uscc": enterprise.uscc,
        "report_date": day.isoformat(), "cutoff_local": cutoff})
    return len(users)


def _pending(session: Session, report_type: ReportType, day: date, caller: Caller | None, manual: bool) -> list[int]:
    """Assigned enterprises with no report for the day and no reminder of this kind yet (in the caller's scope)."""
    rows = service.day_status(session=session, caller=caller or CLOCK, type_code=report_type.code, day=day,
                              now=datetime.now(timezone.utc))
    waiting = {row.enterprise_id for row in rows if row.report_id is None}
    done = set(session.scalars(select(ReportReminder.enterprise_id).where(
        ReportReminder.report_type_id == report_type.id, ReportReminder.report_date == day,
        ReportReminder.manual.is_(manual))))
    return sorted(waiting - done)


def remind_now(*, session: Session, caller: Caller, type_code: str, now: datetime | None = None) -> int:
    """Remind the enterprises in the caller's scope that have not reported today and were not reminded by hand
    today; how many. Audited."""
    if not enters_on_behalf(caller.principal):
        raise refuse(Forbidden, _("you may not send reminders"))
    now = now or datetime.now(timezone.utc)
    report_type = service.get_type(session=session, code=type_code)
    day = local_date(now)
    ids = _pending(session, report_type, day, caller, manual=True)
    for enterprise_id in ids:
        session.add(ReportReminder(report_type_id=report_type.id, enterprise_id=enterprise_id, report_date=day,
                                   manual=True, sent_at=now, sent_by=caller.actor.user_id))
        _notify(session, report_type, session.get(Enterprise, enterprise_id), day)
    session.flush()
    record(session=session, actor=caller.actor, action="report.remind", object_type="report_type",
           object_id=report_type.id, after={"day": day.isoformat(), "enterprise_ids": ids})
    return len(ids)


def remind_due(engine: Engine, *, now: datetime | None = None, errors: list[str] | None = None) -> int:
    """The clock's step: for each active type whose reminder window (``remind_before_minutes`` before today's
    cut-off) is open, remind every assigned enterprise that has not reported and was not reminded today; one
    transaction per enterprise (a second worker running at once finds the reminder row and skips). How many."""
    now = now or datetime.now(timezone.utc)
    day, sent = local_date(now), 0
    with unit_of_work(engine) as session:
        due = []
        for report_type in session.scalars(select(ReportType).where(ReportType.active.is_(True))):
            cutoff = cutoff_utc(report_type, day)
            if cutoff - timedelta(minutes=report_type.remind_before_minutes) <= now < cutoff:
                due.append((report_type.id, _pending(session, report_type, day, None, manual=False)))
    for type_id, enterprise_ids in due:
        for enterprise_id in enterprise_ids:
            try:
                sent += _remind_one(engine, type_id, enterprise_id, day, now)
            except IntegrityError:  # another worker reminded it meanwhile
                continue
            except Exception as error:  # noqa: BLE001 - one enterprise must not stop the clock
                log.exception("report reminder failed for enterprise %s", enterprise_id)
                if errors is not None:
                    errors.append(f"report reminder {type_id}/{enterprise_id}: {type(error).__name__}")
    return sent


def _remind_one(engine: Engine, type_id: int, enterprise_id: int, day: date, now: datetime) -> int:
    with unit_of_work(engine) as session:
        report_type = session.get(ReportType, type_id)
        if service.find_report(session=session, report_type=report_type, enterprise_id=enterprise_id,
                               report_date=day) is not None:
            return 0
        reminder = ReportReminder(report_type_id=type_id, enterprise_id=enterprise_id, report_date=day,
                                  manual=False, sent_at=now)
        session.add(reminder)
        session.flush()  # the unique row first: a concurrent worker fails here, before anything is queued
        _notify(session, report_type, session.get(Enterprise, enterprise_id), day)
        record(session=session, actor=SYSTEM, action="report.remind", object_type="report_reminder",
               object_id=reminder.id, after={"type": report_type.code, "enterprise_id": enterprise_id,
                                             "day": day.isoformat()})
    return 1
