"""The arrears API's request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from chainkeeper.sme.arrears.models import Kind
from chainkeeper.sme.arrears.rules import DebtorLevel, DebtorType
from chainkeeper.sme.arrears.workflow import Action


class ComplaintBody(BaseModel):
    """The three parts: the creditor (its size figures as at signing, optional), the debtor, the arrears."""

    kind: Kind = Kind.arrears
    creditor_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    employees: int | None = Field(default=None, ge=0, le=10_000_000)
    revenue_wan: float | None = Field(default=None, ge=0, le=1e10)
    assets_wan: float | None = Field(default=None, ge=0, le=1e10)
    debtor_name: str = Field(max_length=200)
    debtor_enterprise_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    debtor_type: DebtorType
    debtor_level: DebtorLevel = DebtorLevel.local
    debtor_region_code: str = Field(max_length=6)
    contract_no: str = Field(default="", max_length=100)
    signed_on: date | None = None
    amount: Decimal = Field(gt=0, lt=Decimal("1e12"), decimal_places=2)
    delivered_on: date | None = None
    agreed_due_on: date | None = None
    agreed_rate: Decimal | None = Field(default=None, ge=0, le=100)
    delivered_what: str = Field(max_length=2000)
    evidence: str = Field(default="", max_length=4000)
    disputed: bool = False
    before_court: bool = False
    consent_publish: bool = False


class ReasonOut(BaseModel):
    text: str
    ok: bool


class CheckOut(BaseModel):
    eligible: bool
    due_on: date | None
    creditor_size: str
    size_basis: str
    reasons: list[ReasonOut]


class StepBody(BaseModel):
    action: Action
    reason: str = Field(default="", max_length=2000)
    text: str = Field(default="", max_length=4000)
    amount: Decimal | None = Field(default=None, gt=0, lt=Decimal("1e12"), decimal_places=2)
    paid_on: date | None = None


class InterestBody(BaseModel):
    amount: Decimal = Field(gt=0, lt=Decimal("1e12"), decimal_places=2)
    due_on: date
    until: date
    agreed_rate: Decimal | None = Field(default=None, ge=0, le=100)
    signed_on: date | None = None


class InterestOut(BaseModel):
    amount: Decimal
    days: int
    basis: str
    daily_rate: Decimal
    annual_rate: Decimal | None
    lpr: Decimal | None
    stale_table: bool
    explanation: str


class EventOut(BaseModel):
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    note: str
    amount: Decimal | None
    paid_on: date | None


class ComplaintOut(BaseModel):
    id: int
    kind: str
    state: str
    creditor_id: int
    creditor_size: str
    debtor_name: str
    debtor_type: str
    debtor_level: str
    debtor_region_code: str
    handling_region_code: str
    contract_no: str
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    delivered_on: date | None
    due_on: date | None
    delivered_what: str
    handler: str
    answer: str
    agreement: str
    reason: str
    overdue: bool
    time_limit: datetime | None
    submitted_at: datetime
    actions: list[str]
    events: list[EventOut] = []


class StatRow(BaseModel):
    key: str
    complaints: int
    owed: Decimal
    cleared: Decimal
    cleared_count: int
    overdue: int


class PublishBody(BaseModel):
    summary: str = Field(max_length=4000)


class CaseOut(BaseModel):
    kind: str
    debtor_type: str
    state: str
    summary: str
