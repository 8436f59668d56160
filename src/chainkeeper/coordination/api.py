"""REST endpoints of the coordination desk under ``/api/v1/desk``: cases, actions, comments, letters, reports."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from chainkeeper.audit.service import record
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import client_address, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import daily, letters, queries, service
from chainkeeper.coordination import policies as desk
from chainkeeper.coordination.api_rows import case_items
from chainkeeper.coordination.assessment import assess_case
from chainkeeper.coordination.discussion import add_comment
from chainkeeper.coordination.letter_import import import_letter_rows
from chainkeeper.coordination.models import CaseCategory, CaseState
from chainkeeper.coordination.pages_counts import queue_total
from chainkeeper.coordination.scope import sees_touches
from chainkeeper.coordination.schemas import (
    ActionIn, CaseDetailOut, CaseIn, CasePage, CommentIn, CommentOut, LetterActionIn, LetterCasesIn,
    LetterIn, LetterOut,
)
from chainkeeper.coordination.transitions import Step, apply, available_actions
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, json_route, rows_json

router = APIRouter(prefix="/desk", tags=["desk"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(desk.READ)]
Filer = Annotated[Principal, guard(desk.FILE)]
Actor = Annotated[Principal, guard(desk.ACT)]
Authority = Annotated[Principal, guard(desk.AUTHORITY)]
LetterWriter = Annotated[Principal, guard(desk.LETTERS)]
Reporter = Annotated[Principal, guard(desk.REPORTS)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def detail(session, case, principal: Principal) -> CaseDetailOut:
    """The case with its timeline, visible comments, the caller's actions and open duplicates."""
    return CaseDetailOut.build(case, timeline=queries.timeline(session=session, case=case),
                               comments=queries.comments(session=session, case=case, principal=principal),
                               actions=available_actions(case, principal),
                               duplicates=service.open_duplicates(session=session, case=case, principal=principal))


@router.get("/cases", response_model=CasePage)
@json_route(kept=KEPT_SECONDS, sees=sees_touches)  # kept per scope, language and query until a write it can see
def list_cases(request: Request, session: DbSession, principal: Reader, state: CaseState | None = None,
               category: CaseCategory | None = None, region: Annotated[str, Query(pattern=r"^\d{0,6}$")] = "",
               overdue: bool | None = None, open_only: bool = False,
               q: Annotated[str, Query(max_length=100, description="A ledger number (TZ…), or text in the title or "
                                                                    "the blocking party's name.")] = "",
               order: Annotated[str, Query(pattern=r"^(priority|due|newest|oldest)$")] = "priority",
               page: Annotated[int, Query(ge=1, le=100_000)] = 1,
               page_size: Annotated[int, Query(ge=1, le=200)] = 50) -> CasePage:
    """The queue in the caller's scope, by impact then due time (or as ordered)."""
    where = queries.CaseFilter(states=(state,) if state else (), category=category, region=region, overdue=overdue,
                               open_only=open_only, q=q)
    total = queue_total(request, session, principal, where)
    items = case_items(session=session, principal=principal, where=where, order=order, page=page,
                       page_size=page_size)  # plain dicts of CaseOut's fields in its order and types (issue 15)
    return rows_json({"items": items, "total": total, "page": max(page, 1), "page_size": min(max(page_size, 1), 200)})


@router.post("/cases", response_model=CaseDetailOut, status_code=201)
def file_case(body: CaseIn, request: Request, session: DbSession, principal: Filer) -> CaseDetailOut:
    """File a case (an enterprise for itself, an authority for an enterprise in its region)."""
    case = service.file_case(session=session, caller=desk.caller_of(principal, request),
                             data=service.NewCase(**body.model_dump()))
    return detail(session, case, principal)


@router.get("/cases/{case_id}", response_model=CaseDetailOut)
@json_route
def get_case(case_id: ObjectId, session: DbSession, principal: Reader) -> CaseDetailOut:
    """One case, if the caller may read it."""
    return detail(session, service.get_case(session=session, principal=principal, case_id=case_id), principal)


@router.post("/cases/{case_id}/actions", response_model=CaseDetailOut)
def act(case_id: ObjectId, body: ActionIn, request: Request, session: DbSession, principal: Actor) -> CaseDetailOut:
    """Take one workflow action (the transition table decides whether the caller may)."""
    case = service.get_case(session=session, principal=principal, case_id=case_id)
    service.check_version(case, body.version)
    caller = desk.caller_of(principal, request)
    step = Step(body.action, reason=body.reason, text=body.text, liaison_id=body.liaison_id,
                merged_into_id=body.merged_into_id)
    apply(session=session, case=case, step=step, principal=principal, actor=caller.actor)
    return detail(session, case, principal)


@router.post("/cases/{case_id}/comments", response_model=CommentOut, status_code=201)
def comment(case_id: ObjectId, body: CommentIn, request: Request, session: DbSession, principal: Actor) -> CommentOut:
    """Comment on a case (internal comments: authorities only)."""
    case = service.get_case(session=session, principal=principal, case_id=case_id)
    return CommentOut.of(add_comment(session=session, caller=desk.caller_of(principal, request), case=case,
                                     body=body.body, internal=body.internal))


@router.post("/cases/{case_id}/impact", response_model=CaseDetailOut)
def reassess(case_id: ObjectId, session: DbSession, principal: Authority) -> CaseDetailOut:
    """Run the engine again for the case's blocking party (after the registry changed, say)."""
    case = service.get_case(session=session, principal=principal, case_id=case_id)
    assess_case(session=session, case=case)
    session.refresh(case)
    return detail(session, case, principal)


@router.get("/letters", response_model=list[LetterOut])
def list_letters(session: DbSession, principal: LetterWriter) -> list[LetterOut]:
    """Letters from or to the caller's province."""
    return [LetterOut.of(item, [c.id for c in letters.cases_on(session=session, letter=item)])
            for item in letters.list_letters(session=session, principal=principal)]


@router.post("/letters", response_model=LetterOut, status_code=201)
def create_letter(body: LetterIn, request: Request, session: DbSession, principal: LetterWriter) -> LetterOut:
    """A draft letter to another province, optionally with cases."""
    caller = desk.caller_of(principal, request)
    letter = letters.create_letter(session=session, caller=caller, to_region_code=body.to_region_code,
                                   subject=body.subject, body=body.body)
    if body.case_ids:
        letters.add_cases(session=session, caller=caller, letter=letter, case_ids=body.case_ids)
    return LetterOut.of(letter, body.case_ids)


@router.get("/letters/{letter_id}", response_model=LetterOut)
def get_letter(letter_id: ObjectId, session: DbSession, principal: LetterWriter) -> LetterOut:
    """One letter."""
    letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
    return LetterOut.of(letter, [c.id for c in letters.cases_on(session=session, letter=letter)])


@router.post("/letters/{letter_id}/cases", response_model=LetterOut)
def add_cases(letter_id: ObjectId, body: LetterCasesIn, request: Request, session: DbSession,
              principal: LetterWriter) -> LetterOut:
    """Put cases on a draft letter."""
    letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
    letters.add_cases(session=session, caller=desk.caller_of(principal, request), letter=letter,
                      case_ids=body.case_ids)
    return LetterOut.of(letter, [c.id for c in letters.cases_on(session=session, letter=letter)])


@router.post("/letters/{letter_id}/import", response_model=LetterOut)
async def import_cases(letter_id: ObjectId, file: UploadFile, request: Request, session: DbSession,
                       principal: LetterWriter) -> LetterOut:
    """File a spreadsheet's problems as cases on a draft letter (all rows or none; every bad row is reported)."""
    data = file.file  # the spooled upload, streamed by the reader within the upload limits

    def work() -> LetterOut:
        letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
        import_letter_rows(session=session, caller=desk.caller_of(principal, request), letter=letter,
                           filename=file.filename or "upload.csv", data=data)
        return LetterOut.of(letter, [c.id for c in letters.cases_on(session=session, letter=letter)])

    return await run_in_threadpool(work)


@router.post("/letters/{letter_id}/actions", response_model=LetterOut)
def letter_action(letter_id: ObjectId, body: LetterActionIn, request: Request, session: DbSession,
                  principal: LetterWriter) -> LetterOut:
    """Send (the sending province), reply (the receiving province) or close (the sender)."""
    letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
    letters.act(session=session, caller=desk.caller_of(principal, request), letter=letter,
                action=letters.LetterAction(body.action), text=body.text)
    return LetterOut.of(letter, [c.id for c in letters.cases_on(session=session, letter=letter)])


@router.get("/daily")
def daily_picture(session: DbSession, principal: Reporter, day: date | None = None) -> dict:
    """The day's new, open, resolved and overdue cases by province, category and key chain."""
    picture = daily.daily_picture(session=session, principal=principal, day=day or daily.today(),
                                  language=principal.language)
    return asdict(picture)


@router.get("/ledger.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def ledger(request: Request, session: DbSession, principal: Reporter, since: date | None = None) -> Response:
    """The case ledger (台账) as a workbook, in the caller's scope."""
    data = daily.ledger_xlsx(session=session, principal=principal, language=principal.language, since=since)
    record(session=session, actor=actor_of(principal, client_address(request)), action="desk.ledger_export",
           object_type="desk", object_id="ledger", after={"since": since.isoformat() if since else None})
    return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="ledger.xlsx"'})
