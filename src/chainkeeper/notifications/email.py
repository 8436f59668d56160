"""E-mail by SMTP (smtplib): UTF-8 subject and body, STARTTLS or implicit TLS, login when a username is set.

The password is only ever sent over TLS: with a username but neither ``smtp_starttls`` nor ``smtp_ssl``, sending
is refused. Errors are raised to the caller (``deliver_due``), which records and retries them.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from chainkeeper.config import Settings


class EmailNotConfigured(RuntimeError):
    """SMTP settings are missing or unsafe."""


def tls_context() -> ssl.SSLContext:
    """The TLS context of SMTP connections: the system's trusted CAs, hostname checked."""
    return ssl.create_default_context()


def build_message(*, sender: str, to: str, subject: str, body: str, message_id: str | None = None,
                  event: str | None = None, date: datetime | None = None) -> EmailMessage:
    """A plain-text UTF-8 message (``subject`` is encoded per RFC 2047, the body base64 or quoted-printable)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = " ".join(subject.split())  # no line breaks in a header
    message["Date"] = format_datetime(date or datetime.now(timezone.utc))
    if message_id:
        message["Message-ID"] = message_id
    if event:
        message["X-Chainkeeper-Event"] = event
    message.set_content(body, charset="utf-8")
    return message


def message_id_for(notification_id: int, sender: str) -> str:
    """A Message-ID that stays the same on every retry of one notification (so mail clients can drop duplicates)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "chainkeeper"
    return f"<notification-{notification_id}@{domain}>"


def send_email(settings: Settings, message: EmailMessage, *, context: ssl.SSLContext | None = None) -> None:
    """Send ``message`` to its ``To`` address through the configured SMTP server; raise on any failure."""
    if not settings.smtp_host:
        raise EmailNotConfigured("e-mail is disabled: CHAINKEEPER_SMTP_HOST is not set")
    encrypted = settings.smtp_ssl or settings.smtp_starttls
    if settings.smtp_username and not encrypted:
        raise EmailNotConfigured("refusing to send the SMTP password without TLS: enable CHAINKEEPER_SMTP_STARTTLS "
                                 "or CHAINKEEPER_SMTP_SSL")
    timeout = settings.notification_timeout
    if encrypted:
        context = context or tls_context()
    if settings.smtp_ssl:
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        client.ehlo()
        if settings.smtp_starttls and not settings.smtp_ssl:
            client.starttls(context=context)
            client.ehlo()
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            client.login(settings.smtp_username, password)
        envelope_from = parseaddr(settings.smtp_sender)[1] or settings.smtp_sender  # without the display name
        client.send_message(message, from_addr=envelope_from, to_addrs=[parseaddr(str(message["To"]))[1]])
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):  # the message was accepted (or the error above matters more)
            client.close()
