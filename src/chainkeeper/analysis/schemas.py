"""Request and response bodies of the analysis API (``/api/v1/analysis``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from chainkeeper.analysis.scenario import MAX_HORIZON, MAX_ITEMS, ScenarioSpec


class ScenarioIn(BaseModel):
    """A scenario: who is cut (regions ∩ (industries ∪ chains), plus firms by USCC), how much, how long."""

    title: str = Field("", max_length=200)
    regions: list[str] = Field([], max_length=MAX_ITEMS, description="Region codes: 2, 4 or 6 digits.")
    industries: list[str] = Field([], max_length=MAX_ITEMS, description="GB/T 4754 codes at any level.")
    chains: list[str] = Field([], max_length=MAX_ITEMS, description="Key chain codes.")
    firms: list[str] = Field([], max_length=MAX_ITEMS, description="USCCs of enterprises to cut.")
    cut: float = Field(..., gt=0, le=1, description="Share of capacity lost: 0.9 = −90%.")
    duration: int | None = Field(30, ge=1, le=MAX_HORIZON, description="Days of the cut (null: all along).")
    recovery: Literal["step", "linear", "exponential"] = "step"
    horizon_days: int = Field(60, ge=1, le=MAX_HORIZON)
    rationing: Literal["proportional", "priority"] = "proportional"
    on: date | None = Field(None, description="Calendar date of day 0 (white-list status is read on it).")

    def spec(self) -> ScenarioSpec:
        """The service's scenario."""
        return ScenarioSpec(cut=self.cut, duration=self.duration, horizon_days=self.horizon_days,
                            recovery=self.recovery, rationing=self.rationing, regions=tuple(self.regions),
                            industries=tuple(self.industries), chains=tuple(self.chains), firms=tuple(self.firms),
                            on=self.on)


class RunOut(BaseModel):
    """A run: the job's state and who ran it when."""

    id: int
    title: str
    state: str
    progress: float
    error: str | None = None
    owner: str
    created_at: datetime
    finished_at: datetime | None = None
    spec: dict


class HitOut(BaseModel):
    """A hit enterprise inside the caller's scope (levels are percentages of normal, days from 0)."""

    uscc: str
    name: str
    region: str
    white_listed: bool
    cut_by_scenario: bool
    below_90_day: int
    below_50_day: int | None
    lowest_percent: float
    bound_by_industry: str | None
    bound_by_industry_name: str


class OutsideOut(BaseModel):
    """A province outside the caller's scope: totals only."""

    province_code: str
    province: str
    hit_enterprises: int
    below_50: int
    lowest_percent: float


class ResultOut(BaseModel):
    """A done run as the caller may see it: daily production (share of baseline) and hit enterprises."""

    run: RunOut
    national: list[float]
    provinces: dict[str, list[float]]
    chains: dict[str, list[float]]
    warnings: list[str]
    enterprises: list[HitOut]
    outside_scope: list[OutsideOut]


class EsriOut(BaseModel):
    """A systemically important enterprise (shares of national production lost if it fails)."""

    uscc: str
    name: str
    province: str
    chain: str
    esri: float
    downstream: float
    upstream: float
