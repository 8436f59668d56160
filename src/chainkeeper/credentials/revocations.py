"""The signed revocation list that offline verifiers load (``chainkeeper credentials revocations --out FILE``).

A JSON document::

    {"format": "chainkeeper-revocations/1", "issued_at": "…Z", "key_id": "…",
     "revoked": [{"id": "…", "reason": "…", "revoked_at": "…"}, …], "signature": "<base64url>"}

The signature is Ed25519 by the current key over the canonical JSON (sorted keys, no spaces, UTF-8) of the
document without ``signature``; a list that fails it is refused, so nobody can un-revoke by editing the file.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.core.keys import SigningKey, signing_key
from chainkeeper.credentials.models import CredentialRevocation
from chainkeeper.errors import ValidationFailed

FORMAT = "chainkeeper-revocations/1"


class RevocationListInvalid(ValidationFailed):
    """The revocation list is unreadable, unsigned, signed by an unknown key, or altered."""

    code = "revocation_list_invalid"


def _canonical(document: Mapping) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_list(entries: list[dict], key: SigningKey, issued_at: datetime | None = None) -> dict:
    """A signed revocation-list document of ``entries`` (``id``, ``reason``, ``revoked_at``)."""
    moment = (issued_at or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = {"format": FORMAT, "issued_at": moment, "key_id": key.key_id, "revoked": entries}
    signature = base64.urlsafe_b64encode(key.sign(_canonical(document))).rstrip(b"=").decode("ascii")
    return document | {"signature": signature}


def export_revocations(*, session: Session, key_dir: Path | None = None) -> dict:
    """The signed list of every revoked credential, oldest revocation first."""
    rows = session.scalars(select(CredentialRevocation).order_by(CredentialRevocation.revoked_at,
                                                                 CredentialRevocation.id))
    entries = [{"id": row.public_id, "reason": row.reason,
                "revoked_at": row.revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ")} for row in rows]
    return signed_list(entries, signing_key(key_dir))


def read_revocations(document: Mapping, public_keys: Mapping[str, Ed25519PublicKey]) -> set[str]:
    """The revoked ids of a signed list, after checking its signature; :class:`RevocationListInvalid` if bad."""
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise RevocationListInvalid("not a chainkeeper revocation list")
    key = public_keys.get(str(document.get("key_id")))
    if key is None:
        raise RevocationListInvalid("the revocation list is signed by an unknown key")
    body = {name: value for name, value in document.items() if name != "signature"}
    try:
        text = str(document.get("signature", ""))
        key.verify(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), _canonical(body))
        return {str(entry["id"]) for entry in document["revoked"]}
    except (InvalidSignature, ValueError, TypeError, KeyError):
        raise RevocationListInvalid("the revocation list's signature does not match") from None


def load_revocations(path: Path, public_keys: Mapping[str, Ed25519PublicKey]) -> set[str]:
    """The revoked ids of the signed list in file ``path``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RevocationListInvalid(f"the revocation list cannot be read: {error}") from None
    return read_revocations(document, public_keys)
