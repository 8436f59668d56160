"""The desk's clock on a real database with a real SMTP server on loopback: reminders, overdue flags, escalation,
auto-confirmation across holidays, and delivery of the queued e-mails."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from coordination.desk_support import build_desk, parts_case
from notifications.conftest import smtp_server  # noqa: F401  (the fixture)
from sqlalchemy import select

from chainkeeper.config import get_settings
from chainkeeper.coordination.models import Case, CaseEvent, CaseState, Level
from chainkeeper.coordination.tick import run_tick
from chainkeeper.coordination.transitions import Step, apply
from chainkeeper.coordination.workflow import Action
from chainkeeper.db import unit_of_work

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """A Shanghai wall-clock time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def desk(engine, monkeypatch, smtp_server):  # noqa: F811
    handler, port = smtp_server
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINKEEPER_SMTP_PORT", str(port))
    monkeypatch.setenv("CHAINKEEPER_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    world = build_desk(engine)
    world.mailbox = handler
    yield world
    get_settings.cache_clear()


def tick(desk, when: datetime, deliver: bool = False):
    return run_tick(desk.engine, now=when, assess=False, deliver=deliver)


def state_of(desk, case_id: int) -> Case:
    with unit_of_work(desk.engine) as session:
        case = session.get(Case, case_id)
        session.expunge(case)
        return case


def walk(desk, case_id: int, steps, when: datetime) -> None:
    with unit_of_work(desk.engine) as session:
        case = session.get(Case, case_id)
        for username, action, extra in steps:
            caller = desk.caller(username)
            apply(session=session, case=case, step=Step(action, **extra), principal=caller.principal,
                  actor=caller.actor, now=when)


def test_remind_then_flag_then_escalate_and_mail_the_people_concerned(desk):
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session, now=at("2022-04-18 09:00")).id  # a Monday: accept by 18:00
    assert tick(desk, at("2022-04-18 12:00")).reminded == 0
    assert tick(desk, at("2022-04-18 17:00")).reminded == 1  # the last quarter of the time allowed
    assert tick(desk, at("2022-04-18 17:30")).reminded == 0  # once
    report = tick(desk, at("2022-04-18 18:01"), deliver=True)
    assert report.overdue == 1 and state_of(desk, case_id).overdue
    subjects = [m.message["Subject"] for m in desk.mailbox.messages]
    assert any("超时" in s or "Overdue" in s for s in subjects), subjects
    assert {r for m in desk.mailbox.messages for r in m.rcpt_tos} >= {"suzhou@example.gov.cn"}
    assert tick(desk, at("2022-04-19 12:00")).escalated == 0  # not yet 24 hours past the limit
    assert tick(desk, at("2022-04-19 18:02")).escalated == 1
    case = state_of(desk, case_id)
    assert (case.level, case.handling_region_code, case.overdue) == (Level.province, "32", False)
    with unit_of_work(desk.engine) as session:
        actions = session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case_id)).all()
    assert actions == ["submit", "remind", "overdue", "time_escalate"]


def test_the_resolve_limit_gets_its_own_reminder_after_an_acceptance_reminder(desk):
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session, now=at("2022-04-18 09:00")).id
    assert tick(desk, at("2022-04-18 17:00")).reminded == 1  # about accepting by 18:00
    walk(desk, case_id, [("suzhou", Action.accept, {})], at("2022-04-18 17:30"))  # resolve by 20:30
    assert tick(desk, at("2022-04-18 20:00")).reminded == 1


def test_a_specific_obstruction_is_due_three_hours_after_acceptance(desk):
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session, now=at("2022-04-18 09:00")).id
    walk(desk, case_id, [("suzhou", Action.accept, {})], at("2022-04-18 10:00"))
    assert state_of(desk, case_id).resolve_due_at == at("2022-04-18 13:00")
    assert tick(desk, at("2022-04-18 12:59")).overdue == 0
    assert tick(desk, at("2022-04-18 13:01")).overdue == 1


def test_auto_confirmation_waits_three_working_days_across_the_spring_festival(desk):
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session, now=at("2022-01-28 09:00")).id  # the Friday before the festival
    walk(desk, case_id, [("suzhou", Action.accept, {}), ("suzhou", Action.assign, {"liaison_id": desk.user_ids["kunshan"]}),
                         ("kunshan", Action.feedback, {"text": "已复产"})], at("2022-01-28 10:00"))
    # working days after Friday 28 January: Saturday 29 and Sunday 30 (adjusted), then Monday 7 February
    assert tick(desk, at("2022-01-30 20:00")).auto_confirmed == 0
    assert tick(desk, at("2022-02-06 20:00")).auto_confirmed == 0  # the holiday week does not count
    assert tick(desk, at("2022-02-07 09:00")).auto_confirmed == 1
    assert state_of(desk, case_id).state is CaseState.resolved


def test_an_objection_stops_the_clock_and_returns_the_case(desk):
    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session, now=at("2022-04-18 09:00")).id
    walk(desk, case_id, [("suzhou", Action.accept, {}), ("suzhou", Action.assign, {"liaison_id": desk.user_ids["kunshan"]}),
                         ("kunshan", Action.feedback, {"text": "已协调"}), ("oem", Action.object, {"reason": "仍未发货"})],
         at("2022-04-18 10:00"))
    assert tick(desk, at("2022-04-25 10:00")).auto_confirmed == 0
    assert state_of(desk, case_id).state is CaseState.assigned


def test_two_clocks_at_once_do_not_double_escalate(desk):
    import threading

    with unit_of_work(desk.engine) as session:
        case_id = parts_case(desk, session, now=at("2022-04-18 09:00")).id
    tick(desk, at("2022-04-18 18:01"))
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(tick(desk, at("2022-04-19 18:05")))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.escalated for r in reports) == 1 and state_of(desk, case_id).level is Level.province
