"""Issuing, revoking, finding and checking credentials (the API the white list calls).

Every function takes the caller's session and never commits: the caller owns the transaction. Every change is
audited in that transaction (``credential.issue``, ``credential.revoke``). Signing reads the current key from
``<data_dir>/keys`` (see :mod:`chainkeeper.core.keys`).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record, snapshot
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.core.keys import load_public_keys, signing_key
from chainkeeper.credentials.models import Credential, CredentialKind, CredentialRevocation
from chainkeeper.credentials.payload import Claims, Verdict, sign_claims, verify_payload
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.registry.models import Enterprise

ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
ID_LENGTH = 12  # 60 random bits
AUDITED = ("public_id", "kind", "key_id", "subject", "entry_ref", "list_name", "batch", "category", "valid_from",
           "valid_until", "enterprise_id")


def new_public_id() -> str:
    """A fresh random credential id (12 characters of Crockford base32)."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def _audit_view(credential: Credential) -> dict:
    data = snapshot(credential)
    return {name: data[name] for name in AUDITED}


def _check_dates(valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from:
        raise ValidationFailed("the validity ends before it begins",
                               [{"field": "valid_until", "message": "must not be before valid_from"}])


def sign_credential(*, session: Session, actor: Actor, claims: Claims, key_dir: Path | None = None,
                    **columns) -> Credential:
    """Sign ``claims`` (its id is replaced by a fresh one), store the credential and audit it."""
    _check_dates(claims.valid_from, claims.valid_until)
    key = signing_key(key_dir)
    public_id = new_public_id()
    signed = Claims(claims.kind, public_id, claims.valid_from, claims.valid_until, claims.fields, key.key_id)
    credential = Credential(public_id=public_id, kind=CredentialKind(claims.kind), key_id=key.key_id,
                            payload=sign_claims(signed, key), valid_from=claims.valid_from,
                            valid_until=claims.valid_until, issued_at=datetime.now(timezone.utc),
                            issued_by=actor.name, **columns)
    session.add(credential)
    session.flush()
    record(session=session, actor=actor, action="credential.issue", object_type="credential",
           object_id=public_id, after=_audit_view(credential))
    return credential


def issue_certificate(*, session: Session, actor: Actor, enterprise_id: int, list_name: str, batch: int,
                      category: str, valid_from: date, valid_until: date, entry_ref: str) -> Credential:
    """Sign the electronic certificate of a published white-list entry (``entry_ref`` names the entry)."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound(f"no enterprise {enterprise_id}")
    fields = {"uscc": enterprise.uscc, "name": enterprise.name, "list": list_name, "batch": batch,
              "category": category}
    claims = Claims("certificate", "", valid_from, valid_until, fields)
    return sign_credential(session=session, actor=actor, claims=claims, enterprise_id=enterprise.id,
                           entry_ref=entry_ref, subject=enterprise.uscc, list_name=list_name, batch=batch,
                           category=category)


def _find(session: Session, credential_id: int | str) -> Credential:
    column = Credential.id if isinstance(credential_id, int) else Credential.public_id
    credential = session.scalar(select(Credential).where(column == credential_id))
    if credential is None:
        raise NotFound(f"no credential {credential_id}")
    return credential


def revoke(*, session: Session, actor: Actor, credential_id: int | str, reason: str) -> Credential:
    """Revoke a credential (by row id or public id) for ``reason``; revoking twice keeps the first revocation."""
    credential = _find(session, credential_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("a reason is required", [{"field": "reason", "message": "a value is required"}])
    if credential.revocation is not None:
        return credential
    credential.revocation = CredentialRevocation(credential_id=credential.id, public_id=credential.public_id,
                                                 reason=reason[:500], revoked_at=datetime.now(timezone.utc),
                                                 revoked_by=actor.name)
    session.flush()
    record(session=session, actor=actor, action="credential.revoke", object_type="credential",
           object_id=credential.public_id, before={"revoked": False}, after={"revoked": True, "reason": reason})
    return credential


def credentials_for(*, session: Session, entry_ref: str) -> list[Credential]:
    """Every credential issued for a white-list entry, oldest first."""
    query = select(Credential).where(Credential.entry_ref == entry_ref).order_by(Credential.id)
    return list(session.scalars(query))


def credential_scope(principal: Principal) -> ColumnElement[bool]:
    """Credentials the principal may read: those of enterprises it may read, and passes it may read."""
    if principal.is_national:
        return true()
    from chainkeeper.credentials.passes import pass_scope
    from chainkeeper.credentials.models import VehiclePass

    firms = select(Enterprise.id).where(enterprise_scope(principal))
    passes = select(VehiclePass.credential_id).where(pass_scope(principal), VehiclePass.credential_id.is_not(None))
    return or_(Credential.enterprise_id.in_(firms), Credential.id.in_(passes))


def get_credential(*, session: Session, public_id: str, scope: ColumnElement[bool] = true()) -> Credential:
    """The credential with this public id inside ``scope``, or :class:`NotFound`."""
    credential = session.scalar(select(Credential).where(Credential.public_id == public_id, scope))
    if credential is None:
        raise NotFound(f"no credential {public_id}")
    return credential


def revoked_ids(*, session: Session) -> set[str]:
    """The public ids of every revoked credential."""
    return set(session.scalars(select(CredentialRevocation.public_id)))


def check_payload(*, session: Session, payload: str, today: date, key_dir: Path | None = None) -> Verdict:
    """Verify ``payload`` with the platform's public keys (old ones included) and its revocations."""
    verdict = verify_payload(payload, public_keys=load_public_keys(key_dir), revoked_ids=(), today=today)
    if verdict.claims is None or verdict.status in ("forged", "malformed", "unknown_key"):
        return verdict
    revoked = session.scalar(select(CredentialRevocation.id).where(
        CredentialRevocation.public_id == verdict.claims.credential_id)) is not None
    if not revoked:
        return verdict
    return verify_payload(payload, public_keys=load_public_keys(key_dir), revoked_ids={verdict.claims.credential_id},
                          today=today)


def local_today() -> date:
    """Today's date in the configured time zone (Asia/Shanghai by default)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from chainkeeper.config import get_settings

    try:
        zone = ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Shanghai")
    return datetime.now(zone).date()
