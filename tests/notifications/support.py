"""What the notification tests share: settings, an SMTP handler (aiosmtpd) and an HTTP webhook receiver."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.smtp import AuthResult

from chainkeeper.config import Settings
from chainkeeper.notifications.webhooks import verify_signature

WEBHOOK_SECRET = "whsec-test-5f1c9a"
SMTP_USER = "notifier@example.cn"
SMTP_PASSWORD = "pw-Zq8#k2!xQ7"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_settings(**overrides) -> Settings:
    """Settings of a test: nothing configured but what the test gives (short timeouts)."""
    values = dict(smtp_host=None, smtp_starttls=False, smtp_ssl=False, smtp_username=None, smtp_password=None,
                  smtp_sender="平台 <noreply@chainkeeper.example.cn>", webhook_urls=[], webhook_secret=None,
                  notification_max_attempts=6, notification_timeout=2.0)
    values.update(overrides)
    return Settings(**values)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage


@dataclass
class SmtpHandler:
    """Keeps every accepted message; refuses recipients starting with ``reject``; ``mail_reply`` overrides MAIL."""

    messages: list[Received] = field(default_factory=list)
    mail_reply: str | None = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def document(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver:
    """An HTTP server on loopback that checks every signature and answers with the statuses it is given.

    ``statuses`` are answered in order, then ``default``; ``delay`` seconds pass before each answer.
    """

    def __init__(self, *, statuses=(), default: int = 200, delay: float = 0.0, secret: str = WEBHOOK_SECRET):
        self.statuses, self.default, self.delay, self.secret = list(statuses), default, delay, secret
        self.deliveries: list[Delivery] = []
        self.answered = 0  # answers sent (after the delay)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = verify_signature(receiver.secret, self.headers.get("X-Chainkeeper-Timestamp"), body,
                                      self.headers.get("X-Chainkeeper-Signature"))
                with receiver.lock:
                    receiver.deliveries.append(Delivery(self.path, dict(self.headers), body, ok))
                    status = receiver.statuses.pop(0) if receiver.statuses else receiver.default
                if receiver.delay:
                    time.sleep(receiver.delay)
                if not ok:
                    status = 401
                with receiver.lock:
                    receiver.answered += 1
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the client gave up (timeout tests)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
