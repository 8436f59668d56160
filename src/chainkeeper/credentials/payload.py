"""The signed payload carried by a certificate's or a pass's QR code, and its offline verification.

Format, version 1 (ASCII, about 300 characters)::

    CK1.<kid>.<body>.<signature>

* ``kid``: 8 hex digits naming the public key (see :mod:`chainkeeper.core.keys`);
* ``body``: base64url (no padding) of compact UTF-8 JSON, a positional array
  ``[kind, id, valid_from, valid_until, *fields]``; kind ``W`` (white-list certificate) has the fields
  ``uscc, name, list, batch, category``; kind ``V`` (vehicle pass) has ``number, plate, origin, destination,
  goods, name``; dates are ``YYYYMMDD`` integers;
* ``signature``: base64url of the Ed25519 signature over the ASCII text ``CK1.<kid>.<body>``.

The signature is checked before the body is read, so any altered character of the body or signature gives
``forged``; an unknown ``kid`` gives ``unknown_key``; a broken frame gives ``malformed``. Then a revoked id gives
``revoked`` and a date outside the validity gives ``expired``. :func:`verify_payload` is pure: no database.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from chainkeeper.core.keys import SigningKey
from chainkeeper.i18n import _

PREFIX = "CK1"
MAX_LENGTH = 1200
KINDS = {"certificate": "W", "vehicle_pass": "V"}
FIELDS = {
    "certificate": ("uscc", "name", "list", "batch", "category"),
    "vehicle_pass": ("number", "plate", "origin", "destination", "goods", "name"),
}
TEXT_LIMIT = 24  # characters kept of free-text fields (names), so the QR stays readable
STATUSES = ("valid", "revoked", "expired", "forged", "malformed", "unknown_key")
_FRAME = re.compile(r"^CK1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$")
REASONS = {
    "valid": _("the signature is genuine and the credential is in force"),
    "revoked": _("the credential was revoked"),
    "expired": _("the credential is outside its validity period"),
    "not_yet": _("the credential is not valid yet"),
    "forged": _("the signature does not match: the content was altered or not signed by the platform"),
    "malformed": _("this is not a chainkeeper credential payload"),
    "unknown_key": _("the payload names a signing key this verifier does not know"),
}


@dataclass(frozen=True)
class Claims:
    """What a credential asserts: kind, id, validity and the kind's fields (see :data:`FIELDS`)."""

    kind: str
    credential_id: str
    valid_from: date
    valid_until: date
    fields: dict = field(default_factory=dict)
    key_id: str = ""

    def as_dict(self) -> dict:
        """Plain JSON-ready data."""
        return {"kind": self.kind, "credential_id": self.credential_id, "key_id": self.key_id,
                "valid_from": self.valid_from.isoformat(), "valid_until": self.valid_until.isoformat(),
                **self.fields}


@dataclass(frozen=True)
class Verdict:
    """The outcome of a verification: status (one of :data:`STATUSES`), an English reason, verified claims."""

    status: str
    reason: str
    claims: Claims | None = None

    @property
    def ok(self) -> bool:
        """True for a valid credential."""
        return self.status == "valid"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict base64url: the text must be the canonical encoding of what it decodes to."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64encode(data) != text:
        raise ValueError("not canonical base64url")
    return data


def _day(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def _short(value):
    return value[:TEXT_LIMIT] if isinstance(value, str) else value


def sign_claims(claims: Claims, key: SigningKey) -> str:
    """The payload of ``claims`` signed with ``key``."""
    values = [claims.fields.get(name, "") for name in FIELDS[claims.kind]]
    body = [KINDS[claims.kind], claims.credential_id, _day(claims.valid_from), _day(claims.valid_until),
            *(_short(v) for v in values)]
    encoded = _b64encode(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    signed = f"{PREFIX}.{key.key_id}.{encoded}"
    return f"{signed}.{_b64encode(key.sign(signed.encode('ascii')))}"


def extract_payload(text: str) -> str:
    """The payload in what a scanner or a person gave: the text itself, or the ``p`` (or ``c``) parameter of a URL.

    A QR code holds the verify URL (``https://…/verify?p=CK1.…``) so that a phone camera opens the page; the
    offline verifier reads the payload out of the same URL.
    """
    text = (text or "").strip()
    if text.lower().startswith(("http://", "https://", "/verify")):
        query = parse_qs(urlsplit(text).query)
        values = query.get("p") or query.get("c")
        return values[0].strip() if values else text
    return text


def _claims(body: bytes, kid: str) -> Claims:
    items = json.loads(body.decode("utf-8"))
    kind = next(name for name, code in KINDS.items() if code == items[0])
    names = FIELDS[kind]
    if len(items) != 4 + len(names) or not isinstance(items[1], str):
        raise ValueError("wrong number of fields")
    dates = [date(v // 10000, v // 100 % 100, v % 100) for v in items[2:4]]
    return Claims(kind, items[1], dates[0], dates[1], dict(zip(names, items[4:], strict=True)), kid)


def _verdict(status: str, claims: Claims | None = None, reason: str | None = None) -> Verdict:
    return Verdict(status, reason or REASONS[status], claims)


def verify_payload(payload: str, *, public_keys: Mapping[str, Ed25519PublicKey], revoked_ids: Collection[str],
                   today: date) -> Verdict:
    """Verify ``payload`` offline against ``public_keys`` (by id) and the ``revoked_ids``, as of ``today``."""
    text = extract_payload(payload)
    match = _FRAME.match(text) if len(text) <= MAX_LENGTH else None
    if match is None:
        return _verdict("malformed")
    kid, body_text, signature_text = match.groups()
    if kid not in public_keys:
        return _verdict("unknown_key")
    try:
        public_keys[kid].verify(_b64decode(signature_text), text.rsplit(".", 1)[0].encode("ascii"))
        body = _b64decode(body_text)
    except (InvalidSignature, ValueError, binascii.Error):
        return _verdict("forged")
    try:
        claims = _claims(body, kid)
    except (ValueError, TypeError, KeyError, IndexError, StopIteration, UnicodeDecodeError):
        return _verdict("malformed")  # signed by us but unreadable: a newer format, never a forgery
    return _judge(claims, revoked_ids, today)


def _judge(claims: Claims, revoked_ids: Collection[str], today: date) -> Verdict:
    if claims.credential_id in revoked_ids:
        return _verdict("revoked", claims)
    if today < claims.valid_from:
        return _verdict("expired", claims, REASONS["not_yet"])
    if today > claims.valid_until:
        return _verdict("expired", claims)
    return _verdict("valid", claims)
