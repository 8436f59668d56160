"""E-mail through a real SMTP server on loopback: Chinese texts, STARTTLS, implicit TLS, login, secrets kept out."""

import logging
from datetime import datetime, timedelta, timezone

import pytest
from notifications.support import SMTP_PASSWORD, SMTP_USER, make_settings
from sqlalchemy import select

from chainkeeper.db import unit_of_work
from chainkeeper.notifications.models import Notification
from chainkeeper.notifications.service import deliver_due, enqueue_email

SUBJECT = "【产业链协调】案件 42 已受理：上海汽车零部件断供"
BODY = "您好：\n\n您提交的堵点诉求（案件 42）已由江苏省工业和信息化厅受理。\n请登录平台查看处理进度。\n"


def _now() -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=1)


def _enqueue(engine, settings, *recipients: str) -> list[int]:
    with unit_of_work(engine) as session:
        rows = [enqueue_email(session, to=to, subject=SUBJECT, body=BODY, event="case.accepted",
                              object_type="case", object_id=42, settings=settings) for to in recipients]
    return [row.id for row in rows]


def _rows(engine) -> dict[int, Notification]:
    with unit_of_work(engine) as session:
        return {row.id: row for row in session.scalars(select(Notification))}


def test_email_arrives_with_recipient_and_chinese_subject(engine, smtp_server):
    handler, port = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port)
    (row_id,) = _enqueue(engine, settings, "zhang.wei@example.cn")
    now = _now()
    report = deliver_due(engine, settings=settings, now=now)
    assert (report.claimed, report.sent) == (1, 1)
    (received,) = handler.messages
    assert received.rcpt_tos == ["zhang.wei@example.cn"]
    assert received.mail_from == "noreply@chainkeeper.example.cn"
    message = received.message
    assert message["Subject"] == SUBJECT
    assert message["To"] == "zhang.wei@example.cn"
    assert message["From"].addresses[0].display_name == "平台"
    assert message["Message-ID"] == f"<notification-{row_id}@chainkeeper.example.cn>"
    assert message["X-Chainkeeper-Event"] == "case.accepted"
    assert message.get_content_charset() == "utf-8" and message.get_content() == BODY
    assert not any(ord(c) > 127 for c in message.as_string(policy=message.policy.clone(utf8=False))
                   .split("\n\n", 1)[0]), "headers must be RFC 2047-encoded ASCII"
    row = _rows(engine)[row_id]
    assert (row.status.value, row.attempts, row.sent_at, row.last_error) == ("sent", 1, now, None)
    assert (row.object_type, row.object_id) == ("case", "42")
    assert deliver_due(engine, settings=settings, now=now + timedelta(hours=1)).claimed == 0  # sent only once


def test_a_refused_recipient_does_not_stop_the_others(engine, smtp_server):
    handler, port = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port)
    ids = _enqueue(engine, settings, "a@example.cn", "reject-me@example.cn", "b@example.cn")
    now = _now()
    report = deliver_due(engine, settings=settings, now=now)
    assert (report.sent, report.retried) == (2, 1)
    assert sorted(r.rcpt_tos[0] for r in handler.messages) == ["a@example.cn", "b@example.cn"]
    refused = _rows(engine)[ids[1]]
    assert refused.status.value == "pending" and refused.next_attempt_at == now + timedelta(minutes=1)
    assert "550" in refused.last_error and "no such mailbox" in refused.last_error


def test_starttls_and_login(engine, smtp_tls_server, trust_test_ca):
    handler, port = smtp_tls_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True, smtp_username=SMTP_USER,
                             smtp_password=SMTP_PASSWORD)
    _enqueue(engine, settings, "li.na@example.cn")
    assert deliver_due(engine, settings=settings, now=_now()).sent == 1
    assert [m.message["Subject"] for m in handler.messages] == [SUBJECT]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(engine, smtps_server, trust_test_ca):
    handler, port = smtps_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_ssl=True, smtp_username=SMTP_USER,
                             smtp_password=SMTP_PASSWORD)
    _enqueue(engine, settings, "li.na@example.cn")
    assert deliver_due(engine, settings=settings, now=_now()).sent == 1
    assert len(handler.messages) == 1


def test_untrusted_certificate_is_refused(engine, smtp_tls_server):
    _handler, port = smtp_tls_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True, smtp_username=SMTP_USER,
                             smtp_password=SMTP_PASSWORD)
    (row_id,) = _enqueue(engine, settings, "li.na@example.cn")
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    assert "CERTIFICATE_VERIFY_FAILED" in _rows(engine)[row_id].last_error


def _assert_password_hidden(engine, caplog, row_id):
    row = _rows(engine)[row_id]
    assert row.last_error and SMTP_PASSWORD not in row.last_error
    ours = [r for r in caplog.records if r.name != "mail.log"]  # mail.log is the test's own SMTP server
    assert any(r.name.startswith("chainkeeper") for r in ours)
    assert all(SMTP_PASSWORD not in r.getMessage() for r in ours)
    return row


def test_wrong_password_never_appears_in_last_error_or_logs(engine, smtp_tls_server, trust_test_ca, caplog):
    caplog.set_level(logging.DEBUG)
    _handler, port = smtp_tls_server
    wrong = SMTP_PASSWORD + "-wrong"
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True, smtp_username=SMTP_USER,
                             smtp_password=wrong)
    (row_id,) = _enqueue(engine, settings, "li.na@example.cn")
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    row = _rows(engine)[row_id]
    assert "535" in row.last_error and wrong not in row.last_error
    assert all(wrong not in r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert "notification" in caplog.text


def test_a_server_echoing_the_password_is_scrubbed(engine, smtp_tls_server, trust_test_ca, caplog):
    caplog.set_level(logging.DEBUG)
    handler, port = smtp_tls_server
    handler.mail_reply = f"451 4.3.0 temporary failure for {SMTP_USER} / {SMTP_PASSWORD}"
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True, smtp_username=SMTP_USER,
                             smtp_password=SMTP_PASSWORD)
    (row_id,) = _enqueue(engine, settings, "li.na@example.cn")
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    row = _assert_password_hidden(engine, caplog, row_id)
    assert "451" in row.last_error and "***" in row.last_error


def test_no_password_over_an_unencrypted_connection(engine, smtp_server):
    _handler, port = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port, smtp_username=SMTP_USER,
                             smtp_password=SMTP_PASSWORD)
    (row_id,) = _enqueue(engine, settings, "li.na@example.cn")
    assert deliver_due(engine, settings=settings, now=_now()).retried == 1
    assert "without TLS" in _rows(engine)[row_id].last_error


def test_email_off_enqueues_nothing(engine):
    with unit_of_work(engine) as session:
        assert enqueue_email(session, to="a@example.cn", subject=SUBJECT, body=BODY, event="case.accepted",
                             settings=make_settings()) is None
    assert _rows(engine) == {}


def test_an_invalid_address_is_recorded_as_failed(engine, smtp_server):
    handler, port = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port)
    (row_id,) = _enqueue(engine, settings, "not an address\r\nBcc: x@evil.example")
    row = _rows(engine)[row_id]
    assert (row.status.value, row.last_error) == ("failed", "invalid e-mail address")
    assert deliver_due(engine, settings=settings, now=_now()).claimed == 0 and handler.messages == []


@pytest.mark.parametrize("subject", ["一行\r\nBcc: x@evil.example"])
def test_line_breaks_in_the_subject_cannot_add_headers(engine, smtp_server, subject):
    handler, port = smtp_server
    settings = make_settings(smtp_host="127.0.0.1", smtp_port=port)
    with unit_of_work(engine) as session:
        enqueue_email(session, to="a@example.cn", subject=subject, body=BODY, event="case.accepted",
                      settings=settings)
    assert deliver_due(engine, settings=settings, now=_now()).sent == 1
    (received,) = handler.messages
    assert received.rcpt_tos == ["a@example.cn"] and received.message["Bcc"] is None
    assert received.message["Subject"] == "一行 Bcc: x@evil.example"
