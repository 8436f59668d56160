"""ORM models of the monthly indicators: the catalogue, the published figures and the regions' targets.

A figure is keyed by (indicator, region, industry, period): ``region_code`` '00' is the nation, otherwise a 2-digit
province (or a 4/6-digit city/county) code; ``industry_code`` '' is all industry, otherwise a GB/T 4754 code;
``period`` is 'YYYY-MM'. ``combined_months`` is 2 when the figure covers January and February together (published
with February, as the statistics bureau does), else 1.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime

NATIONAL = "00"


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Indicator(Base):
    """A published monthly indicator: ``kind`` is ``yoy_pct`` (growth on the same month a year before, %),
    ``level`` (an amount in ``unit``) or ``index`` (e.g. the PMI, 50 = no change); ``cumulative`` when the figure
    covers the year to date (e.g. cumulative YoY)."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(20), default="")
    kind: Mapped[str] = mapped_column(String(16))
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(Base):
    """One published figure of an indicator for a region, an industry and a month."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "region_code", "industry_code", "period",
                                       name="uq_indicator_value_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(6), default=NATIONAL)
    industry_code: Mapped[str] = mapped_column(String(4), default="")
    period: Mapped[str] = mapped_column(String(7), index=True)
    value: Mapped[float] = mapped_column(Float)
    combined_months: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class IndicatorTarget(Base):
    """A region's target for an indicator in a year (e.g. a province's growth target of value added, %)."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("indicator_id", "region_code", "industry_code", "year",
                                       name="uq_indicator_target_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(6))
    industry_code: Mapped[str] = mapped_column(String(4), default="")
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(200), default="")
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
