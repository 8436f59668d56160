"""The desk's pages: the queue (filters, priority order, bulk assignment), filing a case, and the case page
(timeline, impact panel, comments, attachments and the actions the caller may take)."""

from __future__ import annotations

import json
from collections.abc import Hashable
from functools import lru_cache
from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from markupsafe import Markup
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from chainkeeper.auth.deps import guard
from chainkeeper.auth.models import User, UserRole
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal
from chainkeeper.audit.service import record
from chainkeeper.coordination import case_rows, daily, labels, queries, service
from chainkeeper.coordination.api_rows import queue_rows
from chainkeeper.coordination.pages_counts import COUNTS_TTL, queue_total, state_counts
from chainkeeper.coordination.pages_queue_parts import (  # noqa: F401  (the tests read the row and form caches)
    FILTERS, QUEUE_TARGET, _rendered_filter_form, filter_form, kept_part, queue_row, risk_text, table_parts,
)
from chainkeeper.coordination import policies as desk
from chainkeeper.coordination.discussion import add_comment, attach
from chainkeeper.coordination.models import CaseAttachment, CaseCategory, CaseState, Urgency, ledger_number
from chainkeeper.coordination.scope import sees_internal, sees_touches
from chainkeeper.coordination.transitions import Step, apply, available_actions
from chainkeeper.coordination.workflow import Action
from chainkeeper.core import data_epoch
from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.i18n import _
from chainkeeper.errors import ChainkeeperError, NotFound, ValidationFailed
from chainkeeper.reference.pickers import display_names, resolve_region
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import environment, is_htmx, local_zone, render, request_language
from chainkeeper.web.pickers import resolve_enterprise
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages.scoped_cache import ScopedCache, page_cache, scope_key
from chainkeeper.web.pages.tables import Listing
from chainkeeper.whitelist import attachments as files
from chainkeeper.whitelist.models import Attachment

router = page_router()
Reader = Annotated[Principal, guard(desk.READ)]
Filer = Annotated[Principal, guard(desk.FILE)]
Actor = Annotated[Principal, guard(desk.ACT)]
Authority = Annotated[Principal, guard(desk.AUTHORITY)]
Text = Annotated[str, Form()]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORDERS = ("priority", "due", "newest", "oldest")
LABELS = {"category_labels": labels.CATEGORY_LABELS, "state_labels": labels.STATE_LABELS,
          "urgency_labels": labels.URGENCY_LABELS, "level_labels": labels.LEVEL_LABELS,
          "action_labels": labels.ACTION_LABELS, "event_labels": labels.EVENT_LABELS,
          "reason_labels": labels.REASON_LABELS}


def page_context(request: Request, **context) -> dict:
    """A desk page's values: the labels of its choices, the desk pages the caller may open (its menu), ``context``."""
    caller = getattr(request.state, "principal", None)
    return {"may_file": desk.FILE.allows(caller), "may_letters": desk.LETTERS.allows(caller),
            "may_report": desk.REPORTS.allows(caller)} | context | LABELS


def page(request: Request, session: Session, name: str, status_code: int = 200, **context) -> Response:
    """Render a desk page with the labels of its choices and the desk pages the caller may open (its menu)."""
    return render(request, session, name, status_code=status_code, **page_context(request, **context))


def _filter(session: Session, listing: Listing, principal: Principal) -> queries.CaseFilter:
    state = listing.value("state")
    category = listing.value("category")
    return queries.CaseFilter(
        states=(CaseState(state),) if state in CaseState.__members__ else (),
        open_only=state == "open", category=CaseCategory(category) if category in CaseCategory.__members__ else None,
        region=resolve_region(session, (listing.value("region") or "")[:60]) or "",
        overdue=True if listing.value("overdue") == "1" else None,
        mine=principal.user_id if listing.value("mine") == "1" else None, q=(listing.value("q") or "")[:100])


LIAISONS = (select(User.id, User.display_name, User.region_code).join(UserRole)
            .where(User.is_active.is_(True), UserRole.role.in_(list(AUTHORITY_ROLES)))
            .order_by(User.display_name, User.id).distinct())
LIAISONS_ANYWHERE = LIAISONS.limit(200)
LIAISONS_WITHIN = LIAISONS.where(User.region_code.like(bindparam("region_prefix"))).limit(200)


def liaison_choices(session: Session, region: str) -> list[Row]:
    """Authority users who may be named liaison for cases handled in ``region`` (id, display name, region code).

    The statements are built once and run on the session's connection (issue 15: building the statement was most
    of a case page's first view, ~1 ms of ~4)."""
    if region:
        return list(session.connection().execute(LIAISONS_WITHIN, {"region_prefix": f"{region}%"}))
    return list(session.connection().execute(LIAISONS_ANYWHERE))


def cached_liaisons(request: Request, session: Session, region: str) -> list[Row]:
    """:func:`liaison_choices`, the same for every user of a region: kept in the page cache (issue 15); it reads the
    users, not the cases, so a case filed or changed leaves it kept (sprint 12: at one filing a second it was
    read again with nearly every regional queue page)."""
    return page_cache(request.app).get(session, ("desk-liaisons", region), COUNTS_TTL,
                                       lambda: liaison_choices(session, region), data_epoch.sees_nothing)


def liaison_options(request: Request, session: Session, region: str, language: str) -> Markup:
    """The bulk assignment's ``<option>`` s (``liaison_options`` of ``desk/_queue_parts.html``) for the liaisons of
    ``region`` (:func:`cached_liaisons`) and their regions' names, kept in the page cache per region and language
    by the same rule: they read users and region names, no case, so a filing leaves them kept (issue 15, lane
    deskwrite: every queue page read again after a filing rendered them and looked their regions up again)."""
    def rendered() -> Markup:
        liaisons = cached_liaisons(request, session, region)
        names = display_names(session, (person.region_code for person in liaisons))
        return kept_options(language, liaisons, names)
    return page_cache(request.app).get(session, ("desk-liaison-options", region, language), COUNTS_TTL, rendered,
                                       data_epoch.sees_nothing)


def kept_options(language: str, liaisons: list[Row], names: dict[str, str]) -> Markup:
    """The macro ``liaison_options`` rendered for ``liaisons`` and their regions' ``names``."""
    module = environment(language).get_template("desk/_queue_parts.html").module
    return Markup(module.liaison_options(liaisons, names))


QUEUE_KEPT_SECONDS = COUNTS_TTL  # a queue page's blocks are reused this long at most, or until any committed write
QUEUES_KEPT = 600  # (scope, language, query) of queue pages kept, apart from the other kept pages (~50 kB each)


def kept_queues(app) -> ScopedCache:
    """The application's kept queue pages (:class:`ScopedCache` of :data:`QUEUES_KEPT` entries)."""
    cache = getattr(app.state, "kept_queues", None)
    if cache is None:
        cache = app.state.kept_queues = ScopedCache(QUEUES_KEPT)
    return cache


def queue_key(request: Request, principal: Principal) -> Hashable | None:
    """What a queue page shows besides the language and path: the scope (and the menu, the bulk assignment: roles),
    the query (its filters, order, page), the user for "my cases"; None (not kept) for a page with an error."""
    query = request.query_params
    if query.get("error"):
        return None
    mine = principal.user_id if query.get("mine", "").strip() == "1" else None
    return ("desk-queue", scope_key(principal), mine, request.url.query)


@router.get("/desk")
def queue(request: Request, session: DbSession, principal: Reader) -> Response:
    """The queue of cases the caller may see, most urgent first.

    A whole page's blocks are kept (:func:`render_kept`) per scope, language and query until any committed write
    or :data:`QUEUE_KEPT_SECONDS` (issue 15: a repeat view read and assembled the page again, 4.3–4.8× the floor)."""
    if is_htmx(request):
        return page(request, session, "desk/_queue_table.html", **_queue_context(request, session, principal, True))
    return render_kept(request, session, "desk/queue.html", queue_key(request, principal), QUEUE_KEPT_SECONDS,
                       lambda: page_context(request, **_queue_context(request, session, principal, False)),
                       cache=kept_queues(request.app), sees=sees_touches(principal))


def _queue_context(request: Request, session: Session, principal: Principal, fragment: bool) -> dict:
    """What the queue page (or, as a ``fragment``, its table) shows."""
    listing = Listing(request, filters=FILTERS, sorts=ORDERS, default_sort="priority", target=QUEUE_TARGET)
    where, language = _filter(session, listing, principal), request_language(request)
    found, firms = queue_rows(session=session, principal=principal, where=where, order=listing.sort,
                              page=listing.page, page_size=listing.page_size,
                              total=queue_total(request, session, principal, where))
    counts = state_counts(request, session, principal)
    regions = display_names(session, {c.handling_region_code for c in found.items} |
                            {c.blocking_region_code for c in found.items})
    may_assign, zone = desk.AUTHORITY.allows(principal), local_zone()
    options = liaison_options(request, session, principal.region_code or "", language) if may_assign and not fragment \
        else ""  # the fragment (the table) has no bulk assignment
    rows = [queue_row(language, zone, c._replace(impact=None), may_assign, firms.get(c.requester_id, ""),
                      regions.get(c.blocking_region_code, c.blocking_region_code),
                      regions.get(c.handling_region_code, ""),
                      risk_text(json.loads(c.impact)["output_at_risk_cny"], language) if c.impact else None)
            for c in found.items]
    table_head, table_foot = table_parts(language, listing, listing.pager(found.total, queries.COUNT_CAP), may_assign)
    tabs = kept_part(language, "queue_tabs", tuple(counts.items()), counts, labels.STATE_LABELS)
    return dict(listing=listing, table_head=table_head, table_foot=table_foot,
                rows=rows, tabs=tabs, may_file=desk.FILE.allows(principal), may_assign=may_assign,
                liaison_options=options,
                filters="" if fragment else filter_form(language, listing), error=request.query_params.get("error"))


EXPORTS = {"csv": ("text/csv; charset=utf-8", daily.ledger_csv), "xlsx": (XLSX, daily.ledger_xlsx)}


@router.get("/desk/export")
def export_queue(request: Request, session: DbSession, principal: Reader,
                 format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "xlsx") -> Response:
    """The queue as filtered (same filters, same scope), every case's ledger row, as CSV or XLSX."""
    listing = Listing(request, filters=FILTERS, sorts=ORDERS, default_sort="priority", target=QUEUE_TARGET)
    where = _filter(session, listing, principal)
    media, write = EXPORTS[format]
    data = write(session=session, principal=principal, language=request_language(request), where=where)
    record(session=session, actor=desk.caller_of(principal, request).actor, action="desk.queue_export",
           object_type="desk", object_id="queue", after={"format": format, "filters": {
               name: listing.value(name) for name in FILTERS if listing.value(name)}})
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="desk-queue-{daily.today().isoformat()}.{format}"'})


@router.post("/desk/assign")
def bulk_assign(request: Request, session: DbSession, principal: Authority,
                case_ids: Annotated[list[int] | None, Form()] = None, liaison_id: Annotated[int, Form()] = 0,
                accept: Text = "") -> Response:
    """Accept (when asked) and assign several cases to one liaison; all of them or none."""
    caller, case = desk.caller_of(principal, request), None
    try:
        for case_id in case_ids or []:
            case = service.get_case(session=session, principal=principal, case_id=case_id)
            if accept and case.state is CaseState.submitted:
                apply(session=session, case=case, step=Step(Action.accept), principal=principal, actor=caller.actor)
            apply(session=session, case=case, step=Step(Action.assign, liaison_id=liaison_id or None),
                  principal=principal, actor=caller.actor)
            case = None
    except ChainkeeperError as error:
        text = error_text(error, request_language(request))
        return back("/desk", f"{case.ledger_no}: {text}" if case is not None else text)
    return back("/desk")


NEW_CASE_FIELDS = ("category", "title", "blocked", "help_wanted", "blocking_uscc", "blocking_name",
                   "blocking_region_code", "products", "urgency", "requester_uscc")


def _new_case_page(request: Request, session: Session, principal: Principal, form: dict | None = None,
                   error: str | None = None) -> Response:
    values = dict.fromkeys(NEW_CASE_FIELDS, "") | (form or {})
    return page(request, session, "desk/new.html", status_code=422 if error else 200, categories=list(CaseCategory),
                urgencies=list(Urgency), on_behalf=principal.enterprise_id is None, form=values, error=error)


@router.get("/desk/new")
def new_case_form(request: Request, session: DbSession, principal: Filer) -> Response:
    """The form that files a case (a few fields; pickers for the blocking party and its region)."""
    return _new_case_page(request, session, principal, error=request.query_params.get("error"))


def _new_case(session: Session, principal: Principal, form: dict[str, str]) -> service.NewCase:
    """The form's values as a :class:`service.NewCase` (picker fields resolved; bad choices refused by field)."""
    if form["category"] not in CaseCategory.__members__:
        raise refuse(ValidationFailed, _("choose a category"), field="category")
    requester_id = None
    if form["requester_uscc"].strip():
        uscc = resolve_enterprise(session, principal, form["requester_uscc"])
        firm = session.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).first()
        if firm is None:
            raise refuse(ValidationFailed, _("no enterprise you may see has this name or USCC"),
                         field="requester_uscc")
        requester_id = firm.id
    region_text = form["blocking_region_code"].strip()
    region = resolve_region(session, region_text)
    if region_text and region is None:
        raise refuse(ValidationFailed, _("unknown region: choose it in the list or type its name or 6-digit code"),
                     field="blocking_region_code")
    return service.NewCase(category=CaseCategory(form["category"]), title=form["title"][:200],
                           blocked=form["blocked"][:5000], help_wanted=form["help_wanted"][:5000],
                           requester_id=requester_id,
                           blocking_uscc=resolve_enterprise(session, principal, form["blocking_uscc"]),
                           blocking_name=form["blocking_name"][:200], blocking_region_code=region,
                           products=form["products"][:500],
                           urgency=Urgency(form["urgency"]) if form["urgency"] in Urgency.__members__
                           else Urgency.normal)


@router.post("/desk/cases")
def file_case(request: Request, session: DbSession, principal: Filer, category: Text = "", title: Text = "",
              blocked: Text = "", help_wanted: Text = "", blocking_uscc: Text = "", blocking_name: Text = "",
              blocking_region_code: Text = "", products: Text = "", urgency: Text = "normal",
              requester_uscc: Text = "") -> Response:
    """File the case and open its page (which offers merging into an open duplicate); a refused form comes back
    with everything typed in it and the reason in the user's language."""
    form = {name: value for name, value in locals().items() if name in NEW_CASE_FIELDS}
    try:
        case = service.file_case(session=session, caller=desk.caller_of(principal, request),
                                 data=_new_case(session, principal, form))
    except ChainkeeperError as error:
        session.rollback()  # nothing of the refused case stays; the page below only reads
        return _new_case_page(request, session, principal, form, error_text(error, request_language(request)))
    return back(f"/desk/cases/{case.id}")


CASE_KEPT_SECONDS = 10.0  # a case page's blocks are reused this long at most, or until any committed write
CASES_KEPT = 400  # viewers × cases whose blocks are kept, apart from the other kept pages (many distinct cases
                  # are viewed: they must not push the other pages' blocks out)


def kept_cases(app) -> ScopedCache:
    """The application's kept case pages (:class:`ScopedCache` of :data:`CASES_KEPT` entries)."""
    cache = getattr(app.state, "kept_cases", None)
    if cache is None:
        cache = app.state.kept_cases = ScopedCache(CASES_KEPT)
    return cache


def _case_page(request: Request, session: Session, principal: Principal, case_id: int, *, error: str | None = None,
               typed: dict | None = None) -> Response:
    """The case page; after a refused action it shows the reason and keeps what was typed (``typed``).

    A plain view's blocks are kept (:func:`render_kept`) per viewer — scope and user: the actions, buttons and
    comments shown differ by viewer; the CSRF token stays per session — and case, until any committed write (the
    case's own included) or :data:`CASE_KEPT_SECONDS` (issue 15: a repeat view rendered and read everything again)."""
    error = error or request.query_params.get("error")
    if error or typed:
        return render(request, session, "desk/case.html", status_code=422 if typed else 200,
                      **_case_context(request, session, principal, case_id, error, typed))
    return render_kept(request, session, "desk/case.html", ("desk-case", scope_key(principal), principal.user_id),
                       CASE_KEPT_SECONDS, lambda: _case_context(request, session, principal, case_id, None, None),
                       cache=kept_cases(request.app))


def _case_context(request: Request, session: Session, principal: Principal, case_id: int, error: str | None,
                  typed: dict | None) -> dict:
    """What the case page shows (raises :class:`NotFound` when the principal may not read the case)."""
    case = case_rows.case_row(session, principal, case_id)
    actions = available_actions(case, principal)
    liaisons = cached_liaisons(request, session, case.handling_region_code) if Action.assign in actions else []
    timeline, comments, files = case_rows.lists(session, case.id, principal)
    return page_context(request, case=case, ledger_no=ledger_number(case.id, case.submitted_at),
                        firms=case_rows.firms_of(case), actions=actions, timeline=timeline, comments=comments,
                        files=files,
                        duplicates=_duplicates(session, case, principal, actions),
                        impact=impact_panel(request_language(request), case.impact) if case.impact else None,
                        liaison=case_rows.liaison_of(case), liaisons=liaisons,
                        liaison_regions=display_names(session, (person.region_code for person in liaisons)),
                        regions=display_names(session, [case.requester_region_code, case.blocking_region_code,
                                                        case.handling_region_code]),
                        letter_link=letter_link(principal, case),
                        internal_ok=sees_internal(principal), may_comment=desk.ACT.allows(principal),
                        typed=dict.fromkeys(("action", "text", "reason", "liaison_id", "body"), "") | (typed or {}),
                        error=error)


def letter_link(principal: Principal, case: Row) -> bool:
    """Whether the case's letter is a link: only for whom its page opens — the letter route's guard
    (:data:`desk.LETTERS`) and its :func:`letter_scope` (``case.letter_seen``); a draft is its sender's alone."""
    return bool(case.letter_id and case.letter_seen) and desk.LETTERS.allows(principal)


IMPACTS_KEPT = 1024  # (language, assessment): the cases viewed lately, in either language


@lru_cache(maxsize=IMPACTS_KEPT)
def impact_panel(language: str, impact: str) -> Markup | None:
    """The case page's impact panel (``desk/_case_impact.html``) of an assessment (the case's impact JSON), or None
    when it holds nothing. Its markup depends on nothing else, so it is rendered once per assessment and language
    (issue 15: its compact amount, formatted by babel, and its table of firms were redone on every view); a new
    assessment is a new key."""
    found = json.loads(impact)
    if not found:
        return None
    return environment(language).get_template("desk/_case_impact.html").module.impact_panel(found)


def _duplicates(session: Session, case, principal: Principal, actions: list[Action]) -> list:
    """The open duplicates the page offers to merge into: only looked for when the caller may reject the case
    (the page shows them with a "merge" button only then; issue 15: one statement fewer on most views)."""
    if Action.reject not in actions:
        return []
    return service.open_duplicates(session=session, case=case, principal=principal)


@router.get("/desk/cases/{case_id}")
def case_page(request: Request, session: DbSession, principal: Reader, case_id: ObjectId) -> Response:
    """Everything about one case."""
    return _case_page(request, session, principal, case_id)


def _refused(request: Request, session: Session, principal: Principal, case_id: int, error: Exception,
             typed: dict) -> Response:
    """The case page again after a refused form: nothing written, the reason in the user's language, the text kept."""
    session.rollback()
    return _case_page(request, session, principal, case_id, error=error_text(error, request_language(request)),
                      typed=typed)


@router.post("/desk/cases/{case_id}/act")
def act(request: Request, session: DbSession, principal: Actor, case_id: ObjectId, action: Text = "",
        reason: Text = "", text: Text = "", liaison_id: Text = "", merged_into_id: Text = "",
        version: Text = "") -> Response:
    """One workflow action from the case page (refused when the case changed since the page was shown)."""
    try:
        case = service.get_case(session=session, principal=principal, case_id=case_id)
        service.check_version(case, int(version) if version.strip().isdigit() else None)
        if action not in Action.__members__:
            raise refuse(ValidationFailed, _("choose an action"), field="action")
        step = Step(Action(action), reason=reason[:2000], text=text[:5000],
                    liaison_id=int(liaison_id) if liaison_id.strip().isdigit() else None,
                    merged_into_id=int(merged_into_id) if merged_into_id.strip().isdigit() else None)
        apply(session=session, case=case, step=step, principal=principal,
              actor=desk.caller_of(principal, request).actor)
    except NotFound:
        raise
    except ChainkeeperError as error:
        typed = {"action": action, "reason": reason, "text": text, "liaison_id": liaison_id}
        return _refused(request, session, principal, case_id, error, typed)
    return back(f"/desk/cases/{case_id}")


@router.post("/desk/cases/{case_id}/comments")
def comment(request: Request, session: DbSession, principal: Actor, case_id: ObjectId, body: Text = "",
            internal: Text = "") -> Response:
    """Add a comment (internal: authorities only)."""
    try:
        case = service.get_case(session=session, principal=principal, case_id=case_id)
        add_comment(session=session, caller=desk.caller_of(principal, request), case=case, body=body,
                    internal=internal == "1")
    except NotFound:
        raise
    except ChainkeeperError as error:
        return _refused(request, session, principal, case_id, error, {"body": body})
    return back(f"/desk/cases/{case_id}#comments")


@router.post("/desk/cases/{case_id}/attachments")
async def upload(request: Request, session: DbSession, principal: Actor, case_id: ObjectId,
                 file: UploadFile) -> Response:
    """Attach a file (PDF, Word, text or image; at most 10 MB)."""
    data = await file.read(files.MAX_BYTES + 1)

    def work() -> Response:
        url = f"/desk/cases/{case_id}"
        try:
            case = service.get_case(session=session, principal=principal, case_id=case_id)
            attach(session=session, caller=desk.caller_of(principal, request), case=case,
                   filename=file.filename or "file", content_type=file.content_type or "", data=data)
        except ChainkeeperError as error:
            return back(url, error_text(error, request_language(request)))
        return back(url)

    return await run_in_threadpool(work)


@router.get("/desk/cases/{case_id}/attachments/{link_id}")
def download(session: DbSession, principal: Reader, case_id: ObjectId, link_id: ObjectId) -> Response:
    """A case's file, to those who may read the case."""
    case = service.get_case(session=session, principal=principal, case_id=case_id)
    link = session.get(CaseAttachment, link_id)
    if link is None or link.case_id != case.id:
        raise NotFound(f"no attachment {link_id}")
    stored = session.get(Attachment, link.attachment_id)
    disposition = f"attachment; filename*=UTF-8''{quote(stored.filename)}"
    return Response(files.read(stored), media_type=stored.content_type,
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})
