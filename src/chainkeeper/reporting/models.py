"""ORM models of the reporting framework: report types (defined as data), assignments (who reports), reports with
every version kept, and the reminders sent. Report dates and cut-offs are China time; timestamps are UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime

CHANNELS = ("web", "api", "xlsx")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ReportType(Base):
    """What is reported, by when and how often: the fields (JSON list of field specs, see
    :mod:`chainkeeper.reporting.fields`), the daily cut-off in China time and the reminder lead."""

    __tablename__ = "report_type"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    fields: Mapped[list] = mapped_column(JSON)
    cutoff_local: Mapped[time] = mapped_column(Time)
    remind_before_minutes: Mapped[int] = mapped_column(Integer, default=120)
    frequency: Mapped[str] = mapped_column(String(16), default="daily")
    owner_region: Mapped[str] = mapped_column(String(6), default="")  # '' = national
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    def name(self, language: str | None) -> str:
        """The type's name in ``language``."""
        return self.name_en if (language or "").startswith("en") else self.name_zh


class ReportAssignment(Base):
    """An enterprise reports a type from ``since`` (inclusive) until ``until`` (exclusive; null = open)."""

    __tablename__ = "report_assignment"
    __table_args__ = (
        Index("uq_report_assignment_active", "report_type_id", "enterprise_id", unique=True,
              postgresql_where=text("until IS NULL"), sqlite_where=text("until IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_type_id: Mapped[int] = mapped_column(ForeignKey("report_type.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    group_name: Mapped[str] = mapped_column(String(200), default="")
    assigned_by_region: Mapped[str] = mapped_column(String(6), default="")  # '' = national
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    report_type: Mapped[ReportType] = relationship()


class Report(Base):
    """An enterprise's report of a type for one day: the current values and version; the versions before are in
    :class:`ReportRevision`. ``late`` is decided by the first submission."""

    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("report_type_id", "enterprise_id", "report_date", name="uq_report_type_enterprise_date"),
        Index("ix_report_type_date", "report_type_id", "report_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_type_id: Mapped[int] = mapped_column(ForeignKey("report_type.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    report_date: Mapped[date] = mapped_column(Date)
    values: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    type_version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)  # entered by an authority for the enterprise
    channel: Mapped[str] = mapped_column(String(8), default="web")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    first_submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    report_type: Mapped[ReportType] = relationship()


class ReportRevision(Base):
    """One version of a report as submitted (the first one too), so a correction never loses the old values."""

    __tablename__ = "report_revision"
    __table_args__ = (UniqueConstraint("report_id", "version", name="uq_report_revision_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    submitted_by_name: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(8), default="web")
    reason: Mapped[str] = mapped_column(Text, default="")


class ReportReminder(Base):
    """A reminder sent to an enterprise for a type and day: at most one from the clock and one by hand per day."""

    __tablename__ = "report_reminder"
    __table_args__ = (UniqueConstraint("report_type_id", "enterprise_id", "report_date", "manual",
                                       name="uq_report_reminder_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_type_id: Mapped[int] = mapped_column(ForeignKey("report_type.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    report_date: Mapped[date] = mapped_column(Date)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
