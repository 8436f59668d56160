"""Signed webhooks to a real HTTP receiver on loopback: signature, retry with back-off, failure, timeouts."""

import time
from datetime import datetime, timedelta, timezone

import pytest
from notifications.support import WEBHOOK_SECRET, make_settings
from sqlalchemy import select

from chainkeeper.db import unit_of_work
from chainkeeper.notifications.models import Notification
from chainkeeper.notifications.service import backoff, deliver_due, enqueue_webhooks
from chainkeeper.notifications.webhooks import sign, verify_signature

PAYLOAD = {"case": 42, "state": "accepted", "title": "上海汽车零部件断供", "regions": ["31", "3205"]}


def _now() -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=1)


def _enqueue(engine, settings, event="case.accepted", payload=PAYLOAD) -> list[int]:
    with unit_of_work(engine) as session:
        rows = enqueue_webhooks(session, event=event, payload=payload, object_type="case", object_id="42",
                                settings=settings)
    return [row.id for row in rows]


def _row(engine, row_id) -> Notification:
    with unit_of_work(engine) as session:
        return session.get(Notification, row_id)


def test_signature_round_trip_and_tampering():
    body = '{"case":42,"title":"断供"}'.encode()
    stamp = 1_700_000_000
    signature = sign(WEBHOOK_SECRET, stamp, body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify_signature(WEBHOOK_SECRET, str(stamp), body, signature, now=stamp + 10)
    assert verify_signature(WEBHOOK_SECRET, stamp, body.decode(), signature,
                            now=datetime.fromtimestamp(stamp - 299, timezone.utc))
    assert not verify_signature(WEBHOOK_SECRET, stamp, body + b" ", signature, now=stamp)  # body changed
    assert not verify_signature("another-secret", stamp, body, signature, now=stamp)  # wrong secret
    assert not verify_signature(WEBHOOK_SECRET, stamp + 1, body, signature, now=stamp)  # timestamp changed
    assert not verify_signature(WEBHOOK_SECRET, stamp, body, signature, now=stamp + 301)  # too old: a replay
    assert not verify_signature(WEBHOOK_SECRET, stamp, body, signature, now=stamp + 60, tolerance=30)
    for bad in (None, "", "sha256=", "sha1=" + signature[7:], signature.upper(), "签名"):
        assert not verify_signature(WEBHOOK_SECRET, stamp, body, bad, now=stamp)
    assert not verify_signature(WEBHOOK_SECRET, "yesterday", body, signature, now=stamp)
    assert not verify_signature(WEBHOOK_SECRET, None, body, signature, now=stamp)
    assert not verify_signature("", stamp, body, sign("", stamp, body), now=stamp)  # no secret, no trust


def test_retried_after_a_500_then_sent(engine, receiver_factory):
    receiver = receiver_factory(statuses=[500], default=200)
    settings = make_settings(webhook_urls=[receiver.url()], webhook_secret=WEBHOOK_SECRET)
    (row_id,) = _enqueue(engine, settings)
    t0 = _now()
    first = deliver_due(engine, settings=settings, now=t0)
    assert (first.claimed, first.retried, first.sent) == (1, 1, 0)
    row = _row(engine, row_id)
    assert (row.status.value, row.attempts, row.next_attempt_at) == ("pending", 1, t0 + timedelta(minutes=1))
    assert row.last_error == "HTTP 500 Internal Server Error"
    assert deliver_due(engine, settings=settings, now=t0 + timedelta(seconds=59)).claimed == 0  # not due yet
    second = deliver_due(engine, settings=settings, now=t0 + timedelta(minutes=1))
    assert (second.claimed, second.sent) == (1, 1)
    row = _row(engine, row_id)
    assert (row.status.value, row.attempts, row.sent_at, row.last_error) == \
        ("sent", 2, t0 + timedelta(minutes=1), None)

    assert len(receiver.deliveries) == 2 and all(d.signature_ok for d in receiver.deliveries)
    for delivery in receiver.deliveries:
        headers = delivery.headers
        assert headers["X-Chainkeeper-Event"] == "case.accepted"
        assert headers["X-Chainkeeper-Delivery"] == str(row_id)
        assert abs(int(headers["X-Chainkeeper-Timestamp"]) - time.time()) < 60
        assert headers["Content-Type"].startswith("application/json")
        assert delivery.path == "/hook"
    document = receiver.deliveries[1].document
    assert document["data"] == PAYLOAD and document["id"] == row_id and document["event"] == "case.accepted"
    assert (document["object_type"], document["object_id"]) == ("case", "42")
    assert "上海汽车零部件断供".encode() in receiver.deliveries[1].body  # UTF-8, not \u escapes


def test_always_failing_receiver_fails_after_max_attempts_with_backoff(engine, receiver_factory):
    receiver = receiver_factory(default=503)
    settings = make_settings(webhook_urls=[receiver.url()], webhook_secret=WEBHOOK_SECRET,
                             notification_max_attempts=5)
    (row_id,) = _enqueue(engine, settings)
    when, waits = _now(), []
    for attempt in range(1, 5):
        report = deliver_due(engine, settings=settings, now=when)
        assert [(o.status, o.attempts) for o in report.outcomes] == [("retry", attempt)]
        row = _row(engine, row_id)
        waits.append(row.next_attempt_at - when)
        assert deliver_due(engine, settings=settings, now=row.next_attempt_at - timedelta(seconds=1)).claimed == 0
        when = row.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    last = deliver_due(engine, settings=settings, now=when)
    assert [(o.status, o.attempts) for o in last.outcomes] == [("failed", 5)]
    row = _row(engine, row_id)
    assert (row.status.value, row.attempts, row.sent_at) == ("failed", 5, None)
    assert row.last_error == "HTTP 503 Service Unavailable"
    assert deliver_due(engine, settings=settings, now=when + timedelta(days=1)).claimed == 0
    assert len(receiver.deliveries) == 5 and all(d.signature_ok for d in receiver.deliveries)


def test_backoff_doubles_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 6)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32)]
    assert backoff(7) == backoff(40) == timedelta(hours=1)


def test_one_row_per_url_and_one_failure_stops_nothing(engine, receiver_factory):
    good, bad = receiver_factory(), receiver_factory(default=404)
    urls = [good.url("/a"), bad.url("/b"), "http://127.0.0.1:9/nobody-listens", good.url("/c")]
    settings = make_settings(webhook_urls=urls, webhook_secret=WEBHOOK_SECRET)
    ids = _enqueue(engine, settings)
    assert len(ids) == 4
    report = deliver_due(engine, settings=settings, now=_now())
    assert {o.id: o.status for o in report.outcomes} == dict(zip(ids, ["sent", "retry", "retry", "sent"], strict=True))
    assert sorted(d.path for d in good.deliveries) == ["/a", "/c"]
    assert _row(engine, ids[1]).last_error == "HTTP 404 Not Found"
    assert _row(engine, ids[2]).last_error.startswith("ConnectError")


def test_a_slow_receiver_times_out_and_is_retried(engine, receiver_factory):
    # The receiver answers after 60 s; the delivery gave up before any answer (an order, not a wall time).
    receiver = receiver_factory(delay=60)
    settings = make_settings(webhook_urls=[receiver.url()], webhook_secret=WEBHOOK_SECRET, notification_timeout=0.3)
    (row_id,) = _enqueue(engine, settings)
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    assert len(receiver.deliveries) == 1 and receiver.answered == 0
    assert _row(engine, row_id).last_error.startswith("timeout after 0.3 s")


def test_the_receiver_refuses_a_wrong_secret(engine, receiver_factory):
    receiver = receiver_factory(secret="the-receivers-secret")
    settings = make_settings(webhook_urls=[receiver.url()], webhook_secret=WEBHOOK_SECRET)
    (row_id,) = _enqueue(engine, settings)
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    assert receiver.deliveries[0].signature_ok is False
    assert _row(engine, row_id).last_error == "HTTP 401 Unauthorized"


def test_without_a_secret_nothing_is_sent_unsigned(engine, receiver_factory):
    receiver = receiver_factory()
    settings = make_settings(webhook_urls=[receiver.url()])
    (row_id,) = _enqueue(engine, settings)
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    assert receiver.deliveries == []
    assert "CHAINKEEPER_WEBHOOK_SECRET is not set" in _row(engine, row_id).last_error


def test_no_urls_enqueue_nothing_and_payload_must_be_json(engine):
    assert _enqueue(engine, make_settings()) == []
    with unit_of_work(engine) as session:
        assert session.scalars(select(Notification)).all() == []
    with pytest.raises(TypeError):
        _enqueue(engine, make_settings(webhook_urls=["http://127.0.0.1:9/"]), payload={"when": datetime.now()})
