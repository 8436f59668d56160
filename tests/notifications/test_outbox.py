"""The outbox itself: rows live and die with the caller's transaction; concurrent senders never send a row twice."""

import threading
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from notifications.support import WEBHOOK_SECRET, make_settings
from sqlalchemy import func, select

from chainkeeper.db import unit_of_work
from chainkeeper.notifications import service
from chainkeeper.notifications.models import Notification, NotificationStatus
from chainkeeper.notifications.service import deliver_due, enqueue_email, enqueue_webhooks, requeue_failed
from chainkeeper.registry.models import Product


def _count(engine, **where) -> int:
    with unit_of_work(engine) as session:
        query = select(func.count()).select_from(Notification).filter_by(**where)
        return session.scalar(query)


def _now() -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=1)


SETTINGS = make_settings(smtp_host="127.0.0.1", smtp_port=9, webhook_urls=["http://127.0.0.1:9/a"],
                         webhook_secret=WEBHOOK_SECRET)


def _enqueue_both(session) -> None:
    enqueue_email(session, to="a@example.cn", subject="案件已受理", body="正文", event="case.accepted",
                  settings=SETTINGS)
    enqueue_webhooks(session, event="case.accepted", payload={"case": 1}, settings=SETTINGS)


def test_rows_roll_back_with_the_callers_transaction(engine):
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        session.add(Product(code="P-1", name="线束"))
        _enqueue_both(session)
        session.flush()
        raise RuntimeError("the state change failed")
    assert _count(engine) == 0
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 0


def test_rows_commit_with_the_callers_transaction(engine):
    with unit_of_work(engine) as session:
        session.add(Product(code="P-1", name="线束"))
        _enqueue_both(session)
    assert _count(engine, status=NotificationStatus.pending) == 2


def test_concurrent_senders_never_send_a_row_twice(engine, receiver_factory):
    receiver = receiver_factory(delay=0.01)
    settings = make_settings(webhook_urls=[receiver.url()], webhook_secret=WEBHOOK_SECRET)
    with unit_of_work(engine) as session:
        for case in range(40):
            enqueue_webhooks(session, event="case.updated", payload={"case": case}, settings=settings)
    now, start, reports, errors = _now(), threading.Barrier(3), [], []

    def sender() -> None:
        start.wait()
        try:
            reports.append(deliver_due(engine, settings=settings, now=now))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sent_ids = Counter(d.headers["X-Chainkeeper-Delivery"] for d in receiver.deliveries)
    assert len(sent_ids) == 40 and set(sent_ids.values()) == {1}, "a row was sent twice"
    assert sum(r.sent for r in reports) == 40 and sum(r.claimed for r in reports) == 40
    assert _count(engine, status=NotificationStatus.sent, attempts=1) == 40


def test_a_sender_that_dies_leaves_its_rows_to_be_sent_after_the_lease(engine, receiver_factory, monkeypatch):
    receiver = receiver_factory()
    settings = make_settings(webhook_urls=[receiver.url()], webhook_secret=WEBHOOK_SECRET)
    (row,) = enqueue_webhooks_committed(engine, settings)
    now = _now()
    real_send = service._send

    def die(claim, settings):
        raise KeyboardInterrupt  # the process is killed between claiming and recording

    monkeypatch.setattr(service, "_send", die)
    with pytest.raises(KeyboardInterrupt):
        deliver_due(engine, settings=settings, now=now)
    monkeypatch.setattr(service, "_send", real_send)
    lease = service._lease(settings)
    assert deliver_due(engine, settings=settings, now=now + lease - timedelta(seconds=1)).claimed == 0
    report = deliver_due(engine, settings=settings, now=now + lease)
    assert [(o.id, o.status, o.attempts) for o in report.outcomes] == [(row, "sent", 2)]
    assert len(receiver.deliveries) == 1


def test_a_row_whose_last_attempt_was_interrupted_fails(engine):
    settings = make_settings(webhook_urls=["http://127.0.0.1:9/"], webhook_secret=WEBHOOK_SECRET,
                             notification_max_attempts=3)
    (row_id,) = enqueue_webhooks_committed(engine, settings)
    with unit_of_work(engine) as session:
        session.get(Notification, row_id).attempts = 3
    assert deliver_due(engine, settings=settings, now=_now()).claimed == 0
    with unit_of_work(engine) as session:
        row = session.get(Notification, row_id)
        assert (row.status, row.last_error) == (NotificationStatus.failed, "gave up after 3 attempts")


def test_failed_rows_can_be_requeued(engine):
    settings = make_settings(webhook_urls=["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"],
                             webhook_secret=WEBHOOK_SECRET, notification_max_attempts=1, notification_timeout=1)
    first, second = enqueue_webhooks_committed(engine, settings)
    assert deliver_due(engine, settings=settings, now=_now()).failed == 2
    with unit_of_work(engine) as session:
        assert requeue_failed(session, ids=[first]) == 1
    with unit_of_work(engine) as session:
        again = session.get(Notification, first)
        assert (again.status, again.attempts) == (NotificationStatus.pending, 0)
        assert session.get(Notification, second).status == NotificationStatus.failed
    assert deliver_due(engine, settings=settings, now=_now()).claimed == 1


def test_limit_bounds_one_run(engine):
    settings = make_settings(webhook_urls=["http://127.0.0.1:9/"], webhook_secret=WEBHOOK_SECRET)
    with unit_of_work(engine) as session:
        for case in range(25):
            enqueue_webhooks(session, event="case.updated", payload={"case": case}, settings=settings)
    now = _now()
    assert deliver_due(engine, settings=settings, now=now, limit=13).claimed == 13
    assert deliver_due(engine, settings=settings, now=now).claimed == 12


def enqueue_webhooks_committed(engine, settings) -> list[int]:
    with unit_of_work(engine) as session:
        rows = enqueue_webhooks(session, event="case.accepted", payload={"case": 7}, settings=settings)
    return [row.id for row in rows]
