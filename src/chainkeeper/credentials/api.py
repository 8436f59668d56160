"""REST endpoints of credentials and vehicle passes under ``/api/v1``; every route declares its policy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request

from chainkeeper.auth.deps import client_address, guard
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.roles import Principal
from chainkeeper.credentials import passes, policies, service
from chainkeeper.core.keys import load_public_keys, public_pem
from chainkeeper.credentials.models import PassStatus
from chainkeeper.credentials.revocations import export_revocations
from chainkeeper.credentials.schemas import (
    CredentialOut, PassIn, PassOut, PayloadIn, PublicKeyOut, RevokeIn, VerdictOut,
)
from chainkeeper.errors import ValidationFailed
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["credentials"], responses=ERROR_RESPONSES)
Anyone = Annotated[Principal | None, guard(policies.VERIFY)]
Reader = Annotated[Principal, guard(policies.CREDENTIAL_READ)]
Revoker = Annotated[Principal, guard(policies.CREDENTIAL_REVOKE)]
PassReader = Annotated[Principal, guard(policies.PASS_READ)]
Applicant = Annotated[Principal, guard(policies.PASS_APPLY)]
Reviewer = Annotated[Principal, guard(policies.PASS_REVIEW)]
PassRevoker = Annotated[Principal, guard(policies.PASS_REVOKE)]
PublicId = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[0-9A-Z]+$", description="Credential id.")]


@router.post("/verify", response_model=VerdictOut)
def verify(body: PayloadIn, session: DbSession, _anyone: Anyone) -> VerdictOut:
    """Verify a scanned payload: valid, revoked, expired, forged, malformed or unknown_key (no sign-in)."""
    verdict = service.check_payload(session=session, payload=body.payload, today=service.local_today())
    return VerdictOut.of(verdict)


@router.get("/credentials/keys", response_model=list[PublicKeyOut])
def public_keys(_anyone: Anyone) -> list[PublicKeyOut]:
    """Every public key (current and rotated-out) for offline verifiers."""
    return [PublicKeyOut(key_id=kid, pem=public_pem(key)) for kid, key in sorted(load_public_keys().items())]


@router.get("/credentials/revocations", response_model=dict)
def revocation_list(session: DbSession, _anyone: Anyone) -> dict:
    """The signed revocation list for offline verifiers."""
    return export_revocations(session=session)


@router.get("/credentials/{public_id}", response_model=CredentialOut)
def get_credential(public_id: PublicId, session: DbSession, principal: Reader) -> CredentialOut:
    """One credential with its payload (scoped)."""
    scope = service.credential_scope(principal)
    return CredentialOut.of(service.get_credential(session=session, public_id=public_id, scope=scope))


@router.post("/credentials/{public_id}/revoke", response_model=CredentialOut)
def revoke_credential(public_id: PublicId, body: RevokeIn, request: Request, session: DbSession,
                      principal: Revoker) -> CredentialOut:
    """Revoke a vehicle pass's credential through its pass (the issuer's authority, the ministry or an
    administrator; pass and credential change together). A certificate follows its white-list entry: suspend or
    remove the entry instead. Audited."""
    found = service.get_credential(session=session, public_id=public_id, scope=service.credential_scope(principal))
    vehicle_pass = passes.pass_of_credential(session, found.id)
    if vehicle_pass is None:
        raise ValidationFailed("a certificate follows its white-list entry: suspend or remove the entry instead",
                               [{"field": "public_id", "code": "revoke_through_entry",
                                 "message": "not a vehicle pass"}])
    passes.revoke_as(session=session, principal=principal, actor=actor_of(principal, client_address(request)),
                     vehicle_pass=vehicle_pass, reason=body.reason)
    return CredentialOut.of(found)


@router.get("/passes", response_model=list[PassOut])
def list_passes(session: DbSession, principal: PassReader, status: PassStatus | None = None) -> list[PassOut]:
    """Vehicle passes the caller may see, newest first (at most 200)."""
    found = passes.list_passes(session=session, scope=passes.pass_scope(principal), status=status)
    return [PassOut.of(item) for item in found]


@router.post("/passes", response_model=PassOut, status_code=201)
def apply(body: PassIn, request: Request, session: DbSession, principal: Applicant) -> PassOut:
    """Apply for a pass for the caller's own enterprise; audited."""
    if principal.enterprise_id is None:
        raise HTTPException(403, "your account is not bound to an enterprise")
    application = passes.PassApplication(crew=[(m.name, m.phone) for m in body.crew],
                                         **body.model_dump(exclude={"crew"}))
    created = passes.apply_for_pass(session=session, actor=actor_of(principal, client_address(request)),
                                    enterprise_id=principal.enterprise_id, application=application)
    return PassOut.of(created)


@router.get("/passes/{pass_id}", response_model=PassOut)
def get_pass(pass_id: ObjectId, session: DbSession, principal: PassReader) -> PassOut:
    """One pass (scoped)."""
    return PassOut.of(passes.get_pass(session=session, pass_id=pass_id, scope=passes.pass_scope(principal)))


def _reviewable(session, principal: Principal, pass_id: int):
    found = passes.get_pass(session=session, pass_id=pass_id, scope=passes.pass_scope(principal))
    if not passes.may_review(session, principal, found):
        raise HTTPException(403, "only the authority of the origin county (or above) reviews this pass")
    return found


@router.post("/passes/{pass_id}/approve", response_model=PassOut)
def approve(pass_id: ObjectId, request: Request, session: DbSession, principal: Reviewer) -> PassOut:
    """Approve a pending pass: number it and sign its QR; audited."""
    found = _reviewable(session, principal, pass_id)
    actor = actor_of(principal, client_address(request))
    return PassOut.of(passes.approve_pass(session=session, actor=actor, vehicle_pass=found))


@router.post("/passes/{pass_id}/reject", response_model=PassOut)
def reject(pass_id: ObjectId, body: RevokeIn, request: Request, session: DbSession, principal: Reviewer) -> PassOut:
    """Reject a pending application with a reason; audited."""
    found = _reviewable(session, principal, pass_id)
    actor = actor_of(principal, client_address(request))
    return PassOut.of(passes.reject_pass(session=session, actor=actor, vehicle_pass=found, reason=body.reason))


@router.post("/passes/{pass_id}/revoke", response_model=PassOut)
def revoke_pass(pass_id: ObjectId, body: RevokeIn, request: Request, session: DbSession,
                principal: PassRevoker) -> PassOut:
    """Revoke an approved pass and its QR credential (issuer's authority, ministry, administrator); audited."""
    found = passes.get_pass(session=session, pass_id=pass_id, scope=passes.pass_scope(principal))
    actor = actor_of(principal, client_address(request))
    return PassOut.of(passes.revoke_as(session=session, principal=principal, actor=actor, vehicle_pass=found,
                                       reason=body.reason))
