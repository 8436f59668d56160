"""The reporting pages: the list of the caller's report types, the form generated from a type (phone-friendly,
table rows added and removed), a report with its on-time/late badge, history and correction, the authority's
status of the day (late and missing reporters, "remind now") and the workbook template and upload."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import days, policies, reminders, service, xlsx
from chainkeeper.reporting.api import XLSX, Code, today
from chainkeeper.reporting.fields import ReportInvalid
from chainkeeper.reporting.forms import FormState, edit_rows, read_form, shown, with_blank_row
from chainkeeper.reporting.models import ReportType
from chainkeeper.reporting.scope import cutoff_utc, writable_enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(policies.READ)]
Submitter = Annotated[Principal, guard(policies.SUBMIT)]
Manager = Annotated[Principal, guard(policies.MANAGE)]
Watcher = Annotated[Principal, guard(policies.STATUS)]
STATE_LABELS = {"on_time": _("on time"), "late": _("late"), "missing": _("missing"),
                "not_yet_due": _("not yet due")}
CHANNEL_LABELS = {"web": _("web form"), "api": _("API"), "xlsx": _("workbook upload")}


def page(request: Request, session: Session, name: str, **context) -> Response:
    """Render a reporting page with the labels it uses."""
    return render(request, session, name, state_labels=STATE_LABELS, channel_labels=CHANNEL_LABELS, shown=shown,
                  **context)


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else today()
    except ValueError:
        return today()


@router.get("/reports")
def index(request: Request, session: DbSession, principal: Reader) -> Response:
    """The caller's report types: today's state of its own reports (enterprise) or the way to the status page."""
    caller = policies.caller_of(principal, request)
    day = today()
    types = service.list_types(session=session, caller=caller)
    mine = {}
    if principal.enterprise_id is not None:
        for report_type in types:
            rows = service.day_status(session=session, caller=caller, type_code=report_type.code, day=day)
            mine[report_type.code] = next((row for row in rows if row.enterprise_id == principal.enterprise_id), None)
    return page(request, session, "reporting/index.html", types=types, mine=mine, day=day,
                latest=days.latest_days(session=session, caller=caller, up_to=day),
                may_watch=policies.STATUS.allows(principal), may_submit=policies.SUBMIT.allows(principal))


def _enterprise_for(session: Session, principal: Principal, enterprise_id: int | None) -> Enterprise:
    return writable_enterprise(session, principal, enterprise_id or principal.enterprise_id or 0)


def _form_page(request: Request, session: Session, report_type: ReportType, enterprise: Enterprise, day: date,
               state: FormState, *, status_code: int = 200, error: str | None = None) -> Response:
    fields = service.type_fields(report_type)
    existing = service.find_report(session=session, report_type=report_type, enterprise_id=enterprise.id,
                                   report_date=day)
    return page(request, session, "reporting/fill.html", status_code=status_code, report_type=report_type,
                fields=fields, enterprise=enterprise, day=day, state=state, existing=existing, error=error,
                cutoff=cutoff_utc(report_type, day), language=request_language(request))


@router.get("/reports/{code}/fill")
def fill(code: Code, request: Request, session: DbSession, principal: Submitter,
         day: Annotated[str | None, Query(max_length=10)] = None,
         enterprise_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None) -> Response:
    """The form of the type for one enterprise and day (today by default); a day already reported opens the
    report, where it can be corrected."""
    report_type = service.get_type(session=session, code=code)
    enterprise = _enterprise_for(session, principal, enterprise_id)
    when = _day(day)
    existing = service.find_report(session=session, report_type=report_type, enterprise_id=enterprise.id,
                                   report_date=when)
    if existing is not None:
        return back(f"/reports/entry/{existing.id}")
    state = FormState(with_blank_row(service.type_fields(report_type), {}))
    return _form_page(request, session, report_type, enterprise, when, state)


@router.post("/reports/{code}/fill")
async def submit_form(code: Code, request: Request, session: DbSession, principal: Submitter) -> Response:
    """Submit the form (or add or remove a table row and show the form again)."""
    form = await request.form()
    report_type = service.get_type(session=session, code=code)
    enterprise = _enterprise_for(session, principal, _int(form.get("enterprise_id")))
    day, action = _day(str(form.get("day") or "")), str(form.get("action") or "submit")
    fields = service.type_fields(report_type)
    values = read_form(fields, form, keep_blank=action != "submit")
    if edit_rows(fields, values, action):
        return _form_page(request, session, report_type, enterprise, day, FormState(values))
    try:
        report = service.submit(session=session, caller=policies.caller_of(principal, request), type_code=code,
                                enterprise_id=enterprise.id, report_date=day, values=values, channel="web")
    except ReportInvalid as refused:
        return _form_page(request, session, report_type, enterprise, day, FormState(
            with_blank_row(fields, values), _errors(refused, request)), status_code=422)
    except ChainkeeperError as refused:
        return _form_page(request, session, report_type, enterprise, day, FormState(values), status_code=422,
                          error=error_text(refused, request_language(request)))
    return back(f"/reports/entry/{report.id}?saved=1")


def _int(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _errors(refused: ReportInvalid, request: Request) -> dict[str, str]:
    language = request_language(request)
    return {error.path: error.text(language) for error in refused.errors}


def _report_page(request: Request, session: Session, principal: Principal, report_id: int, *,
                 state: FormState | None = None, status_code: int = 200, error: str | None = None) -> Response:
    caller = policies.caller_of(principal, request)
    report = service.get_report(session=session, caller=caller, report_id=report_id)
    revisions = service.history(session=session, caller=caller, report_id=report_id)
    fields = service.type_fields(report.report_type)
    may_correct = policies.SUBMIT.allows(principal) and _may_write(session, principal, report.enterprise_id)
    return page(request, session, "reporting/report.html", status_code=status_code, report=report,
                report_type=report.report_type, fields=fields, revisions=list(reversed(revisions)),
                enterprise=session.get(Enterprise, report.enterprise_id), may_correct=may_correct,
                state=state or FormState(with_blank_row(fields, dict(report.values))), error=error,
                saved=request.query_params.get("saved") == "1", language=request_language(request),
                cutoff=cutoff_utc(report.report_type, report.report_date))


def _may_write(session: Session, principal: Principal, enterprise_id: int) -> bool:
    try:
        writable_enterprise(session, principal, enterprise_id)
    except ChainkeeperError:
        return False
    return True


@router.get("/reports/entry/{report_id}")
def show(report_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> Response:
    """A report: its values, on-time/late badge, every earlier version and (for those who may) a correction."""
    return _report_page(request, session, principal, report_id)


@router.post("/reports/entry/{report_id}/correct")
async def correct(report_id: ObjectId, request: Request, session: DbSession, principal: Submitter) -> Response:
    """Correct a report with a reason; the old values stay in the history."""
    form = await request.form()
    caller = policies.caller_of(principal, request)
    report = service.get_report(session=session, caller=caller, report_id=report_id)
    fields, action = service.type_fields(report.report_type), str(form.get("action") or "submit")
    values = read_form(fields, form, keep_blank=action != "submit")
    reason = str(form.get("reason") or "")[:2000]
    if edit_rows(fields, values, action):
        return _report_page(request, session, principal, report_id, state=FormState(values, reason=reason))
    try:
        service.submit(session=session, caller=caller, type_code=report.report_type.code,
                       enterprise_id=report.enterprise_id, report_date=report.report_date, values=values,
                       channel="web", reason=reason, seen_version=_int(form.get("version")))
    except ReportInvalid as refused:
        state = FormState(with_blank_row(fields, values), _errors(refused, request), reason)
        return _report_page(request, session, principal, report_id, state=state, status_code=422)
    except ChainkeeperError as refused:
        return _report_page(request, session, principal, report_id, state=FormState(values, reason=reason),
                            status_code=422, error=error_text(refused, request_language(request)))
    return back(f"/reports/entry/{report_id}?saved=1")


@router.get("/reports/{code}/status")
def status(code: Code, request: Request, session: DbSession, principal: Watcher,
           day: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    """The day's status: late and missing reporters first, with "remind now" for the authority."""
    report_type = service.get_type(session=session, code=code)
    when = _day(day)
    caller = policies.caller_of(principal, request)
    rows = service.day_status(session=session, caller=caller, type_code=code, day=when)
    latest = None if any(row.report_id for row in rows) else days.latest_days(
        session=session, caller=caller, up_to=today()).get(report_type.id)
    counts = {state: sum(1 for row in rows if row.state == state) for state in STATE_LABELS}
    return page(request, session, "reporting/status.html", report_type=report_type, rows=rows, counts=counts,
                day=when, latest=latest, is_today=when == today(), previous=when - timedelta(days=1),
                next_day=when + timedelta(days=1),
                may_remind=policies.MANAGE.allows(principal) and when == today(),
                may_upload=policies.SUBMIT.allows(principal), cutoff=cutoff_utc(report_type, when),
                reminded=request.query_params.get("reminded"), error=request.query_params.get("error"),
                language=request_language(request))


@router.post("/reports/{code}/remind")
def remind(code: Code, request: Request, session: DbSession, principal: Manager) -> Response:
    """Remind now those in the caller's scope that have not reported today."""
    try:
        count = reminders.remind_now(session=session, caller=policies.caller_of(principal, request), type_code=code)
    except ChainkeeperError as refused:
        return back(f"/reports/{code}/status", error_text(refused, request_language(request)))
    return back(f"/reports/{code}/status?reminded={count}")


@router.get("/reports/{code}/template.xlsx")
def template(code: Code, request: Request, session: DbSession, principal: Submitter,
             day: Annotated[str | None, Query(max_length=10)] = None) -> Response:
    """The type's workbook with a row per enterprise the caller reports for."""
    data = xlsx.template(session=session, caller=policies.caller_of(principal, request), type_code=code,
                         day=_day(day), language=request_language(request))
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{code}.xlsx"'})


@router.post("/reports/{code}/upload")
async def upload(code: Code, request: Request, session: DbSession, principal: Submitter, file: UploadFile,
                 day: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Many enterprises' reports from the workbook: all rows or none; every bad cell listed on the page."""
    caller, language, when = policies.caller_of(principal, request), request_language(request), _day(day)
    report_type = service.get_type(session=session, code=code)

    def work() -> xlsx.UploadResult:
        return xlsx.upload(session=session, caller=caller, type_code=code, report_date=when, data=file.file,
                           language=language)

    try:
        result = await run_in_threadpool(work)
    except xlsx.UploadInvalid as refused:
        session.rollback()  # nothing of the workbook is kept
        return page(request, session, "reporting/upload.html", status_code=422, report_type=report_type, day=when,
                    problems=[problem.describe(language) for problem in refused.problems], result=None)
    message = translate("{created} reports stored, {corrected} corrected", language, created=result.created,
                        corrected=result.corrected)
    return page(request, session, "reporting/upload.html", report_type=report_type, day=when, problems=[],
                result=message)

