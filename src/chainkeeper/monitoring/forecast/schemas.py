"""API shapes of the stoppage forecasts."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class ForecastIn(BaseModel):
    """Make a forecast from the latest reports on or before ``made_on``."""

    made_on: date
    horizon: int = Field(30, ge=1, le=60)


class RunOut(BaseModel):
    id: int
    made_on: date
    horizon: int
    created_at: datetime
    n_reports: int
    n_key: int
    seconds: float


class ChainStep(BaseModel):
    id: int
    uscc: str
    name: str
    industry: str
    min_level: float


class LineOut(BaseModel):
    """A key enterprise the forecast puts below 90% (days from ``made_on``; null = not within the horizon)."""

    id: int
    enterprise_id: int
    uscc: str
    name: str
    province_code: str
    day_below_90: int
    day_below_50: int | None
    min_level: float
    level: str
    capacity: float
    binding_industry: str
    chain: list[ChainStep]
    case_id: int | None


class CaseOut(BaseModel):
    case_id: int
