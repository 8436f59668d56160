"""ORM models of the 专精特新 ladder: applications (an enterprise's figures, the assessment they earned, and the review
through county → city → province (→ ministry for little giants)) and recognitions (tier, dates of validity and
re-review, revocation). Dates are China dates; timestamps UTC. The registry labels follow the active recognitions."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime
from chainkeeper.registry.models import Enterprise

APP_STATES = ("submitted", "county_passed", "city_passed", "recommended", "recognised", "rejected", "withdrawn")
PENDING = ("submitted", "county_passed", "city_passed", "recommended")
KINDS = ("new", "re_review")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class LadderApplication(Base):
    """An application for a tier (新申请 or 复核): the figures as submitted (``facts``), the score they earned, the
    state of the review and its trail (``history``: one entry per step, who, when, note)."""

    __tablename__ = "sme_ladder_application"
    __table_args__ = (Index("ix_sme_ladder_application_state_county", "state", "county_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="new")
    county_code: Mapped[str] = mapped_column(String(6))
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float | None] = mapped_column(Float)
    size: Mapped[str] = mapped_column(String(16), default="")
    state: Mapped[str] = mapped_column(String(16), default="submitted")
    history: Mapped[list] = mapped_column(JSON, default=list)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enterprise: Mapped[Enterprise] = relationship(lazy="joined")


class LadderRecognition(Base):
    """An enterprise recognised at a tier: valid from ``recognised_on`` to ``valid_until`` (three years), re-review
    due by ``valid_until``; a re-review passed extends it; revoked with a reason ends it at once."""

    __tablename__ = "sme_ladder_recognition"
    __table_args__ = (Index("ix_sme_ladder_recognition_tier_until", "tier", "valid_until"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("sme_ladder_application.id"))
    recognised_by: Mapped[str] = mapped_column(String(8))  # the level: province or ministry
    recognised_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    re_reviewed_on: Mapped[date | None] = mapped_column(Date)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    enterprise: Mapped[Enterprise] = relationship(lazy="joined")

    def active_on(self, day: date) -> bool:
        """Valid on ``day``: recognised, not revoked, not expired."""
        return self.revoked_on is None and self.recognised_on <= day <= self.valid_until
