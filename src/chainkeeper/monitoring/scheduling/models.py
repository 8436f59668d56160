"""ORM models of daily scheduling: the key groups that report every day, their members' pre-shock baselines, and
the desk cases opened from a report's problem."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime
from chainkeeper.registry.models import Enterprise


def _now() -> datetime:
    return datetime.now(timezone.utc)


class MonitoredGroup(Base):
    """A key group (重点企业组): enterprises an authority watches every day, e.g. one of the 15 key auto groups.

    ``region_code`` is the group's scope ('' = national): its members lie inside it and only authorities of that
    region (or above) change it.
    """

    __tablename__ = "monitored_group"
    __table_args__ = (UniqueConstraint("region_code", "name", name="uq_monitored_group_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    chain_code: Mapped[str | None] = mapped_column(ForeignKey("key_chain.code"), index=True)
    region_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    members: Mapped[list[MonitoredMember]] = relationship(back_populates="group", cascade="all, delete-orphan",
                                                           lazy="selectin", order_by="MonitoredMember.id")


class MonitoredMember(Base):
    """An enterprise of a group and its pre-shock baseline: daily output (units and 万元) and staff."""

    __tablename__ = "monitored_member"
    __table_args__ = (
        UniqueConstraint("group_id", "enterprise_id", name="uq_monitored_member"),
        CheckConstraint("baseline_output_units >= 0 AND baseline_output_value >= 0 AND baseline_staff >= 0",
                        name="ck_monitored_member_baseline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("monitored_group.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    baseline_output_units: Mapped[int] = mapped_column(Integer, default=0)
    baseline_output_value: Mapped[float] = mapped_column(Float, default=0.0)
    baseline_staff: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    group: Mapped[MonitoredGroup] = relationship(back_populates="members")
    enterprise: Mapped[Enterprise] = relationship(lazy="joined")


class ProblemCase(Base):
    """A desk case opened from a daily report's problem: the case links back to the report, the report to it."""

    __tablename__ = "scheduling_problem_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(Integer, unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("desk_case.id", ondelete="CASCADE"), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
