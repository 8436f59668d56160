"""The API's shapes for daily scheduling."""

from __future__ import annotations

from pydantic import BaseModel, Field

from chainkeeper.coordination.models import CaseCategory, Urgency


class GroupIn(BaseModel):
    """A new key group."""

    name: str = Field(min_length=1, max_length=200)
    region_code: str | None = Field(default=None, pattern=r"^(\d{2}|\d{4}|\d{6})?$")
    chain_code: str | None = Field(default=None, max_length=32)


class MemberOut(BaseModel):
    """A member and its pre-shock baseline a day."""

    id: int
    enterprise_id: int
    uscc: str
    name: str
    baseline_output_units: int
    baseline_output_value: float
    baseline_staff: int


class GroupOut(BaseModel):
    """A key group with its members."""

    id: int
    name: str
    region_code: str
    chain_code: str | None
    members: list[MemberOut]


class ChooseIn(BaseModel):
    """Members chosen by a rule (whitelist: a list id; chain: a chain code; picked: USCCs; leading: nothing)."""

    rule: str = Field(pattern=r"^(whitelist|leading|chain|picked)$")
    value: str = Field(default="", max_length=20_000)
    since: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


class CaseIn(BaseModel):
    """What the caller changes in the proposed case (everything else comes from the report)."""

    category: CaseCategory | None = None
    title: str | None = Field(default=None, max_length=200)
    blocking_uscc: str | None = Field(default=None, max_length=18)
    blocking_name: str | None = Field(default=None, max_length=200)
    blocking_region_code: str | None = Field(default=None, pattern=r"^\d{6}$")
    urgency: Urgency | None = None


class CaseOut(BaseModel):
    """The desk case opened from a report."""

    case_id: int
    report_id: int
    url: str
