"""ORM models of the coordination desk: cases (问题诉求) with their timeline, comments and attachments, and
coordination letters (函件) between provinces. Timestamps are UTC; the pages show them in Asia/Shanghai."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text, event, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.coordination.calendar import DESK_ZONE
from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, values_callable=lambda members: [m.value for m in members])


class CaseState(str, enum.Enum):
    """States of a case (see :mod:`chainkeeper.coordination.workflow`)."""

    submitted = "submitted"
    accepted = "accepted"
    rejected = "rejected"  # invalid, or a duplicate merged into another case
    assigned = "assigned"  # 交办
    feedback = "feedback"  # 反馈: the handler reported its measures
    resolved = "resolved"  # the requester confirmed (or nobody objected in time)
    closed = "closed"  # 销号


OPEN_STATES = (CaseState.submitted, CaseState.accepted, CaseState.assigned, CaseState.feedback)


class CaseCategory(str, enum.Enum):
    """What kind of blocking point it is."""

    staff_return = "staff_return"  # 人员返岗
    parts_supply = "parts_supply"  # 零部件供应 (supplier restart)
    logistics = "logistics"  # 物流运输
    raw_materials = "raw_materials"  # 原材料
    energy = "energy"  # 能源要素
    funding = "funding"
    policy = "policy"
    other = "other"


class Urgency(str, enum.Enum):
    """How urgent the requester says it is."""

    normal = "normal"
    urgent = "urgent"
    critical = "critical"


class Level(str, enum.Enum):
    """The level of the authority that handles a case; escalation climbs it."""

    county = "county"
    city = "city"
    province = "province"
    ministry = "ministry"


class LetterState(str, enum.Enum):
    """States of a coordination letter."""

    draft = "draft"
    sent = "sent"
    replied = "replied"
    closed = "closed"


class Letter(Base):
    """A coordination letter (函件) from one province's authority to another's, carrying many cases."""

    __tablename__ = "desk_letter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    from_region_code: Mapped[str] = mapped_column(String(2), index=True)
    to_region_code: Mapped[str] = mapped_column(String(2), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[LetterState] = mapped_column(_enum(LetterState), default=LetterState.draft)
    reply: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Case(Base):
    """A blocking point reported by an enterprise; also its ledger entry (台账)."""

    __tablename__ = "desk_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    requester_region_code: Mapped[str] = mapped_column(String(6))
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    chain_code: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[CaseCategory] = mapped_column(_enum(CaseCategory))
    urgency: Mapped[Urgency] = mapped_column(_enum(Urgency), default=Urgency.normal)
    title: Mapped[str] = mapped_column(String(200))
    blocked: Mapped[str] = mapped_column(Text, default="")
    help_wanted: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(String(500), default="")
    blocking_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    blocking_name: Mapped[str] = mapped_column(String(200), default="")
    blocking_key: Mapped[str] = mapped_column(String(200), default="")  # normalised name, for duplicate detection
    blocking_region_code: Mapped[str] = mapped_column(String(6))
    handling_region_code: Mapped[str] = mapped_column(String(6), default="")  # '' = the ministry
    level: Mapped[Level] = mapped_column(_enum(Level))
    # escalated at least once: its lower levels may no longer take it back (see workflow.takes_on)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[CaseState] = mapped_column(_enum(CaseState), default=CaseState.submitted)
    liaison_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("desk_letter.id"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("desk_case.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    accept_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolve_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the limit running now (see keep_due_at)
    impact_priority: Mapped[float | None] = mapped_column(Float)
    impact: Mapped[str | None] = mapped_column(Text)  # JSON summary of the engine's answer
    impact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    letter: Mapped[Letter | None] = relationship(lazy="joined")
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_desk_case_queue", "state", "handling_region_code", "impact_priority"),
        # the queue's two orders, so a page reads the first rows of an index instead of sorting every visible case
        # (PostgreSQL, the production database; SQLite accepts no NULLS LAST in an index and sorts instead)
        Index("ix_desk_case_priority", text("impact_priority DESC NULLS LAST"), text("due_at ASC NULLS LAST"),
              "id").ddl_if(dialect="postgresql"),
        Index("ix_desk_case_due", text("due_at ASC NULLS LAST"), "id").ddl_if(dialect="postgresql"),
        # a page's ids in priority order from the index alone (0030); partial, for statements that say "id > 0"
        # only (queries.PAGE_WALK), so no count chooses this wider index
        Index("ix_desk_case_page", text("impact_priority DESC NULLS LAST"), text("due_at ASC NULLS LAST"), "id",
              postgresql_include=["state", "category", "overdue", "requester_region_code", "blocking_region_code",
                                  "handling_region_code", "liaison_id", "requester_id"],
              postgresql_where=text("id > 0")).ddl_if(dialect="postgresql"),
        # counts by state within a scope as index-only scans on PostgreSQL
        Index("ix_desk_case_state_scope", "state", postgresql_include=[
            "requester_region_code", "blocking_region_code", "handling_region_code", "category", "overdue"]),
        Index("ix_desk_case_requester_region", "requester_region_code"),
        Index("ix_desk_case_blocking_region", "blocking_region_code"),
        Index("ix_desk_case_blocking_key", "blocking_key", "category"),
        Index("ix_desk_case_submitted", "submitted_at"),
        # an authority's scope (region prefixes, liaisons in its region) as a BitmapOr of index scans (0026)
        *(Index(f"ix_desk_case_{column}_prefix", text(f"{column} varchar_pattern_ops")).ddl_if(dialect="postgresql")
          for column in ("requester_region_code", "blocking_region_code", "handling_region_code")),
        Index("ix_desk_case_liaison", "liaison_id"),
    )

    @property
    def ledger_no(self) -> str:
        """The ledger number shown to people: 台账 + filing date + id."""
        return ledger_number(self.id, self.submitted_at)

    @property
    def cross_province(self) -> bool:
        """True when the blocking party is in another province than the requester."""
        return self.blocking_region_code[:2] != self.requester_region_code[:2]


def ledger_number(case_id: int, submitted_at: datetime) -> str:
    """The ledger number of case ``case_id`` filed at ``submitted_at``: 台账 + filing date on the desk's clock
    (Beijing time; a time without zone is UTC) + id."""
    if submitted_at.tzinfo is None:
        submitted_at = submitted_at.replace(tzinfo=timezone.utc)
    return f"TZ{submitted_at.astimezone(DESK_ZONE):%Y%m%d}-{case_id:06d}"


RUNNING_RESOLVE = ("accepted", "assigned")


@event.listens_for(Case, "before_insert")
@event.listens_for(Case, "before_update")
def keep_due_at(_mapper, _connection, case: Case) -> None:
    """``due_at``: the acceptance limit while submitted, the resolution limit while accepted or assigned, else none."""
    state = case.state.value if isinstance(case.state, CaseState) else case.state
    case.due_at = case.accept_due_at if state == "submitted" else (
        case.resolve_due_at if state in RUNNING_RESOLVE else None)


class CaseEvent(Base):
    """One step of a case's timeline (the audit trail keeps the tamper-evident copy)."""

    __tablename__ = "desk_case_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("desk_case.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")


class CaseComment(Base):
    """A comment on a case: internal ones are for authorities only; the others the requester sees too."""

    __tablename__ = "desk_case_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("desk_case.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    author_name: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class CaseAttachment(Base):
    """A file attached to a case, stored by content hash like the white-list attachments."""

    __tablename__ = "desk_case_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("desk_case.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("wl_attachment.id"))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class RoutingRule(Base):
    """Per province, the level a new case goes to first (county, city or province); default: city."""

    __tablename__ = "desk_routing"

    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    level: Mapped[Level] = mapped_column(_enum(Level))
