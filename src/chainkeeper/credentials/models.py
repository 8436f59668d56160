"""ORM models of credentials: signed certificates and passes, their revocations, vehicle passes, pass counters."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from sqlalchemy import Date, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


class CredentialKind(str, enum.Enum):
    """What a credential certifies."""

    certificate = "certificate"  # a white-list entry's electronic certificate
    vehicle_pass = "vehicle_pass"  # 重点物资运输车辆通行证


class PassStatus(str, enum.Enum):
    """Life of a vehicle pass application."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    revoked = "revoked"


class Credential(Base):
    """A signed credential; ``payload`` is the exact signed text in its QR code. Never deleted, only revoked."""

    __tablename__ = "credential"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[CredentialKind] = mapped_column(Enum(CredentialKind, native_enum=False, length=16))
    key_id: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    entry_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(64))  # USCC or pass number
    list_name: Mapped[str | None] = mapped_column(String(200))
    batch: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    issued_by: Mapped[str] = mapped_column(String(200))

    revocation: Mapped[CredentialRevocation | None] = relationship(lazy="selectin", uselist=False)

    @property
    def revoked(self) -> bool:
        """True once revoked."""
        return self.revocation is not None


class CredentialRevocation(Base):
    """The revocation of one credential: why, when and by whom (the revocation list is these rows)."""

    __tablename__ = "credential_revocation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credential.id"), unique=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    reason: Mapped[str] = mapped_column(String(500))
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    revoked_by: Mapped[str] = mapped_column(String(200))


class VehiclePass(Base):
    """One vehicle, one route, one pass: the application, its review, and once approved its number and QR."""

    __tablename__ = "vehicle_pass"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    goods_category: Mapped[str] = mapped_column(String(64))
    origin_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    destination_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    route: Mapped[str] = mapped_column(String(500))
    plate: Mapped[str] = mapped_column(String(10), index=True)
    trailer_plate: Mapped[str | None] = mapped_column(String(10))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[PassStatus] = mapped_column(Enum(PassStatus, native_enum=False, length=16), index=True)
    pass_number: Mapped[str | None] = mapped_column(String(12), unique=True)
    issuer_code: Mapped[str | None] = mapped_column(String(6))
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credential.id"), unique=True)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    applied_by: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    review_reason: Mapped[str | None] = mapped_column(String(500))

    crew: Mapped[list[VehiclePassCrew]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                       order_by="VehiclePassCrew.position")
    credential: Mapped[Credential | None] = relationship(lazy="selectin")


class VehiclePassCrew(Base):
    """A driver or escort of a pass, with a phone number for the checkpoint."""

    __tablename__ = "vehicle_pass_crew"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pass_id: Mapped[int] = mapped_column(ForeignKey("vehicle_pass.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(20))


class VehiclePassCounter(Base):
    """The last serial an issuer (a county code) gave; locked while numbering, never decremented."""

    __tablename__ = "vehicle_pass_counter"

    issuer_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)
