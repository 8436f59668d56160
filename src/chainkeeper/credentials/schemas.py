"""API shapes of credentials and vehicle passes."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from chainkeeper.credentials.models import Credential, VehiclePass
from chainkeeper.credentials.payload import Verdict

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
County = Field(pattern=r"^\d{6}$", description="County (6-digit administrative) code.")


def _clean(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_clean)]
"""Free text from a form or request: control characters are refused."""


class PayloadIn(BaseModel):
    """A scanned or pasted payload (or a verification URL carrying it in ``p``)."""

    payload: str = Field(min_length=1, max_length=2000)


class VerdictOut(BaseModel):
    """The outcome of a verification; ``claims`` only when the signature is genuine."""

    status: str
    reason: str
    claims: dict | None = None

    @classmethod
    def of(cls, verdict: Verdict) -> VerdictOut:
        """Build from a verdict."""
        return cls(status=verdict.status, reason=verdict.reason,
                   claims=verdict.claims.as_dict() if verdict.claims else None)


class PublicKeyOut(BaseModel):
    """A public key checkpoints verify with."""

    key_id: str
    pem: str


class CredentialOut(BaseModel):
    """A credential with its signed payload."""

    public_id: str
    kind: str
    key_id: str
    subject: str
    entry_ref: str | None
    list_name: str | None
    batch: int | None
    category: str
    valid_from: date
    valid_until: date
    issued_at: datetime
    revoked: bool
    revoke_reason: str | None
    payload: str

    @classmethod
    def of(cls, credential: Credential) -> CredentialOut:
        """Build from an ORM credential."""
        names = set(cls.model_fields) - {"kind", "revoked", "revoke_reason"}
        data = {name: getattr(credential, name) for name in names}
        reason = credential.revocation.reason if credential.revocation else None
        return cls(**data, kind=credential.kind.value, revoked=credential.revoked, revoke_reason=reason)


class RevokeIn(BaseModel):
    """Why a credential or pass is revoked, or an application rejected."""

    reason: Text = Field(min_length=1, max_length=500)



class CrewIn(BaseModel):
    """A driver or escort."""

    name: Text = Field(min_length=1, max_length=64)
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")



class PassIn(BaseModel):
    """An application for a vehicle pass (for the caller's own enterprise)."""

    goods_category: Text = Field(min_length=1, max_length=64)
    origin_code: str = County
    destination_code: str = County
    route: Text = Field(min_length=1, max_length=500)
    plate: Text = Field(min_length=7, max_length=12, description="The pulling vehicle (a tractor for semi-trailers).")
    trailer_plate: Text | None = Field(default=None, max_length=12)
    valid_from: date
    valid_until: date
    crew: list[CrewIn] = Field(min_length=1, max_length=4)



class CrewOut(BaseModel):
    """A crew member."""

    name: str
    phone: str


class PassOut(BaseModel):
    """A vehicle pass and its review."""

    id: int
    status: str
    pass_number: str | None
    issuer_code: str | None
    enterprise_id: int
    goods_category: str
    origin_code: str
    destination_code: str
    route: str
    plate: str
    trailer_plate: str | None
    valid_from: date
    valid_until: date
    crew: list[CrewOut]
    applied_at: datetime
    reviewed_at: datetime | None
    review_reason: str | None
    credential_id: str | None
    payload: str | None

    @classmethod
    def of(cls, vehicle_pass: VehiclePass) -> PassOut:
        """Build from an ORM pass."""
        names = set(cls.model_fields) - {"status", "crew", "credential_id", "payload"}
        data = {name: getattr(vehicle_pass, name) for name in names}
        credential = vehicle_pass.credential
        return cls(**data, status=vehicle_pass.status.value,
                   crew=[CrewOut(name=m.name, phone=m.phone) for m in vehicle_pass.crew],
                   credential_id=credential.public_id if credential else None,
                   payload=credential.payload if credential else None)
