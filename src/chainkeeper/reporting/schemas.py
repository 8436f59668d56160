"""The reporting API's request and response bodies."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from chainkeeper.reporting.models import Report, ReportRevision, ReportType


class TypeIn(BaseModel):
    """A report type's definition (the code is in the path)."""

    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    fields: list[dict] = Field(max_length=100, description="Field specs: key, label_zh, label_en, kind, unit, min, "
                                                            "max, required, choices, max_length, columns, max_rows.")
    cutoff_local: str = Field("17:00", pattern=r"^\d{1,2}:\d{2}$", description="China time.")
    remind_before_minutes: int = Field(120, ge=0, le=1440)
    active: bool = True


class TypeOut(BaseModel):
    """A report type."""

    code: str
    name_zh: str
    name_en: str
    fields: list[dict]
    cutoff_local: str
    remind_before_minutes: int
    owner_region: str
    active: bool
    version: int

    @classmethod
    def of(cls, item: ReportType) -> TypeOut:
        return cls(code=item.code, name_zh=item.name_zh, name_en=item.name_en, fields=item.fields,
                   cutoff_local=item.cutoff_local.strftime("%H:%M"), remind_before_minutes=item.remind_before_minutes,
                   owner_region=item.owner_region, active=item.active, version=item.version)


class AssignIn(BaseModel):
    """Enterprises that start (or stop) reporting a type."""

    enterprise_ids: list[int] = Field(min_length=1, max_length=5000)
    group_name: str = Field("", max_length=200)
    since: date | None = None


class UnassignIn(BaseModel):
    """Enterprises that stop reporting a type from ``until`` on."""

    enterprise_ids: list[int] = Field(min_length=1, max_length=5000)
    until: date | None = None


class SubmitIn(BaseModel):
    """A report; an enterprise user may leave out its own enterprise's id."""

    enterprise_id: int | None = Field(None, ge=1, le=2_147_483_647)
    report_date: date
    values: dict


class CorrectIn(BaseModel):
    """A correction of a report: the new values and why (the old ones stay in the history)."""

    values: dict
    reason: str = Field(min_length=1, max_length=500)
    version: int | None = Field(None, description="The version the correction was made on (409 if it changed).")


class RevisionOut(BaseModel):
    """One version of a report."""

    version: int
    values: dict
    submitted_at: datetime
    submitted_by: str
    channel: str
    reason: str

    @classmethod
    def of(cls, item: ReportRevision) -> RevisionOut:
        return cls(version=item.version, values=item.values, submitted_at=item.submitted_at,
                   submitted_by=item.submitted_by_name, channel=item.channel, reason=item.reason)


class ReportOut(BaseModel):
    """A report's current version."""

    id: int
    type: str
    enterprise_id: int
    report_date: date
    values: dict
    version: int
    submitted_at: datetime
    first_submitted_at: datetime
    channel: str
    late: bool
    on_behalf: bool
    history: list[RevisionOut] | None = None

    @classmethod
    def of(cls, item: Report, history: list[ReportRevision] | None = None) -> ReportOut:
        return cls(id=item.id, type=item.report_type.code, enterprise_id=item.enterprise_id,
                   report_date=item.report_date, values=item.values, version=item.version,
                   submitted_at=item.submitted_at, first_submitted_at=item.first_submitted_at, channel=item.channel,
                   late=item.late, on_behalf=item.on_behalf,
                   history=None if history is None else [RevisionOut.of(r) for r in history])


class StatusOut(BaseModel):
    """An assigned enterprise's state for a day."""

    enterprise_id: int
    enterprise_name: str
    uscc: str
    county_code: str
    group_name: str
    state: str
    submitted_at: datetime | None
    report_id: int | None
    version: int | None


class UploadOut(BaseModel):
    """What a bulk upload stored (all rows, or nothing and a 422 naming every bad cell)."""

    report_date: date
    created: int
    corrected: int
    report_ids: list[int]


class RemindOut(BaseModel):
    """How many enterprises were reminded now (those not reported and not reminded by hand today)."""

    reminded: int
