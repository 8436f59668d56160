"""API shapes of the monthly indicators."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IndicatorOut(BaseModel):
    """An indicator of the catalogue and its newest month."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    cumulative: bool
    latest_period: str | None


class PointOut(BaseModel):
    """One monthly figure; ``combined_months`` 2 = January–February together."""

    period: str
    value: float
    combined_months: int


class RankRowOut(BaseModel):
    """A region's place for a month, with its gaps (percentage points for rates)."""

    rank: int
    region_code: str
    region_name: str
    value: float
    combined_months: int
    national: float | None
    gap_to_national: float | None
    target: float | None
    gap_to_target: float | None


class ImportIssueOut(BaseModel):
    """A problem of an import: where (file, row, column) and what, in the caller's language."""

    file: str
    row: int | None
    column: str | None
    code: str
    message: str


class ImportOut(BaseModel):
    """The outcome of an import: nothing was written unless ``ok`` and not ``dry_run``."""

    ok: bool
    file: str
    rows: int
    created: int
    updated: int
    dry_run: bool
    issues: list[ImportIssueOut]
    warnings: list[ImportIssueOut]


class TargetIn(BaseModel):
    """A region's target for an indicator in a year."""

    region_code: str = Field(min_length=2, max_length=6, pattern=r"^\d{2}(\d{2}){0,2}$")
    year: int = Field(ge=2000, le=2100)
    value: float = Field(ge=-100, le=1000)
    industry_code: str = Field(default="", max_length=4)


class TargetOut(TargetIn):
    """A stored target."""

    indicator: str
