"""Reminders before the cut-off from the desk's clock, and "remind now", through the outbox to a real SMTP server
and a webhook receiver on loopback: once per enterprise per day, only to those who have not reported."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from notifications.conftest import receiver_factory, smtp_server  # noqa: F401  (the fixtures)
from notifications.support import WEBHOOK_SECRET
from reporting.support import GOOD, build_world
from sqlalchemy import select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.config import get_settings
from chainkeeper.coordination.tick import run_tick
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Forbidden
from chainkeeper.notifications.models import Notification
from chainkeeper.notifications.service import deliver_due
from chainkeeper.reporting import reminders, service

TYPE = "example_daily"


def shanghai(hour: int, minute: int = 0) -> datetime:
    """2022-04-18 at a Shanghai wall-clock time, in UTC."""
    return datetime(2022, 4, 18, hour - 8, minute, tzinfo=timezone.utc)


@pytest.fixture
def world(engine, monkeypatch, smtp_server, receiver_factory):  # noqa: F811
    handler, port = smtp_server
    receiver = receiver_factory()
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINKEEPER_SMTP_PORT", str(port))
    monkeypatch.setenv("CHAINKEEPER_SMTP_STARTTLS", "false")
    monkeypatch.setenv("CHAINKEEPER_WEBHOOK_URLS", receiver.url("/hook"))
    monkeypatch.setenv("CHAINKEEPER_WEBHOOK_SECRET", WEBHOOK_SECRET)
    get_settings.cache_clear()
    built = build_world(engine)
    built.mailbox, built.receiver = handler, receiver
    yield built
    get_settings.cache_clear()


def _submit(world, who, firm, now):
    with unit_of_work(world.engine) as session:
        service.submit(session=session, caller=world.caller(who), type_code=TYPE, enterprise_id=world.ids[firm],
                       report_date=now.astimezone(timezone.utc).date(), values=GOOD, channel="web", now=now)


def tick(world, when):
    return run_tick(world.engine, now=when, assess=False, deliver=False)


def test_the_clock_reminds_before_the_cutoff_once_and_only_those_missing(world):
    _submit(world, "kunshan_user", "kunshan", shanghai(10))
    assert tick(world, shanghai(14, 59)).report_reminders == 0  # the window opens 120 minutes before 17:00
    assert tick(world, shanghai(15, 0)).report_reminders == 2  # Suzhou and Shanghai, not Kunshan
    assert tick(world, shanghai(16, 30)).report_reminders == 0  # once per enterprise per day
    assert tick(world, shanghai(17, 1)).report_reminders == 0  # past the cut-off: late, no reminder
    assert deliver_due(world.engine).sent >= 3
    mails = [(m.rcpt_tos, m.message["Subject"], m.message.get_content()) for m in world.mailbox.messages]
    assert [rcpt for rcpt, _s, _b in mails] == [["shanghai_user@example.com"]]  # Suzhou's firm has no user
    assert "示例日报" in mails[0][1] and "17:00" in mails[0][1] and "/reports/example_daily/fill" in mails[0][2]
    hooks = [json.loads(d.body) for d in world.receiver.deliveries]
    assert sorted(h["data"]["enterprise_id"] for h in hooks) == sorted([world.ids["suzhou"], world.ids["shanghai"]])
    assert {h["data"]["event"] for h in hooks} == {"report.reminder"} and all(d.signature_ok
                                                                             for d in world.receiver.deliveries)


def _remind_events(world) -> int:
    with unit_of_work(world.engine) as session:
        return len(session.scalars(select(AuditEvent.id).where(AuditEvent.action == "report.remind")).all())


def test_remind_now_by_the_authority_in_its_region(world):
    _submit(world, "kunshan_user", "kunshan", shanghai(10))
    audited_before = _remind_events(world)
    with unit_of_work(world.engine) as session:
        count = reminders.remind_now(session=session, caller=world.caller("jiangsu"), type_code=TYPE,
                                     now=shanghai(11))
    assert count == 1  # Suzhou only: Kunshan reported, Shanghai is not Jiangsu's
    with unit_of_work(world.engine) as session:
        again = reminders.remind_now(session=session, caller=world.caller("jiangsu"), type_code=TYPE,
                                     now=shanghai(12))
        assert again == 0
        hooks = session.scalars(select(Notification).where(Notification.event == "report.reminder")).all()
        assert [h.payload["enterprise_id"] for h in hooks] == [world.ids["suzhou"]]
    assert _remind_events(world) == audited_before + 2  # both presses audited, the empty one too
    with unit_of_work(world.engine) as session, pytest.raises(Forbidden):
        reminders.remind_now(session=session, caller=world.caller("analyst"), type_code=TYPE, now=shanghai(12))
