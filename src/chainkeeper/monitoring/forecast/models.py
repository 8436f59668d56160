"""Kept stoppage forecasts: a run (made on a report date) and one line per key enterprise that falls.

A :class:`ForecastRun` is national (the engine runs on the whole registry); its lines are scoped when read, by the
enterprise's region.  Days are counted from ``made_on`` (1 = the next day); a line's ``level`` is ``red`` (stops,
i.e. falls below 50%, within 3 days), ``yellow`` (within 7) or ``''``.  A :class:`ForecastBacktest` keeps the
figures of a backtest (see :mod:`chainkeeper.monitoring.forecast.backtest`).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ForecastRun(Base):
    """A forecast made on ``made_on`` from the latest reports on or before it, over ``horizon`` days."""

    __tablename__ = "forecast_run"
    __table_args__ = (Index("ix_forecast_run_made_on", "made_on", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    made_on: Mapped[date] = mapped_column(Date)
    horizon: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    created_by: Mapped[int | None] = mapped_column(Integer)  # user id; None = the system (demo, clock)
    n_reports: Mapped[int] = mapped_column(Integer, default=0)
    n_key: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class ForecastLine(Base):
    """A key enterprise that the forecast puts below 90% of its normal output within the horizon."""

    __tablename__ = "forecast_line"
    __table_args__ = (Index("ix_forecast_line_run_province", "run_id", "province_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_run.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    province_code: Mapped[str] = mapped_column(String(2))
    city_code: Mapped[str] = mapped_column(String(4))
    day_below_90: Mapped[int] = mapped_column(Integer)
    day_below_50: Mapped[int | None] = mapped_column(Integer)
    min_level: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(8), default="")
    capacity: Mapped[float] = mapped_column(Float, default=1.0)  # its own reported capacity (1.0: not reporting)
    binding_industry: Mapped[str] = mapped_column(String(8), default="")  # '' = its own capacity
    chain: Mapped[list] = mapped_column(JSON, default=list)  # [{id, uscc, name, industry, level}], nearest first
    case_id: Mapped[int | None] = mapped_column(Integer)  # the desk case opened from this line


class ForecastBacktest(Base):
    """Figures of one backtest: per report day and in total, thresholds 90% and 50%."""

    __tablename__ = "forecast_backtest"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    horizon: Mapped[int] = mapped_column(Integer)
    window: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200), default="")
    figures: Mapped[dict] = mapped_column(JSON)  # {"total": {...}, "days": [{"day": iso, "90": {...}, "50": {...}}]}
