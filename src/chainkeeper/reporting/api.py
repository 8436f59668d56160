"""REST endpoints of the reporting framework under ``/api/v1/reports``: types, assignments, submitting and
correcting reports, a report with its history, the day's status, the XLSX template and bulk upload, reminders."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import refuse
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reporting import policies, reminders, service, xlsx
from chainkeeper.reporting.schemas import (AssignIn, CorrectIn, RemindOut, ReportOut, StatusOut, SubmitIn, TypeIn,
                                           TypeOut, UnassignIn, UploadOut)
from chainkeeper.reporting.scope import local_date
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/reports", tags=["reports"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(policies.READ)]
Submitter = Annotated[Principal, guard(policies.SUBMIT)]
Manager = Annotated[Principal, guard(policies.MANAGE)]
Definer = Annotated[Principal, guard(policies.DEFINE)]
Watcher = Annotated[Principal, guard(policies.STATUS)]
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,40}$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 366


def today() -> date:
    """Today in China."""
    return local_date(datetime.now(timezone.utc))


@router.get("/types", response_model=list[TypeOut])
def list_types(request: Request, session: DbSession, principal: Reader) -> list[TypeOut]:
    """Active report types: all for authorities and national roles, the assigned ones for an enterprise."""
    caller = policies.caller_of(principal, request)
    return [TypeOut.of(item) for item in service.list_types(session=session, caller=caller)]


@router.get("/types/{code}", response_model=TypeOut)
def get_type(code: Code, session: DbSession, principal: Reader) -> TypeOut:
    """One report type with its fields."""
    return TypeOut.of(service.get_type(session=session, code=code))


@router.put("/types/{code}", response_model=TypeOut)
def define_type(code: Code, body: TypeIn, request: Request, session: DbSession, principal: Definer) -> TypeOut:
    """Create or change a report type (national for the ministry, the caller's region for an authority)."""
    found = service.define_type(session=session, caller=policies.caller_of(principal, request), code=code,
                                name_zh=body.name_zh, name_en=body.name_en, fields=body.fields,
                                cutoff_local=body.cutoff_local, remind_before_minutes=body.remind_before_minutes,
                                active=body.active)
    return TypeOut.of(found)


@router.post("/types/{code}/assignments", status_code=201)
def assign(code: Code, body: AssignIn, request: Request, session: DbSession, principal: Manager) -> dict:
    """Enterprises of the caller's region start reporting the type (all of them or none)."""
    made = service.assign(session=session, caller=policies.caller_of(principal, request), type_code=code,
                          enterprise_ids=body.enterprise_ids, group_name=body.group_name,
                          since=body.since or today())
    return {"assigned": len(made)}


@router.post("/types/{code}/unassign")
def unassign(code: Code, body: UnassignIn, request: Request, session: DbSession, principal: Manager) -> dict:
    """Enterprises stop reporting the type from ``until`` on (today by default)."""
    closed = service.unassign(session=session, caller=policies.caller_of(principal, request), type_code=code,
                              enterprise_ids=body.enterprise_ids, until=body.until or today())
    return {"closed": closed}


@router.post("/types/{code}/reports", response_model=ReportOut, status_code=201)
def submit(code: Code, body: SubmitIn, request: Request, session: DbSession, principal: Submitter) -> ReportOut:
    """Submit a day's report (an enterprise for itself, an authority on behalf of one in its region). A second
    submission for the same day is refused here: correct it through ``/reports/{id}/corrections``."""
    enterprise_id = body.enterprise_id or principal.enterprise_id
    if enterprise_id is None:
        raise refuse(ValidationFailed, _("name the enterprise"), field="enterprise_id")
    caller = policies.caller_of(principal, request)
    report = service.submit(session=session, caller=caller, type_code=code, enterprise_id=enterprise_id,
                            report_date=body.report_date, values=body.values, channel="api")
    return ReportOut.of(report)


@router.get("/types/{code}/reports", response_model=list[ReportOut])
def list_reports(code: Code, request: Request, session: DbSession, principal: Reader, start: date | None = None,
                 end: date | None = None,
                 enterprise_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None) -> list[ReportOut]:
    """The caller's visible reports of the type between two days (today by default; at most a year)."""
    end = end or today()
    start = start or end
    if (end - start).days > MAX_DAYS or end < start:
        raise refuse(ValidationFailed, _("choose at most {days} days, the start before the end"), field="start",
                     days=MAX_DAYS)
    found = service.list_reports(session=session, caller=policies.caller_of(principal, request), type_code=code,
                                 start=start, end=end, enterprise_ids=[enterprise_id] if enterprise_id else None)
    return [ReportOut.of(item) for item in found]


@router.get("/types/{code}/status", response_model=list[StatusOut])
def status(code: Code, request: Request, session: DbSession, principal: Reader, day: date | None = None,
           region: Annotated[str, Query(pattern=r"^\d{0,6}$")] = "") -> list[StatusOut]:
    """Each assigned enterprise in the caller's scope with its state for the day: on_time, late, missing,
    not_yet_due (late and missing first)."""
    rows = service.day_status(session=session, caller=policies.caller_of(principal, request), type_code=code,
                              day=day or today(), region_code=region or None)
    return [StatusOut(**row.__dict__) for row in rows]


@router.post("/types/{code}/remind", response_model=RemindOut)
def remind(code: Code, request: Request, session: DbSession, principal: Manager) -> RemindOut:
    """Remind now the enterprises in the caller's scope that have not reported today (once per day by hand)."""
    count = reminders.remind_now(session=session, caller=policies.caller_of(principal, request), type_code=code)
    return RemindOut(reminded=count)


@router.get("/types/{code}/template.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def template(code: Code, request: Request, session: DbSession, principal: Submitter,
             day: date | None = None) -> Response:
    """The type's workbook, a row per assigned enterprise the caller reports for."""
    data = xlsx.template(session=session, caller=policies.caller_of(principal, request), type_code=code,
                         day=day or today(), language=principal.language)
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{code}.xlsx"'})


@router.post("/types/{code}/upload", response_model=UploadOut)
async def upload(code: Code, file: UploadFile, request: Request, session: DbSession, principal: Submitter,
                 day: date) -> UploadOut:
    """Many enterprises' reports for ``day`` from the template: all rows or none; a 422 names every bad cell
    (sheet, row, column, field)."""
    caller = policies.caller_of(principal, request)

    def work() -> UploadOut:
        result = xlsx.upload(session=session, caller=caller, type_code=code, report_date=day, data=file.file,
                             language=principal.language)
        return UploadOut(report_date=day, created=result.created, corrected=result.corrected,
                         report_ids=result.report_ids)

    return await run_in_threadpool(work)


@router.get("/{report_id}", response_model=ReportOut)
def get_report(report_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> ReportOut:
    """One report with every version (oldest first)."""
    caller = policies.caller_of(principal, request)
    report = service.get_report(session=session, caller=caller, report_id=report_id)
    return ReportOut.of(report, service.history(session=session, caller=caller, report_id=report_id))


@router.post("/{report_id}/corrections", response_model=ReportOut)
def correct(report_id: ObjectId, body: CorrectIn, request: Request, session: DbSession,
            principal: Submitter) -> ReportOut:
    """Correct a report: new values and the reason; the old values stay in the history."""
    caller = policies.caller_of(principal, request)
    report = service.get_report(session=session, caller=caller, report_id=report_id)
    report = service.submit(session=session, caller=caller, type_code=report.report_type.code,
                            enterprise_id=report.enterprise_id, report_date=report.report_date, values=body.values,
                            channel="api", reason=body.reason, seen_version=body.version)
    return ReportOut.of(report, service.history(session=session, caller=caller, report_id=report_id))
