"""Request and response bodies of the early-warning API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class WarningOut(BaseModel):
    """A warning with the explanation its chart is drawn from."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    rule_id: int | None
    kind: str
    subject_kind: str
    region_code: str
    indicator: str
    industry_code: str
    enterprise_id: int | None
    input_industry: str
    period: str
    level: str
    value: float
    explanation: dict
    raised_at: datetime
    acknowledged_by: int | None
    acknowledged_by_name: str
    acknowledged_at: datetime | None
    note: str
    links: list[dict] = Field(default_factory=list)


class AcknowledgeIn(BaseModel):
    """The acknowledging person's note."""

    note: str = Field("", max_length=1000)


class RuleIn(BaseModel):
    """A rule: the series (indicator code or ``inventory_days`` / ``raw_material_price``), region, kind, parameters,
    level."""

    indicator: str = Field(..., min_length=1, max_length=64)
    kind: str = Field(..., max_length=32)
    params: dict = Field(default_factory=dict)
    level: str = Field("yellow", pattern="^(red|yellow|blue)$")
    region_code: str = Field("", pattern=r"^(\d{2}|\d{4}|\d{6})?$")
    industry_code: str = Field("", max_length=8)
    subregions: bool = False
    active: bool = True


class RuleOut(RuleIn):
    """A stored rule."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_by: int | None
    created_at: datetime
    updated_at: datetime
