"""ORM models: a complaint (arrears, or an irregular charge/fine/levy report) with its timeline. Money is Numeric
(yuan, 2 decimals); timestamps UTC, dates China time. A complaint is never public (see :mod:`.scope`)."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime
from chainkeeper.sme.arrears.rules import DebtorLevel, DebtorType


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, values_callable=lambda members: [m.value for m in members])


class Kind(str, enum.Enum):
    """What the report is about."""

    arrears = "arrears"  # 拖欠中小企业款项
    charge = "charge"  # 乱收费
    fine = "fine"  # 乱罚款
    levy = "levy"  # 乱摊派


class State(str, enum.Enum):
    """States of a complaint (see :mod:`.workflow`)."""

    submitted = "submitted"  # registered, awaiting the acceptance decision
    accepted = "accepted"  # formally accepted (正式受理)
    transferred = "transferred"  # transferred to the handling department (转交处理投诉部门)
    answered = "answered"  # the debtor (被投诉人) answered
    agreed = "agreed"  # a repayment agreement (还款协议), maybe in instalments
    cleared = "cleared"  # paid (proof of payment) — 已清偿
    rejected = "rejected"  # not accepted, or not supported, with a reason


OPEN = (State.submitted, State.accepted, State.transferred, State.answered, State.agreed)
MONEY = Numeric(16, 2)


class Complaint(Base):
    """One complaint: creditor, debtor and the arrears (or the charge reported), its routing and its clock."""

    __tablename__ = "arrears_complaint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[Kind] = mapped_column(_enum(Kind), index=True)
    state: Mapped[State] = mapped_column(_enum(State), default=State.submitted, index=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    creditor_region_code: Mapped[str] = mapped_column(String(6))
    creditor_size: Mapped[str] = mapped_column(String(16))
    creditor_sector: Mapped[str] = mapped_column(String(40), default="")
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    debtor_name: Mapped[str] = mapped_column(String(200))
    debtor_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    debtor_type: Mapped[DebtorType] = mapped_column(_enum(DebtorType))
    debtor_level: Mapped[DebtorLevel] = mapped_column(_enum(DebtorLevel))
    debtor_region_code: Mapped[str] = mapped_column(String(6))
    handling_region_code: Mapped[str] = mapped_column(String(6), default="", index=True)  # '' = the ministry
    contract_no: Mapped[str] = mapped_column(String(100), default="")
    signed_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    agreed_due_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    agreed_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 3))  # per cent a year, if agreed
    delivered_what: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")  # one file or document reference a line
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    before_court: Mapped[bool] = mapped_column(Boolean, default=False)
    eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[msgid, params], ...]
    handler: Mapped[str] = mapped_column(String(200), default="")  # the handling department named on transfer
    agreement: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    published_summary: Mapped[str] = mapped_column(Text, default="")  # a typical case, personal data removed
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    accept_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transfer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handle_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def due_at(self) -> datetime | None:
        """The time limit running now (acceptance, transfer or handling), or None."""
        return {State.submitted: self.accept_due_at, State.accepted: self.transfer_due_at,
                State.transferred: self.handle_due_at, State.answered: self.handle_due_at}.get(self.state)

    @property
    def outstanding(self) -> Decimal:
        """Still owed."""
        return max(Decimal(self.amount) - Decimal(self.paid or 0), Decimal(0))


class Event(Base):
    """One step on a complaint's timeline (also the instalments and proofs of payment)."""

    __tablename__ = "arrears_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("arrears_complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column(MONEY)  # a payment
    paid_on: Mapped[date | None] = mapped_column(Date)
