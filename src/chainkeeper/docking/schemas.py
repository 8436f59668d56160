"""The docking API's request and response bodies."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class GoodBody(BaseModel):
    category_code: str = Field(max_length=40)
    name_zh: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    unit_zh: str = Field(max_length=20)
    unit_en: str = Field(max_length=20)
    product_code: str | None = Field(default=None, max_length=64)
    authority_region: str = Field(default="", max_length=6)
    active: bool = True
    source: str = Field(default="", max_length=300)


class GoodOut(GoodBody):
    code: str


class CategoryOut(BaseModel):
    code: str
    parent_code: str | None
    name_zh: str
    name_en: str
    source: str


class CatalogueOut(BaseModel):
    categories: list[CategoryOut]
    goods: list[GoodOut]


class NeedBody(BaseModel):
    good_code: str = Field(max_length=40)
    quantity: float = Field(gt=0)
    min_lot: float = Field(default=0, ge=0)
    date_needed: date
    priority: int = Field(ge=1, le=3, description="1 front-line treatment, 2 severe-risk regions, 3 others")
    county_code: str = Field(max_length=6)
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field(max_length=40)
    demander_name: str = Field(default="", max_length=200)
    enterprise_id: int | None = None


class NeedOut(BaseModel):
    id: int
    good_code: str
    demander_name: str
    enterprise_id: int | None
    quantity: float
    open_quantity: float
    min_lot: float
    date_needed: date
    priority: int
    county_code: str
    state: str
    review_note: str


class ReviewBody(BaseModel):
    approve: bool
    note: str = Field(default="", max_length=500)


class RequisitionBody(BaseModel):
    enterprise_id: int
    good_code: str = Field(max_length=40)
    since: date
    until: date | None = None
    directions: dict[str, float] = Field(default_factory=dict, description="need id → quantity directed to it")
    reason: str = Field(max_length=500)


class RunBody(BaseModel):
    day: date
    good_code: str = Field(max_length=40)
    scope_region: str | None = Field(default=None, max_length=6)


class FixBody(BaseModel):
    producer_id: int
    need_id: int
    quantity: float | None = Field(default=None, ge=0, description="None releases the line")


class QuantityBody(BaseModel):
    quantity: float | None = Field(default=None, ge=0)


class ReasonBody(BaseModel):
    reason: str = Field(max_length=500)


class LineOut(BaseModel):
    id: int
    day: date
    good_code: str
    producer_id: int
    producer: str
    need_id: int
    demander: str
    quantity: float
    distance_km: float
    fixed: bool
    why: str
    why_not_more: str
    state: str
    shipped_quantity: float | None
    received_quantity: float | None


class PlanOut(BaseModel):
    id: int
    day: date
    good_code: str
    scope_region: str
    state: str
    status: str
    message: str
    served_by_class: dict[str, float]
    need_by_class: dict[str, float]
    lines: list[LineOut]
    shortfalls: list[dict]
    gap: float = Field(0.0, description="HiGHS's relative MIP gap where it stopped at its time limit with an answer "
                                        "(the allocation may be this far from the best); 0: solved within 1e-4")
