"""The reporting framework's services: define report types, assign who reports, submit and correct reports (every
version kept), the day's status, and the reads other features build on (:func:`latest_reports`,
:func:`reports_between`). Everything happens in the caller's transaction and every write is audited; nothing here
commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import AUTHORITY_ROLES, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting.fields import (FieldError, FieldSpec, ReportInvalid, fields_json, parse_fields,
                                          validate)
from chainkeeper.reporting.models import CHANNELS, Report, ReportAssignment, ReportRevision, ReportType
from chainkeeper.reporting.scope import (FORBIDDEN, cutoff_utc, enters_on_behalf, local_date, manages_region,
                                         may_write, report_scope, uses_type, writable_enterprise)

__all__ = ["FORBIDDEN", "Batch", "BatchInvalid", "ReportInvalid", "StatusRow", "assign", "assignments", "day_status",
           "define_type", "get_report", "get_type", "history", "latest_reports", "list_types", "reports_between",
           "submit", "submit_many", "type_fields", "unassign"]

MAX_REASON = 500
CODE_LENGTH = 40
STATES = ("on_time", "late", "missing", "not_yet_due")


@dataclass(frozen=True)
class StatusRow:
    """One assigned enterprise's state for a day: on_time / late / missing / not_yet_due."""

    enterprise_id: int
    enterprise_name: str
    uscc: str
    county_code: str
    group_name: str
    state: str
    submitted_at: datetime | None
    report_id: int | None
    version: int | None


def _moment(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _cutoff(value: time | str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise refuse(ValidationFailed, _("the cut-off is a time such as 17:00"), field="cutoff_local") from None


# --- types --------------------------------------------------------------------------------------------------------

def get_type(*, session: Session, code: str) -> ReportType:
    """The report type ``code`` (:class:`NotFound` when there is none). Types are not secret: every signed-in user
    may read what a type asks for."""
    found = session.scalars(select(ReportType).where(ReportType.code == code)).first()
    if found is None:
        raise refuse(NotFound, _("no report type {code}"), code=str(code)[:CODE_LENGTH])
    return found


def type_fields(report_type: ReportType) -> tuple[FieldSpec, ...]:
    """The type's field specs."""
    return tuple(FieldSpec.from_dict(item) for item in report_type.fields)


def list_types(*, session: Session, caller: Caller, active_only: bool = True) -> list[ReportType]:
    """Types the caller deals with: all for national roles and authorities; for an enterprise, those assigned."""
    query = select(ReportType).order_by(ReportType.code)
    if active_only:
        query = query.where(ReportType.active.is_(True))
    principal = caller.principal
    if not principal.is_national and not principal.roles & AUTHORITY_ROLES:
        mine = select(ReportAssignment.report_type_id).where(
            ReportAssignment.enterprise_id == (principal.enterprise_id or -1))
        query = query.where(ReportType.id.in_(mine))
    return list(session.scalars(query))


def define_type(*, session: Session, caller: Caller, code: str, name_zh: str, name_en: str,
                fields: list[dict] | tuple[FieldSpec, ...], cutoff_local: time | str,
                remind_before_minutes: int = 120, owner_region: str | None = None, active: bool = True) -> ReportType:
    """Create the type ``code``, or change it (its version goes up when the fields change). The ministry and
    administrators define national types; an authority defines types owned by its region."""
    principal = caller.principal
    region = ("" if principal.has(Role.ministry, Role.admin) else principal.region_code or "") \
        if owner_region is None else owner_region
    if not manages_region(principal, region):
        raise refuse(Forbidden, _("you may not define report types for this region"))
    specs = parse_fields(fields)
    cutoff = _cutoff(cutoff_local)
    code = (code or "").strip()
    if not code or len(code) > CODE_LENGTH or not code.replace("_", "").isalnum() or not code.isascii():
        raise refuse(ValidationFailed, _("the code is letters, digits and _ (at most 40)"), field="code")
    if not name_zh.strip() or not name_en.strip():
        raise refuse(ValidationFailed, _("a report type needs a Chinese and an English name"), field="name_zh")
    if not 0 <= int(remind_before_minutes) <= 24 * 60:
        raise refuse(ValidationFailed, _("the reminder is 0 to 1440 minutes before the cut-off"),
                     field="remind_before_minutes")
    found = session.scalars(select(ReportType).where(ReportType.code == code)).first()
    before = _type_snapshot(found) if found else None
    if found is not None and not manages_region(principal, found.owner_region):
        raise refuse(Forbidden, _("you may not define report types for this region"))
    report_type = found or ReportType(code=code, version=0, created_by=caller.actor.user_id, owner_region=region)
    new_fields = fields_json(specs)
    if found is None or found.fields != new_fields:
        report_type.version = (report_type.version or 0) + 1
    report_type.name_zh, report_type.name_en, report_type.fields = name_zh.strip(), name_en.strip(), new_fields
    report_type.cutoff_local, report_type.remind_before_minutes = cutoff, int(remind_before_minutes)
    report_type.frequency, report_type.active, report_type.updated_at = "daily", active, datetime.now(timezone.utc)
    session.add(report_type)
    session.flush()
    record(session=session, actor=caller.actor, action="report_type.define", object_type="report_type",
           object_id=report_type.id, before=before, after=_type_snapshot(report_type))
    return report_type


def _type_snapshot(report_type: ReportType) -> dict:
    return {"code": report_type.code, "name_zh": report_type.name_zh, "name_en": report_type.name_en,
            "fields": report_type.fields, "cutoff_local": report_type.cutoff_local.strftime("%H:%M"),
            "remind_before_minutes": report_type.remind_before_minutes, "owner_region": report_type.owner_region,
            "active": report_type.active, "version": report_type.version}


# --- assignments --------------------------------------------------------------------------------------------------

def _active_on(day: date):
    return and_(ReportAssignment.since <= day, or_(ReportAssignment.until.is_(None), ReportAssignment.until > day))


def _assigner(session: Session, caller: Caller, type_code: str, enterprise_ids: list[int]) -> tuple[ReportType, list]:
    principal = caller.principal
    report_type = get_type(session=session, code=type_code)
    if not enters_on_behalf(principal) or not uses_type(principal, report_type):
        raise refuse(Forbidden, _("you may not assign this report type"))
    enterprises = [writable_enterprise(session, principal, enterprise_id) for enterprise_id in enterprise_ids]
    return report_type, enterprises


def assign(*, session: Session, caller: Caller, type_code: str, enterprise_ids: list[int], group_name: str = "",
           since: date) -> list[ReportAssignment]:
    """Enterprises report the type from ``since`` on (an open assignment is kept and its group renamed)."""
    report_type, enterprises = _assigner(session, caller, type_code, enterprise_ids)
    made = []
    for enterprise in enterprises:
        found = session.scalars(select(ReportAssignment).where(
            ReportAssignment.report_type_id == report_type.id, ReportAssignment.enterprise_id == enterprise.id,
            ReportAssignment.until.is_(None))).first()
        assignment = found or ReportAssignment(report_type_id=report_type.id, enterprise_id=enterprise.id,
                                               since=since, assigned_by=caller.actor.user_id,
                                               assigned_by_region=caller.principal.region_code or "")
        assignment.group_name = (group_name or "").strip()[:200]
        session.add(assignment)
        session.flush()
        record(session=session, actor=caller.actor, action="report.assign", object_type="report_assignment",
               object_id=assignment.id, after={"type": report_type.code, "enterprise_id": enterprise.id,
                                               "group_name": assignment.group_name,
                                               "since": assignment.since.isoformat()})
        made.append(assignment)
    return made


def unassign(*, session: Session, caller: Caller, type_code: str, enterprise_ids: list[int], until: date) -> int:
    """The enterprises stop reporting the type from ``until`` on (no report is due that day); returns how many
    open assignments were closed."""
    report_type, enterprises = _assigner(session, caller, type_code, enterprise_ids)
    closed = 0
    for enterprise in enterprises:
        for assignment in session.scalars(select(ReportAssignment).where(
                ReportAssignment.report_type_id == report_type.id, ReportAssignment.enterprise_id == enterprise.id,
                ReportAssignment.until.is_(None))):
            assignment.until = max(until, assignment.since)
            closed += 1
            record(session=session, actor=caller.actor, action="report.unassign", object_type="report_assignment",
                   object_id=assignment.id, after={"type": report_type.code, "enterprise_id": enterprise.id,
                                                   "until": assignment.until.isoformat()})
    session.flush()
    return closed


def assignments(*, session: Session, caller: Caller, type_code: str, day: date) -> list[ReportAssignment]:
    """The type's assignments active on ``day`` for enterprises the caller may read."""
    report_type = get_type(session=session, code=type_code)
    visible = select(Enterprise.id).where(enterprise_scope(caller.principal))
    return list(session.scalars(select(ReportAssignment).where(
        ReportAssignment.report_type_id == report_type.id, _active_on(day),
        ReportAssignment.enterprise_id.in_(visible)).order_by(ReportAssignment.enterprise_id)))


def is_assigned(session: Session, report_type: ReportType, enterprise_id: int, day: date) -> bool:
    """True when the enterprise reports the type on ``day``."""
    return session.scalars(select(ReportAssignment.id).where(
        ReportAssignment.report_type_id == report_type.id, ReportAssignment.enterprise_id == enterprise_id,
        _active_on(day))).first() is not None


# --- submitting ---------------------------------------------------------------------------------------------------

def submit(*, session: Session, caller: Caller, type_code: str, enterprise_id: int, report_date: date,
           values: dict, channel: str, now: datetime | None = None, reason: str = "",
           seen_version: int | None = None) -> Report:
    """Record the enterprise's report for ``report_date``; a second submission for the same day is a correction
    and needs a ``reason`` (the old values stay in the history). Raises :class:`ReportInvalid` naming every bad
    field, :class:`Forbidden` outside the caller's scope, :class:`Conflict` when ``seen_version`` is stale."""
    now = _moment(now)
    report_type = get_type(session=session, code=type_code)
    enterprise = writable_enterprise(session, caller.principal, enterprise_id)
    if not report_type.active:
        raise refuse(ValidationFailed, _("the report type {code} is no longer in use"), field="type",
                     code=report_type.code)
    if channel not in CHANNELS:
        raise refuse(ValidationFailed, _("unknown channel {channel}"), field="channel", channel=str(channel)[:10])
    if report_date > local_date(now):
        raise refuse(ValidationFailed, _("the report date {day} is in the future"), field="report_date",
                     day=report_date.isoformat())
    if not is_assigned(session, report_type, enterprise.id, report_date):
        raise refuse(ValidationFailed, _("{name} does not report {type} on {day}"), field="enterprise_id",
                     name=enterprise.name, type=report_type.code, day=report_date.isoformat())
    clean, errors = validate(type_fields(report_type), values)
    existing = find_report(session=session, report_type=report_type, enterprise_id=enterprise.id,
                           report_date=report_date)
    reason = (reason or "").strip()
    if existing is not None and not reason:
        errors.append(FieldError("reason", _("give the reason for the correction")))
    if len(reason) > MAX_REASON:
        errors.append(FieldError("reason", _("at most {max_length} characters"), {"max_length": MAX_REASON}))
    if errors:
        raise ReportInvalid(errors)
    if existing is not None and seen_version is not None and seen_version != existing.version:
        raise refuse(Conflict, _("someone corrected this report meanwhile (version {seen} → {now}); reload it"),
                     seen=seen_version, now=existing.version)
    return _write(session, caller, report_type, enterprise, report_date, clean, channel, now, reason, existing)


def _write(session: Session, caller: Caller, report_type: ReportType, enterprise: Enterprise, day: date,
           values: dict, channel: str, now: datetime, reason: str, existing: Report | None) -> Report:
    on_behalf = not (caller.principal.has(Role.enterprise) and caller.principal.enterprise_id == enterprise.id)
    before = _report_snapshot(existing) if existing else None
    report = existing or Report(report_type_id=report_type.id, enterprise_id=enterprise.id, report_date=day,
                                version=0, first_submitted_at=now, late=now > cutoff_utc(report_type, day))
    report.values, report.version, report.type_version = values, report.version + 1, report_type.version
    report.submitted_at, report.submitted_by, report.channel = now, caller.actor.user_id, channel
    report.on_behalf = on_behalf
    session.add(report)
    session.flush()
    session.add(ReportRevision(report_id=report.id, version=report.version, values=values, submitted_at=now,
                               submitted_by=caller.actor.user_id, submitted_by_name=caller.actor.name[:200],
                               channel=channel, reason=reason))
    session.flush()
    record(session=session, actor=caller.actor, action="report.correct" if existing else "report.submit",
           object_type="report", object_id=report.id, before=before,
           after=_report_snapshot(report) | {"reason": reason, "on_behalf": on_behalf})
    return report


# --- many reports of one day at once (bulk uploads) -----------------------------------------------------------------

CHUNK = 5000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass
class Batch:
    """What :func:`submit_many` stored: the report ids in the order given, how many were new and corrected."""

    report_ids: list[int]
    created: int
    corrected: int


class BatchInvalid(ValidationFailed):
    """Some reports of a batch were refused; ``errors`` maps each enterprise id to every problem of its report
    (path ``enterprise_id`` for a refusal of the enterprise itself). Nothing was stored."""

    def __init__(self, errors: dict[int, list[FieldError]]):
        self.errors = errors
        count = sum(len(found) for found in errors.values())
        self.template, self.params = _("{count} problems in {reports} reports; nothing was stored"), {
            "count": count, "reports": len(errors)}
        super().__init__(self.template.format(**self.params),
                         [{"enterprise_id": key} | error.detail() for key, found in errors.items() for error in found])


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def submit_many(*, session: Session, caller: Caller, type_code: str, report_date: date, reports: dict[int, dict],
                channel: str, now: datetime | None = None, reasons: dict[int, str] | None = None) -> Batch:
    """Record many enterprises' reports of one day in the caller's transaction, all or none, with every rule of
    :func:`submit` (scope, assignment, validation, late flag, a reason for each correction; every version kept).
    Raises :class:`BatchInvalid` naming every problem of every report; writes in bulk, one audit event for the
    batch naming the count and the reports."""
    now, reasons = _moment(now), reasons or {}
    report_type = get_type(session=session, code=type_code)
    _check_batch(report_type, channel, report_date, now)
    ids = list(reports)
    if not ids:
        return Batch([], 0, 0)
    enterprises, assigned, existing = {}, set(), {}
    for chunk in _chunks(ids):
        enterprises |= {e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(chunk)))}
        assigned |= set(session.scalars(select(ReportAssignment.enterprise_id).where(
            ReportAssignment.report_type_id == report_type.id, ReportAssignment.enterprise_id.in_(chunk),
            _active_on(report_date))))
        existing |= {r.enterprise_id: r for r in session.scalars(select(Report).where(
            Report.report_type_id == report_type.id, Report.report_date == report_date,
            Report.enterprise_id.in_(chunk)))}
    fields, errors, clean = type_fields(report_type), {}, {}
    for enterprise_id in ids:
        problems = _refusal(caller, report_type, enterprises.get(enterprise_id), enterprise_id, report_date,
                            assigned)
        if not problems:
            clean[enterprise_id], problems = validate(fields, reports[enterprise_id])
            problems += _reason_errors(reasons.get(enterprise_id, ""), enterprise_id in existing)
        if problems:
            errors[enterprise_id] = problems
    if errors:
        raise BatchInvalid(errors)
    return _write_many(session, caller, report_type, report_date, clean, channel, now, reasons, existing)


def _check_batch(report_type: ReportType, channel: str, report_date: date, now: datetime) -> None:
    if not report_type.active:
        raise refuse(ValidationFailed, _("the report type {code} is no longer in use"), field="type",
                     code=report_type.code)
    if channel not in CHANNELS:
        raise refuse(ValidationFailed, _("unknown channel {channel}"), field="channel", channel=str(channel)[:10])
    if report_date > local_date(now):
        raise refuse(ValidationFailed, _("the report date {day} is in the future"), field="report_date",
                     day=report_date.isoformat())


def _refusal(caller: Caller, report_type: ReportType, enterprise: Enterprise | None, enterprise_id: int, day: date,
             assigned: set[int]) -> list[FieldError]:
    """Why the caller may not report for the enterprise that day (scope, assignment), as errors; [] when it may."""
    if enterprise is None or not may_write(caller.principal, enterprise):
        return [FieldError("enterprise_id", FORBIDDEN, {"enterprise_id": enterprise_id})]
    if enterprise.id not in assigned:
        return [FieldError("enterprise_id", _("{name} does not report {type} on {day}"),
                           {"name": enterprise.name, "type": report_type.code, "day": day.isoformat()})]
    return []


def _reason_errors(reason: str, correction: bool) -> list[FieldError]:
    reason = (reason or "").strip()
    if correction and not reason:
        return [FieldError("reason", _("give the reason for the correction"))]
    if len(reason) > MAX_REASON:
        return [FieldError("reason", _("at most {max_length} characters"), {"max_length": MAX_REASON})]
    return []


def _write_many(session: Session, caller: Caller, report_type: ReportType, day: date, values: dict[int, dict],
                channel: str, now: datetime, reasons: dict[int, str], existing: dict[int, Report]) -> Batch:
    principal, user_id = caller.principal, caller.actor.user_id
    own = principal.enterprise_id if principal.has(Role.enterprise) else None
    late = now > cutoff_utc(report_type, day)
    fresh = [i for i in values if i not in existing]
    common = {"report_type_id": report_type.id, "report_date": day, "type_version": report_type.version,
              "submitted_at": now, "submitted_by": user_id, "channel": channel}
    if fresh:
        session.execute(insert(Report), [common | {"enterprise_id": i, "values": values[i], "version": 1,
                                                   "on_behalf": i != own, "late": late, "first_submitted_at": now}
                                         for i in fresh])
    for enterprise_id, report in existing.items():
        report.values, report.version, report.type_version = values[enterprise_id], report.version + 1, \
            report_type.version
        report.submitted_at, report.submitted_by, report.channel = now, user_id, channel
        report.on_behalf = enterprise_id != own
    session.flush()
    found: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(list(values)):
        found |= {row.enterprise_id: (row.id, row.version) for row in session.execute(select(
            Report.id, Report.enterprise_id, Report.version).where(
            Report.report_type_id == report_type.id, Report.report_date == day, Report.enterprise_id.in_(chunk)))}
    name = caller.actor.name[:200]
    session.execute(insert(ReportRevision), [
        {"report_id": found[i][0], "version": found[i][1], "values": values[i], "submitted_at": now,
         "submitted_by": user_id, "submitted_by_name": name, "channel": channel,
         "reason": (reasons.get(i) or "").strip()} for i in values])
    batch = Batch([found[i][0] for i in values], len(fresh), len(existing))
    record(session=session, actor=caller.actor, action="report.submit_many", object_type="report_type",
           object_id=report_type.id, after={"type": report_type.code, "report_date": day.isoformat(),
                                            "channel": channel, "count": len(values), "created": batch.created,
                                            "corrected": batch.corrected, "late": late,
                                            "report_ids": batch.report_ids})
    return batch


def _report_snapshot(report: Report) -> dict:
    return {"type_id": report.report_type_id, "enterprise_id": report.enterprise_id,
            "report_date": report.report_date.isoformat(), "version": report.version, "values": report.values,
            "channel": report.channel, "late": report.late}


# --- reading ------------------------------------------------------------------------------------------------------

def find_report(*, session: Session, report_type: ReportType, enterprise_id: int, report_date: date) -> Report | None:
    """The enterprise's report of the type for the day, if any (no scope check: callers check the enterprise)."""
    return session.scalars(select(Report).where(
        Report.report_type_id == report_type.id, Report.enterprise_id == enterprise_id,
        Report.report_date == report_date)).first()


def get_report(*, session: Session, caller: Caller, report_id: int) -> Report:
    """The report if the caller may read it, else :class:`NotFound` (no hint that it exists)."""
    found = session.scalars(select(Report).where(Report.id == report_id, report_scope(caller.principal))).first()
    if found is None:
        raise refuse(NotFound, _("no report {report_id}"), report_id=report_id)
    return found


def history(*, session: Session, caller: Caller, report_id: int) -> list[ReportRevision]:
    """Every version of the report, oldest first (the first submission, then each correction with its reason)."""
    report = get_report(session=session, caller=caller, report_id=report_id)
    return list(session.scalars(select(ReportRevision).where(ReportRevision.report_id == report.id)
                                .order_by(ReportRevision.version)))


def list_reports(*, session: Session, caller: Caller, type_code: str, start: date, end: date,
                 enterprise_ids: list[int] | None = None) -> list[Report]:
    """The caller's visible reports of the type between two days (inclusive)."""
    query = _between(get_type(session=session, code=type_code), start, end, enterprise_ids)
    return list(session.scalars(query.where(report_scope(caller.principal))))


def latest_reports(*, session: Session, type_code: str, enterprise_ids: list[int] | None = None,
                   up_to: date) -> dict[int, Report]:
    """The newest report of each enterprise on or before ``up_to``, by enterprise id (internal read: the caller
    chooses the enterprises it may show)."""
    report_type = get_type(session=session, code=type_code)
    newest = select(Report.enterprise_id, func.max(Report.report_date).label("day")).where(
        Report.report_type_id == report_type.id, Report.report_date <= up_to)
    if enterprise_ids is not None:
        newest = newest.where(Report.enterprise_id.in_(list(enterprise_ids)))
    newest = newest.group_by(Report.enterprise_id).subquery()
    query = select(Report).join(newest, and_(Report.enterprise_id == newest.c.enterprise_id,
                                             Report.report_date == newest.c.day)).where(
        Report.report_type_id == report_type.id)
    return {report.enterprise_id: report for report in session.scalars(query)}


def reports_between(*, session: Session, type_code: str, start: date, end: date,
                    enterprise_ids: list[int] | None = None) -> list[Report]:
    """Every report of the type dated from ``start`` to ``end`` (inclusive), by date then enterprise (internal
    read, no scope)."""
    return list(session.scalars(_between(get_type(session=session, code=type_code), start, end, enterprise_ids)))


def _between(report_type: ReportType, start: date, end: date, enterprise_ids: list[int] | None):
    query = select(Report).where(Report.report_type_id == report_type.id, Report.report_date >= start,
                                 Report.report_date <= end)
    if enterprise_ids is not None:
        query = query.where(Report.enterprise_id.in_(list(enterprise_ids)))
    return query.order_by(Report.report_date, Report.enterprise_id)


def day_status(*, session: Session, caller: Caller, type_code: str, day: date, now: datetime | None = None,
               region_code: str | None = None) -> list[StatusRow]:
    """Each assigned enterprise the caller may read, with its state for ``day``: on_time, late, missing (the
    cut-off passed without a report) or not_yet_due. Late and missing first, then by name."""
    now = _moment(now)
    report_type = get_type(session=session, code=type_code)
    due = now > cutoff_utc(report_type, day)
    query = (select(ReportAssignment, Enterprise, Report)
             .join(Enterprise, Enterprise.id == ReportAssignment.enterprise_id)
             .outerjoin(Report, and_(Report.report_type_id == report_type.id, Report.report_date == day,
                                     Report.enterprise_id == Enterprise.id))
             .where(ReportAssignment.report_type_id == report_type.id, _active_on(day),
                    enterprise_scope(caller.principal)))
    if region_code:
        query = query.where(Enterprise.county_code.startswith(region_code, autoescape=True))
    rows = []
    for assignment, enterprise, report in session.execute(query):
        state = ("late" if report.late else "on_time") if report else ("missing" if due else "not_yet_due")
        rows.append(StatusRow(enterprise.id, enterprise.name, enterprise.uscc, enterprise.county_code,
                              assignment.group_name, state, report.submitted_at if report else None,
                              report.id if report else None, report.version if report else None))
    order = {"missing": 0, "late": 1, "not_yet_due": 2, "on_time": 3}
    return sorted(rows, key=lambda row: (order[row.state], row.enterprise_name, row.enterprise_id))
