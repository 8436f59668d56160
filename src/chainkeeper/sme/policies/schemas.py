"""The policy API's shapes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class RuleBody(BaseModel):
    """A condition on a fact: ``rd_ratio_pct >= 3``."""

    fact: str = Field(max_length=40)
    op: str = Field(max_length=2)
    value: float


class PolicyBody(BaseModel):
    """A policy as the API takes it (lists empty = any)."""

    code: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=300)
    issuer: str = Field(min_length=1, max_length=200)
    document_number: str = Field(default="", max_length=120)
    source_url: str = Field(default="", max_length=500)
    region_scope: str = Field(default="", max_length=6)
    industries: list[str] = Field(default_factory=list, max_length=200)
    size_classes: list[str] = Field(default_factory=list, max_length=4)
    labels_any: list[str] = Field(default_factory=list, max_length=20)
    min_age_years: float | None = None
    max_age_years: float | None = None
    rules: list[RuleBody] = Field(default_factory=list, max_length=20)
    valid_from: date | None = None
    valid_to: date | None = None
    benefit: str = Field(default="", max_length=4000)
    how_to_apply: str = Field(default="", max_length=4000)
    illustrative: bool = False


class PolicyOut(PolicyBody):
    """A stored policy."""

    id: int


class EvaluationOut(BaseModel):
    """One policy for one enterprise: the conditions met and those missing, in words."""

    policy: PolicyOut
    met: list[str]
    missing: list[str]


class MatchOut(BaseModel):
    """The policies an enterprise qualifies for, and its near misses."""

    enterprise_id: int
    size: str | None
    qualified: list[EvaluationOut]
    near_misses: list[EvaluationOut]


class ProfileBody(BaseModel):
    """An enterprise's profile for matching."""

    founded_on: date | None = None
    facts: dict[str, float | None] = Field(default_factory=dict)
    extra_labels: list[str] = Field(default_factory=list, max_length=10)


class ProfileOut(ProfileBody):
    """A stored profile."""

    enterprise_id: int


class SubscriptionBody(BaseModel):
    """Subscribe (true) or stop (false)."""

    on: bool


class SubscriptionOut(BaseModel):
    """The caller's subscription and its newest notices."""

    subscribed: bool
    notices: list[PolicyOut]


class ImportOut(BaseModel):
    """What an import stored."""

    created: int
    updated: int
