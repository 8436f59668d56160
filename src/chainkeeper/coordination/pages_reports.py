"""The desk's letter pages (create, carry cases, import a spreadsheet, send, reply, close) and the daily picture
(charts, the XLSX ledger, a printable report)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import daily, letters
from chainkeeper.coordination import policies as desk
from chainkeeper.coordination.labels import LETTER_STATE_LABELS
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


@router.get("/desk/letters")
def letters_page(request: Request, session: DbSession, principal: LetterWriter) -> Response:
    """Letters from and to the caller's province; the form that drafts one."""
    found = letters.list_letters(session=session, principal=principal)
    codes = {item.from_region_code for item in found} | {item.to_region_code for item in found}
    return _letters_page(request, session, "desk/letters.html", letters=found,
                         regions=names.region_names(session, codes), provinces=names.provinces(session),
                         error=request.query_params.get("error"))


@router.post("/desk/letters")
def create_letter(request: Request, session: DbSession, principal: LetterWriter, to_region_code: Text = "",
                  subject: Text = "", body: Text = "") -> Response:
    """Draft a letter to another province."""
    try:
        letter = letters.create_letter(session=session, caller=desk.caller_of(principal, request),
                                       to_region_code=to_region_code.strip()[:2], subject=subject[:200],
                                       body=body[:20000])
    except ChainkeeperError as error:
        return back("/desk/letters", error)
    return back(f"/desk/letters/{letter.id}")


@router.get("/desk/letters/{letter_id}")
def letter_page(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId) -> Response:
    """One letter: its cases, and the next step for whichever side the caller is on."""
    letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
    cases = letters.cases_on(session=session, letter=letter)
    return _letters_page(request, session, "desk/letter.html", letter=letter, cases=cases,
                         is_sender=principal.region_code == letter.from_region_code or principal.is_national,
                         is_receiver=principal.region_code == letter.to_region_code or principal.is_national,
                         firms=names.enterprise_names(session, (c.requester_id for c in cases)),
                         regions=names.region_names(session, [letter.from_region_code, letter.to_region_code]),
                         columns=[column.aliases[0] for column in LETTER_COLUMNS],
                         error=request.query_params.get("error"))


@router.post("/desk/letters/{letter_id}/cases")
def add_cases(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId,
              case_ids: Text = "") -> Response:
    """Put cases (ids separated by commas or spaces) on the draft letter."""
    url = f"/desk/letters/{letter_id}"
    try:
        ids = [int(part) for part in case_ids.replace(",", " ").split()]
        letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
        letters.add_cases(session=session, caller=desk.caller_of(principal, request), letter=letter, case_ids=ids)
    except (ChainkeeperError, ValueError) as error:
        return back(url, error)
    return back(url)


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
            return back(url, f"{error} {rows}")
        except ChainkeeperError as error:
            return back(url, error)
        return back(url)

    return await run_in_threadpool(work)


def _row_text(item: dict, language: str) -> str:
    where = translate(_("row {row}"), language, row=item.get("row")) if item.get("row") else ""
    return f"{where} {item.get('column') or ''}: {item.get('message', '')}".strip()


@router.post("/desk/letters/{letter_id}/act")
def letter_action(request: Request, session: DbSession, principal: LetterWriter, letter_id: ObjectId,
                  action: Text = "", text: Text = "") -> Response:
    """Send, reply to or close the letter."""
    url = f"/desk/letters/{letter_id}"
    try:
        letter = letters.get_letter(session=session, principal=principal, letter_id=letter_id)
        letters.act(session=session, caller=desk.caller_of(principal, request), letter=letter,
                    action=letters.LetterAction(action), text=text[:20000])
    except (ChainkeeperError, ValueError) as error:
        return back(url, error)
    return back(url)


def _bars(tallies: list[daily.Tally], language: str) -> dict:
    series = [(_("New"), "new"), (_("Open"), "open"), (_("Resolved"), "resolved"), (_("Overdue"), "overdue")]
    return {"kind": "bars", "categories": [t.label for t in tallies],
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
                province_chart=_bars(picture.by_province, language),
                category_chart=_bars(picture.by_category, language) | {"horizontal": True})
