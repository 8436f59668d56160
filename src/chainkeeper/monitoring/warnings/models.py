"""ORM models of early warning: the rules authorities set, the warnings they raise, and what each warning links to.

The model is ``EarlyWarning`` (table ``early_warning``) so that it is never confused with the engine's simulation
warnings (:mod:`chainkeeper.analysis.warnings`). Region codes follow the platform: '' = the whole country, else 2, 4
or 6 digits. Timestamps are UTC.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime

INVENTORY = "inventory_days"
"""The pseudo-indicator of inventory rules: days of inventory from the daily reports' ``inventory`` rows."""
RAW_MATERIAL_PRICE = "raw_material_price"
"""The pseudo-indicator of raw-material price rules (their ``params['series']`` names the price indicator)."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=16, values_callable=lambda members: [m.value for m in members])


class Level(str, enum.Enum):
    """How serious a warning is (red most)."""

    red = "red"
    yellow = "yellow"
    blue = "blue"


class SubjectKind(str, enum.Enum):
    """What a warning is about: a region's indicator, a product/industry indicator, an enterprise, an input."""

    region = "region"
    indicator = "indicator"
    enterprise = "enterprise"
    input = "input"


class LinkKind(str, enum.Enum):
    """What a warning links to."""

    enterprise = "enterprise"
    forecast_line = "forecast_line"
    case = "case"


class WarningRule(Base):
    """A rule an authority sets: which series (``indicator`` and ``industry_code``, or ``inventory_days``), which
    region (``region_code``; ``subregions``: also every region inside it that has the series), the rule ``kind`` and
    its ``params`` (see :mod:`.rules`), and the ``level`` its warnings get (inventory rules grade their own)."""

    __tablename__ = "warning_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64), index=True)
    industry_code: Mapped[str] = mapped_column(String(8), default="")
    region_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    subregions: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    level: Mapped[Level] = mapped_column(_enum(Level), default=Level.yellow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)


class EarlyWarning(Base):
    """A warning: one rule fired for one subject and period (a month 'YYYY-MM' or a day 'YYYY-MM-DD').

    ``subject_key`` identifies the subject (``region:31|iva_yoy|``, ``enterprise:17|input:3670``); a subject gets
    at most one warning per rule kind and period. ``explanation``: the series, lines and band of the chart and the
    figures of the verdict (see :class:`.rules.Finding`).
    """

    __tablename__ = "early_warning"
    __table_args__ = (
        UniqueConstraint("subject_key", "kind", "period", name="uq_early_warning_subject"),
        Index("ix_early_warning_open", "acknowledged_at", "level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("warning_rule.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_kind: Mapped[SubjectKind] = mapped_column(_enum(SubjectKind))
    subject_key: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    indicator: Mapped[str] = mapped_column(String(64), default="")
    industry_code: Mapped[str] = mapped_column(String(8), default="")
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    input_industry: Mapped[str] = mapped_column(String(8), default="")
    period: Mapped[str] = mapped_column(String(10))
    level: Mapped[Level] = mapped_column(_enum(Level))
    value: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    acknowledged_by_name: Mapped[str] = mapped_column(String(200), default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    links: Mapped[list[WarningLink]] = relationship(back_populates="warning", cascade="all, delete-orphan",
                                                    order_by="WarningLink.id")


class WarningLink(Base):
    """What stands behind a warning: an enterprise, a stoppage-forecast line, a desk case."""

    __tablename__ = "early_warning_link"
    __table_args__ = (UniqueConstraint("warning_id", "target_kind", "target_id", name="uq_early_warning_link"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("early_warning.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[LinkKind] = mapped_column(_enum(LinkKind))
    target_id: Mapped[int] = mapped_column(Integer)

    warning: Mapped[EarlyWarning] = relationship(back_populates="links")
