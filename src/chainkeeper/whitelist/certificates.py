"""The bridge to signed certificates (:mod:`chainkeeper.credentials`, built separately).

When the credentials package is not installed in this checkout, entries are published without a certificate and
``available()`` is False; nothing else changes.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor

CERTIFICATE_DAYS = 180
"""A certificate is valid this long from its first day; the entry's status (and revocation) decide before that."""


def _service():
    try:
        from chainkeeper.credentials import service
    except ImportError:  # the credentials package is not in this checkout yet
        return None
    return service


def available() -> bool:
    """True when certificates can be issued."""
    return _service() is not None


def ensure_key() -> None:
    """Create the first signing key under the data dir when none exists (the demo calls this)."""
    if _service() is not None:
        from chainkeeper.config import get_settings
        from chainkeeper.core.keys import ensure_signing_key

        ensure_signing_key(get_settings().data_dir)


def issue(*, session: Session, actor: Actor, entry, list_name: str, batch: int, valid_from: date,
          valid_until: date | None = None) -> int | None:
    """Issue the entry's certificate; its id, or None without the credentials package."""
    service = _service()
    if service is None:
        return None
    credential = service.issue_certificate(
        session=session, actor=actor, enterprise_id=entry.enterprise_id, list_name=list_name, batch=batch,
        category=entry.category, valid_from=valid_from,
        valid_until=valid_until or valid_from + timedelta(days=CERTIFICATE_DAYS), entry_ref=entry.ref)
    return getattr(credential, "id", None)


def revoke(*, session: Session, actor: Actor, credential_id: int | None, reason: str) -> None:
    """Revoke a certificate (nothing to do without one)."""
    service = _service()
    if service is not None and credential_id is not None:
        service.revoke(session=session, actor=actor, credential_id=credential_id, reason=reason)


def for_entry(*, session: Session, entry) -> list:
    """The certificates issued for an entry."""
    service = _service()
    return list(service.credentials_for(session=session, entry_ref=entry.ref)) if service is not None else []
