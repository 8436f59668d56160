"""The desk's letter pages (create, carry cases, import a spreadsheet, send, reply, close) and the daily picture
(charts, the XLSX ledger, a printable report)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import daily, letters, service
from chainkeeper.coordination import policies as desk
from chainkeeper.coordination.labels import LETTER_STATE_LABELS
from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.coordination.models import LetterState
from chainkeeper.coordination.letter_import import LETTER_COLUMNS, import_letter_rows
from chainkeeper.coordination.pages import page
from chainkeeper.web.pages.redirects import back
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages import queries as names
from chainkeeper.web.pages.rendering import request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
LetterWriter = Annotated[Principal, guard(desk.LETTERS)]
Reporter = Annotated[Principal, guard(desk.REPORTS)]
Text = Annotated[str, Form()]


def _letters_page(request: Request, session, name: str, **context) -> Response:
    return page(request, session, name, letter_state_labels=LETTER_STATE_LABELS, **context)


def _error(request: Request, error: Exception) -> str:
    return error_text(error, request_language(request))


@router.get("/desk/letters")
def letters_page(request: Request, session: DbSession, principal: LetterWriter) -> Response:
    """Letters from and to the caller's province; the form that drafts one."""
    return _letters_list(request, session, principal)


def _letters_list(request: Request, session, principal: Principal, *, form: dict | None = None,
                  error: str | None = None) -> Response:
    found = letters.list_letters(session=session, principal=principal)
    codes = {item.from_region_code for item in found} | {item.to_region_code for item in found}
    return _letters_page(request, session, "desk/letters.html", status_code=422 if form else 200, letters=found,
                         regions=names.region_names(session, codes), provinces=names.provinces(session),
                         form=dict.fromkeys(("to_region_code", "subject", "body"), "") | (form or {}),
                         error=error or request.query_params.get("error"))


@router.post("/desk/letters")
def create_letter(request: Request, session: DbSession, principal: LetterWriter, to_region_code: Text = "",
                  subject: Text = "", body: Text = "") -> Response:
    """Draft a letter to another province (a refused draft comes back with its text)."""
    try:
        letter = letters.create_letter(session=session, caller=desk.caller_of(principal, request),
                                       to_region_code=to_region_code.strip()[:2], subject=subject[:200],
                                       body=body[:20000])
    except ChainkeeperError as error:
        session.rollback()
        form = {"to_region_code": to_region_code, "subject": subject, "body": body}
        return _letters_list(request, session, principal, form=form, error=_error(request, error))
    return back(f"/desk/letters/{letter.id}")


def _letter_page(request: Request, session, principal: Principal, letter_id: int, *, typed: dict | None = None,
                 error: str | None = None) -> Response:
    letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
    cases = letters.cases_on(session=session, letter=letter)
    is_sender = principal.region_code == letter.from_region_code or principal.is_national
    offered = (letters.candidates(session=session, principal=principal, letter=letter)
               if is_sender and letter.state is LetterState.draft else [])
    return _letters_page(request, session, "desk/letter.html", status_code=422 if typed else 200, letter=letter,
                         cases=cases, offered=offered, is_sender=is_sender,
                         is_receiver=principal.region_code == letter.to_region_code or principal.is_national,
                         firms=names.enterprise_names(session, (c.requester_id for c in [*cases, *offered])),
                         regions=names.region_names(session, [letter.from_region_code, letter.to_region_code]),
                         columns=[column.aliases[0] for column in LETTER_COLUMNS],
                         typed=dict.fromkeys(("case_ids", "text"), "") | (typed or {}),
                         error=error or request.query_params.get("error"))


@router.get("/desk/letters/{letter_id}")
def letter_page(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId) -> Response:
    """One letter: its cases, and the next step for whichever side the caller is on."""
    return _letter_page(request, session, principal, letter_id)


def _refused(request: Request, session, principal: Principal, letter_id: int, error: Exception,
             typed: dict) -> Response:
    session.rollback()  # nothing of the refused step stays; the page below only reads (an unseen letter: 404)
    return _letter_page(request, session, principal, letter_id, typed=typed, error=_error(request, error))


@router.post("/desk/letters/{letter_id}/cases")
def add_cases(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId,
              case_ids: Text = "", picked: Annotated[list[int] | None, Form()] = None) -> Response:
    """Put cases on the draft letter: those ticked in the offered list and those named by ledger number (TZ…)."""
    try:
        ids = [*(picked or []), *service.case_ids_from(case_ids)]
        if not ids:
            raise refuse(ValidationFailed, _("tick the cases or type their ledger numbers"), field="case_ids")
        letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
        letters.add_cases(session=session, caller=desk.caller_of(principal, request), letter=letter,
                          case_ids=list(dict.fromkeys(ids)))
    except ChainkeeperError as error:
        return _refused(request, session, principal, letter_id, error, {"case_ids": case_ids})
    return back(f"/desk/letters/{letter_id}")


@router.post("/desk/letters/{letter_id}/import")
async def import_rows(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId,
                      file: UploadFile) -> Response:
    """File a spreadsheet's problems as cases on the draft letter; every bad row is listed, nothing is kept."""
    data = file.file  # the spooled upload, streamed by the reader within the upload limits
    language = request_language(request)

    def work() -> Response:
        url = f"/desk/letters/{letter_id}"
        try:
            letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
            import_letter_rows(session=session, caller=desk.caller_of(principal, request), letter=letter,
                               filename=file.filename or "upload.csv", data=data)
        except ValidationFailed as error:
            rows = "; ".join(_row_text(item, language) for item in error.details[:20])
            return back(url, f"{error_text(error, language)} {rows}")
        except ChainkeeperError as error:
            return back(url, error_text(error, language))
        return back(url)

    return await run_in_threadpool(work)


def _row_text(item: dict, language: str) -> str:
    where = translate(_("row {row}"), language, row=item.get("row")) if item.get("row") else ""
    return f"{where} {item.get('column') or ''}: {translate(item.get('message', ''), language)}".strip()


@router.post("/desk/letters/{letter_id}/act")
def letter_action(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId,
                  action: Text = "", text: Text = "") -> Response:
    """Send, reply to or close the letter (a refused reply keeps its text)."""
    try:
        letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
        if action not in letters.LetterAction.__members__:
            raise refuse(ValidationFailed, _("choose an action"), field="action")
        letters.act(session=session, caller=desk.caller_of(principal, request), letter=letter,
                    action=letters.LetterAction(action), text=text[:20000])
    except ChainkeeperError as error:
        return _refused(request, session, principal, letter_id, error, {"text": text})
    return back(f"/desk/letters/{letter_id}")


def _bars(tallies: list[daily.Tally], language: str) -> dict:
    series = [(_("New"), "new"), (_("Open"), "open"), (_("Resolved"), "resolved"), (_("Overdue"), "overdue")]
    return {"kind": "bars", "integer": True, "categories": [t.label for t in tallies],
            "series": [{"name": translate(label, language), "data": [getattr(t, key) for t in tallies]}
                       for label, key in series]}


@router.get("/desk/daily")
def daily_page(request: Request, session: DbSession, principal: Reporter,
               day: Annotated[date | None, Query(alias="date")] = None, print_view: bool = False) -> Response:
    """The day's picture with charts; ``print_view`` gives the printable report."""
    language = request_language(request)
    picture = daily.daily_picture(session=session, principal=principal, day=day or daily.today(), language=language)
    template = "desk/daily_print.html" if print_view else "desk/daily.html"
    return page(request, session, template, picture=picture,
                province_chart=_bars(picture.by_province, language) | {
                    "title": translate(_("Cases by province of the blocking party (the table below lists the figures)"),
                                       language)},
                category_chart=_bars(picture.by_category, language) | {"horizontal": True, "title": translate(
                    _("Cases by category (the table below lists the figures)"), language)})
