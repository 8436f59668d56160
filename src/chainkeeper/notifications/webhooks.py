"""Signed webhooks: a JSON POST whose ``X-Chainkeeper-Signature`` lets the receiver check origin and freshness.

The signature is ``sha256=<hex>``, the HMAC-SHA256 with the shared secret (``CHAINKEEPER_WEBHOOK_SECRET``) of
``"<timestamp>.<raw body>"``, where ``timestamp`` is the ``X-Chainkeeper-Timestamp`` header (Unix seconds). A
receiver checks it with :func:`verify_signature` on the raw bytes it received, before parsing them, and refuses old
timestamps (replays). ``X-Chainkeeper-Delivery`` is the outbox row id: the same for every retry of one notification,
so a receiver can drop duplicates (delivery is at least once).

The body is ``{"id", "event", "object_type", "object_id", "created_at", "data"}`` with the caller's payload as
``data``. Any 2xx answer is success; anything else, a redirect included, or a timeout, is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr

SIGNATURE_PREFIX = "sha256="
USER_AGENT = "chainkeeper-webhooks/1"


def _secret_bytes(secret: str | bytes | SecretStr) -> bytes:
    if isinstance(secret, SecretStr):
        secret = secret.get_secret_value()
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def sign(secret: str | bytes | SecretStr, timestamp: int | str, body: bytes | str) -> str:
    """The ``X-Chainkeeper-Signature`` value of ``body`` sent at ``timestamp``: ``sha256=<hex>``."""
    message = str(timestamp).encode("ascii") + b"." + _as_bytes(body)
    return SIGNATURE_PREFIX + hmac.new(_secret_bytes(secret), message, hashlib.sha256).hexdigest()


def verify_signature(secret: str | bytes | SecretStr, timestamp: int | str | None, body: bytes | str,
                     signature: str | None, *, tolerance: float = 300, now: float | datetime | None = None) -> bool:
    """True when ``signature`` is ours for ``body`` and ``timestamp`` is within ``tolerance`` seconds of ``now``.

    Give the raw request body and the ``X-Chainkeeper-Timestamp`` and ``X-Chainkeeper-Signature`` headers; the
    comparison takes constant time. Malformed or missing values are simply not valid.
    """
    if not secret or not signature or timestamp is None:
        return False
    try:
        sent = int(str(timestamp).strip())
    except ValueError:
        return False
    if now is None:
        now = time.time()
    elif isinstance(now, datetime):
        now = now.timestamp()
    if abs(now - sent) > tolerance:
        return False
    expected = sign(secret, sent, body)
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace"))


def envelope(*, delivery_id: int, event: str, object_type: str | None, object_id: str | None,
             created_at: datetime, data: object) -> bytes:
    """The raw JSON body of a webhook (UTF-8, keys sorted, no insignificant spaces)."""
    document = {"id": delivery_id, "event": event, "object_type": object_type, "object_id": object_id,
                "created_at": created_at.isoformat(), "data": data}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class WebhookResult:
    """What the receiver answered: ``ok`` for a 2xx."""

    ok: bool
    status_code: int | None
    error: str | None = None


def post_webhook(url: str, *, body: bytes, event: str, delivery_id: int, secret: str | bytes | SecretStr,
                 timeout: float = 10.0) -> WebhookResult:
    """POST ``body`` signed with ``secret``; network errors become a failed result (never an exception)."""
    import httpx

    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Chainkeeper-Event": event,
        "X-Chainkeeper-Delivery": str(delivery_id),
        "X-Chainkeeper-Timestamp": str(timestamp),
        "X-Chainkeeper-Signature": sign(secret, timestamp, body),
    }
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.TimeoutException as error:
        return WebhookResult(False, None, f"timeout after {timeout:g} s ({type(error).__name__})")
    except httpx.HTTPError as error:
        return WebhookResult(False, None, f"{type(error).__name__}: {error}")
    if 200 <= response.status_code < 300:
        return WebhookResult(True, response.status_code)
    return WebhookResult(False, response.status_code, f"HTTP {response.status_code} {response.reason_phrase}".strip())
