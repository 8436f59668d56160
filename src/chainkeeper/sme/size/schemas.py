"""The size self-test's API shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SizeBody(BaseModel):
    """The indicators of the 2017 standard; give the ones the industry's row uses."""

    industry_code: str = Field(min_length=1, max_length=4, description="GB/T 4754-2017 code, e.g. C, 36, 3670.")
    employees: int | None = Field(default=None, ge=0, le=10_000_000, description="从业人员 (persons).")
    revenue_wan: float | None = Field(default=None, ge=0, le=1e12, description="营业收入 (10,000 yuan).")
    assets_wan: float | None = Field(default=None, ge=0, le=1e12, description="资产总额 (10,000 yuan).")


class SizeOut(BaseModel):
    """The verdict: the class, the standard's row, and the reasons in the caller's language."""

    size: str
    size_name: str
    sector: str
    sector_name: str
    is_sme: bool
    reasons: list[str]
    standard: str
