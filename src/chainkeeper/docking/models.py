"""ORM models of docking: the catalogue of critical goods (category tree and goods), requisitions of a producer's
output (统一调拨), needs posts, and the day's allocation plans with their lines. Dates are China dates; timestamps
UTC. The producers' daily figures are reports of the reporting framework (type ``docking_producer``), not a table
here."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime

PRIORITIES = (1, 2, 3)  # 1 front-line treatment, 2 severe-risk regions, 3 others
NEED_STATES = ("submitted", "approved", "rejected", "withdrawn")
PLAN_STATES = ("draft", "published")
LINE_STATES = ("proposed", "published", "shipped", "received", "cancelled", "failed")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class GoodCategory(Base):
    """A category (parent None) or sub-category of critical goods, e.g. 医用防护用品 › 医用防护服."""

    __tablename__ = "docking_category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("docking_category.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(300), default="")


class Good(Base):
    """A critical good: its unit, the registry product it is tied to (``product_code``), and the authority that
    schedules it ('' = the ministry; else a region code)."""

    __tablename__ = "docking_good"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("docking_category.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    unit_zh: Mapped[str] = mapped_column(String(20))
    unit_en: Mapped[str] = mapped_column(String(20))
    product_code: Mapped[str | None] = mapped_column(String(64))
    authority_region: Mapped[str] = mapped_column(String(6), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    category: Mapped[GoodCategory] = relationship()


class Requisition(Base):
    """An authority takes a producer's output of a good under unified allocation (统一调拨) from ``since`` (to
    ``until``): that output then goes only to needs in the authority's region ('' = anywhere, the ministry), through
    the allocation, or to the needs the authority directs in ``directions`` ({need id: quantity})."""

    __tablename__ = "docking_requisition"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    good_id: Mapped[int] = mapped_column(ForeignKey("docking_good.id"), index=True)
    authority_region: Mapped[str] = mapped_column(String(6), default="")
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    directions: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Need(Base):
    """A needs post: who needs how much of a good by when, its priority class and place; it counts in the
    allocation once its authority (the province of its place, or the ministry) has approved it."""

    __tablename__ = "docking_need"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    good_id: Mapped[int] = mapped_column(ForeignKey("docking_good.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    demander_name: Mapped[str] = mapped_column(String(200))
    on_behalf_region: Mapped[str] = mapped_column(String(6), default="")  # a province posting for its hospitals
    quantity: Mapped[float] = mapped_column(Float)
    min_lot: Mapped[float] = mapped_column(Float, default=0)
    date_needed: Mapped[date] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(String(500), default="")

    good: Mapped[Good] = relationship()


class Plan(Base):
    """The day's allocation of one good within a scope ('' = national, else a region code): a draft the authority
    adjusts, then published. ``summary`` keeps the solver's answer (status, served per class, message)."""

    __tablename__ = "docking_plan"
    __table_args__ = (UniqueConstraint("day", "good_id", "scope_region", name="uq_docking_plan_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    good_id: Mapped[int] = mapped_column(ForeignKey("docking_good.id"))
    scope_region: Mapped[str] = mapped_column(String(6), default="")
    state: Mapped[str] = mapped_column(String(16), default="draft")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    good: Mapped[Good] = relationship()
    lines: Mapped[list[PlanLine]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                 order_by="PlanLine.id")


class PlanLine(Base):
    """One shipment of a plan: producer → need, quantity, whether the authority fixed it by hand, why (reason codes
    with parameters, see :mod:`chainkeeper.docking.allocation`), and the producer's and demander's confirmations."""

    __tablename__ = "docking_plan_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("docking_plan.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("docking_need.id"), index=True)
    quantity: Mapped[float] = mapped_column(Float)
    distance_km: Mapped[float] = mapped_column(Float, default=0)
    fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="proposed")
    shipped_quantity: Mapped[float | None] = mapped_column(Float)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_quantity: Mapped[float | None] = mapped_column(Float)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="lines")
    need: Mapped[Need] = relationship()
