"""ORM models of policy matching (migration 0024_policies): policies, enterprise profiles, subscriptions and the
notices sent for them. Dates are China dates; timestamps UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Policy(Base):
    """A support policy (惠企政策): who issued it, where and to whom it applies, its conditions, its benefit.

    ``region_scope`` is a region code prefix ('' = national); ``industries`` GB/T 4754-2017 code prefixes and
    ``size_classes`` / ``labels_any`` lists (empty = any); ``rules`` structured conditions on the enterprise's
    facts (see :mod:`chainkeeper.sme.policies.rules`). ``illustrative`` marks demo policies that cite no real
    document. ``search_text`` is the normalised text the full-text search reads.
    """

    __tablename__ = "sme_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    issuer: Mapped[str] = mapped_column(String(200))
    document_number: Mapped[str] = mapped_column(String(120), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    region_scope: Mapped[str] = mapped_column(String(6), default="", index=True)
    industries: Mapped[list] = mapped_column(JSON, default=list)
    size_classes: Mapped[list] = mapped_column(JSON, default=list)
    labels_any: Mapped[list] = mapped_column(JSON, default=list)
    min_age_years: Mapped[float | None] = mapped_column(Float)
    max_age_years: Mapped[float | None] = mapped_column(Float)
    rules: Mapped[list] = mapped_column(JSON, default=list)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    benefit: Mapped[str] = mapped_column(Text, default="")
    how_to_apply: Mapped[str] = mapped_column(Text, default="")
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class EnterpriseProfile(Base):
    """What matching needs beyond the registry: founding date, the size indicators, facts and labels the registry
    does not keep (e.g. 高新技术企业). Kept by the enterprise itself (or an authority of its region)."""

    __tablename__ = "sme_profile"

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True)
    founded_on: Mapped[date | None] = mapped_column(Date)
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
    extra_labels: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class PolicySubscription(Base):
    """A user's wish to hear of new policies its enterprise qualifies for (one per user)."""

    __tablename__ = "sme_policy_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class PolicyNotice(Base):
    """One notice: a policy newly matched for a subscriber (shown on the page; e-mailed through the outbox)."""

    __tablename__ = "sme_policy_notice"
    __table_args__ = (UniqueConstraint("subscription_id", "policy_id", name="uq_sme_policy_notice"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("sme_policy_subscription.id", ondelete="CASCADE"),
                                                 index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("sme_policy.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    read: Mapped[bool] = mapped_column(Boolean, default=False)
