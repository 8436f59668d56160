"""White-list pages: lists and batches, entries as of a date, recognition checks and exports, agreements.

Application pages live in :mod:`chainkeeper.whitelist.pages_apply`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request, Response
from sqlalchemy import select

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.errors import ChainkeeperError, NotFound
from chainkeeper.i18n import _, translate
from chainkeeper.reference.pickers import resolve_region
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import get_enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key
from chainkeeper.web.pickers import resolve_enterprise
from chainkeeper.whitelist import agreements, cells, certificates, entries, page_queries, service
from chainkeeper.whitelist import policies as wl
from chainkeeper.whitelist.labels import LABELS
from chainkeeper.whitelist.models import AppState, EntryStatus, Resumption
from chainkeeper.whitelist.recognition import is_recognized
from chainkeeper.whitelist.workflow import manages_list

ENTRY_COLUMNS = (_("Enterprise"), _("Batch"), _("Category"), _("Key chain"), _("Status on this day"), _("Resumption"))

router = page_router()
Reader = Annotated[Principal, guard(wl.READ)]
Manager = Annotated[Principal, guard(wl.MANAGE)]
Text = Annotated[str, Form()]
Day = Annotated[date | None, Query(alias="date")]


def page(request: Request, session, name: str, **context) -> Response:
    """Render a white-list page (the labels of states and statuses come along)."""
    return render(request, session, name, labels=LABELS, **context)


def parse_day(text: str) -> date:
    """A date from a form, or today."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else date.today()
    except ValueError as error:
        raise ChainkeeperError("the date is not valid (YYYY-MM-DD)") from error


def category_names(session, language: str) -> dict[str, str]:
    """Category names in ``language``."""
    return {c.code: c.name_en if language == "en" else c.name_zh for c in agreements.list_categories(session=session)}


RATES_TTL = 10.0
"""Seconds the lists' resumption rates and the category names are reused (every reader sees every list; a write
ends them at once: :mod:`chainkeeper.web.pages.scoped_cache`)."""


def _rates(request: Request, session, list_ids: tuple[int, ...], when: date) -> tuple[dict, dict]:
    """Each list's resumption rate on ``when`` and the overall one, computed once per data epoch."""
    def compute() -> tuple[dict, dict]:
        return entries.resumption_rates(session=session, list_ids=list_ids, as_of=when)
    return page_cache(request.app).get(session, ("whitelist.rates", list_ids, when), RATES_TTL, compute)


def _categories(request: Request, session, language: str) -> dict[str, str]:
    """:func:`category_names`, computed once per data epoch (every reader sees the same)."""
    return page_cache(request.app).get(session, ("whitelist.categories", language), RATES_TTL,
                                       lambda: category_names(session, language))


@router.get("/whitelists")
def index(request: Request, session: DbSession, principal: Reader, day: Day = None) -> Response:
    """Every list with its batches and resumption rate; the form that creates a list."""
    when, error = day or date.today(), request.query_params.get("error")

    def context() -> dict:
        lists = service.list_lists(session=session)
        rates, overall = _rates(request, session, tuple(item.id for item in lists), when)
        return dict(labels=LABELS, lists=lists, rates=rates, day=when, overall=overall,
                    regions=queries.region_names(session, (item.scope_code for item in lists)),
                    categories=_categories(request, session, request_language(request)),
                    may_create=wl.MANAGE.allows(principal), error=error)

    return render_kept(request, session, "whitelist/index.html", None if error else (scope_key(principal), when),
                       RATES_TTL, context)


@router.post("/whitelists")
def create_list(request: Request, session: DbSession, principal: Manager, name: Text = "", scope_code: Text = "",
                categories: Annotated[list[str] | None, Form()] = None) -> Response:
    """Create a list."""
    try:
        created = service.create_list(session=session, caller=wl.caller_of(principal, request), name=name,
                                      scope_code=scope_code.strip(), categories=categories or [])
    except ChainkeeperError as error:
        return back("/whitelists", error)
    return back(f"/whitelists/{created.id}")


@router.get("/whitelists/check")
def check(request: Request, session: DbSession, _p: Reader, uscc: str = "", region: str = "",
          day: Day = None) -> Response:
    """Is an enterprise recognised in a region on a day, and on what basis."""
    when, answer, problem = day or date.today(), None, None
    if uscc.strip() and region.strip():
        region = resolve_region(session, region[:60]) or region.strip()  # the picker's plain field: a name or a code
        uscc = resolve_enterprise(session, _p, uscc[:60]) or uscc
        try:
            answer = is_recognized(session=session, uscc=uscc[:18], region_code=region[:6], day=when)
        except NotFound:
            problem = translate(_("no such enterprise or region: check the enterprise and the region"),
                                request_language(request))
    return page(request, session, "whitelist/check.html", uscc=uscc, region=region, day=when, answer=answer,
                  problem=problem, may_export=wl.EXPORT.allows(_p))


@router.get("/whitelists/agreements")
def agreements_page(request: Request, session: DbSession, principal: Reader) -> Response:
    """The mutual-recognition agreements; the ministry adds them here."""
    found = agreements.list_agreements(session=session)
    codes = {code for a in found for code in a.region_codes}
    return page(request, session, "whitelist/agreements.html", agreements=found,
                  regions=queries.region_names(session, codes),
                  categories=category_names(session, request_language(request)),
                  may_create=wl.AGREEMENTS.allows(principal), error=request.query_params.get("error"))


@router.post("/whitelists/agreements")
def create_agreement(request: Request, session: DbSession, principal: Annotated[Principal, guard(wl.AGREEMENTS)],
                     name: Text = "", regions: Text = "", valid_from: Text = "", valid_until: Text = "",
                     categories: Annotated[list[str] | None, Form()] = None) -> Response:
    """Add an agreement (regions as codes separated by commas or spaces)."""
    try:
        agreements.create_agreement(session=session, actor=wl.caller_of(principal, request).actor, name=name,
                                    regions=regions.replace(",", " ").split(), categories=categories or [],
                                    valid_from=parse_day(valid_from),
                                    valid_until=parse_day(valid_until) if valid_until.strip() else None)
    except ChainkeeperError as error:
        return back("/whitelists/agreements", error)
    return back("/whitelists/agreements")


@router.get("/whitelists/entries/{entry_id}")
def entry_page(request: Request, session: DbSession, principal: Reader, entry_id: ObjectId,
               day: Day = None) -> Response:
    """One entry: its record, status on a day and history, pool, certificates; the forms that change it."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    when = day or date.today()
    firm = session.get(Enterprise, entry.enterprise_id)
    may_manage = manages_list(principal, entry.scope_code)
    return page(request, session, "whitelist/entry.html", entry=entry, firm=firm, day=when,
                  status=entries.status_on(session=session, entry=entry, day=when),
                  history=entries.history(session=session, entry=entry), pool=entries.pool_of(session=session,
                                                                                              entry=entry),
                  credentials=certificates.for_entry(session=session, entry=entry), may_manage=may_manage,
                  may_report=may_manage or principal.enterprise_id == entry.enterprise_id,
                  may_open_firm=_reads_firm(session, principal, firm.id),
                  statuses=[s.value for s in EntryStatus], resumptions=[r.value for r in Resumption],
                  categories=category_names(session, request_language(request)),
                  error=request.query_params.get("error"))


def _reads_firm(session, principal: Principal, enterprise_id: int) -> bool:
    """Whether the registry page and the certificates of this firm open for the principal (another enterprise's user
    reads a public list's entry, but not the firm's record: its links would end on "not found")."""
    return principal.is_national or session.scalar(
        select(Enterprise.id).where(Enterprise.id == enterprise_id, enterprise_scope(principal))) is not None


@router.post("/whitelists/entries/{entry_id}/status")
def entry_status(request: Request, session: DbSession, principal: Manager, entry_id: ObjectId, status: Text = "",
                 effective: Text = "", reason: Text = "") -> Response:
    """Suspend, remove or reinstate an entry."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    url = f"/whitelists/entries/{entry_id}"
    try:
        entries.change_status(session=session, principal=principal, actor=wl.caller_of(principal, request).actor,
                              entry=entry, status=EntryStatus(status), effective=parse_day(effective),
                              reason=reason)
    except (ChainkeeperError, ValueError) as error:
        return back(url, error)
    return back(url)


@router.post("/whitelists/entries/{entry_id}/resumption")
def entry_resumption(request: Request, session: DbSession, principal: Annotated[Principal, guard(wl.RESUMPTION)],
                     entry_id: ObjectId, resumption: Text = "", on: Text = "") -> Response:
    """Report resumption of work."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    url = f"/whitelists/entries/{entry_id}"
    try:
        entries.set_resumption(session=session, principal=principal, actor=wl.caller_of(principal, request).actor,
                               entry=entry, resumption=Resumption(resumption), on=parse_day(on))
    except (ChainkeeperError, ValueError) as error:
        return back(url, error)
    return back(url)


@router.post("/whitelists/entries/{entry_id}/pool")
def entry_pool(request: Request, session: DbSession, principal: Manager, entry_id: ObjectId, uscc: Text = "",
               added_on: Text = "", reason: Text = "") -> Response:
    """Attach a key supplier to the entry's pool."""
    entry = entries.get_entry(session=session, entry_id=entry_id)
    url = f"/whitelists/entries/{entry_id}"
    try:
        firm = get_enterprise(session=session, uscc=uscc.strip())
        entries.add_to_pool(session=session, principal=principal, actor=wl.caller_of(principal, request).actor,
                            entry=entry, enterprise_id=firm.id, added_on=parse_day(added_on), reason=reason)
    except ChainkeeperError as error:
        return back(url, error)
    return back(url)


@router.get("/whitelists/{list_id}")
def list_page(request: Request, session: DbSession, principal: Reader, list_id: ObjectId,
              day: Day = None) -> Response:
    """A list: its entries as of a day, and (for its manager) approved applications ready to publish."""
    when, error = day or date.today(), request.query_params.get("error")
    key = None if error else (scope_key(principal), list_id, when)
    return render_kept(request, session, "whitelist/list.html", key, RATES_TTL,
                       lambda: _list_context(request, session, principal, list_id, when) | {"error": error})


def _list_context(request: Request, session, principal: Principal, list_id: int, when: date) -> dict:
    """What a list's page shows on ``when``: its header, entry rows, rate and (for its manager) the applications
    ready to publish."""
    white_list = page_queries.list_header(session, list_id)
    rows = entries.page_rows(session=session, list_id=list_id, as_of=when)
    may_manage = manages_list(principal, white_list.scope_code)
    ready = page_queries.ready_rows(session, principal, list_id) if may_manage else []
    language = request_language(request)
    shown = {value: queries.shown_text(text, language) for value, text in LABELS.items()}
    rate = page_cache(request.app).get(session, ("whitelist.rate", list_id, when), RATES_TTL,
                                       lambda: entries.resumption_rate(session=session, list_id=list_id, as_of=when))
    categories, chains = _categories(request, session, language), queries.chain_names(session, language)
    columns = [translate(column, language) for column in ENTRY_COLUMNS]
    return dict(labels=LABELS, white_list=white_list, rows=rows, day=when, columns=columns,
                shown_rows=cells.entry_rows(rows, categories, chains, shown, columns), rate=rate, ready=ready,
                may_manage=may_manage, categories=categories, next_batch=white_list.next_batch,
                may_recommend=wl.REVIEW.allows(principal))


@router.post("/whitelists/{list_id}/batches")
def publish(request: Request, session: DbSession, principal: Manager, list_id: ObjectId, published_on: Text = "",
            application_ids: Annotated[list[int] | None, Form()] = None) -> Response:
    """Publish the chosen approved applications as the next batch."""
    service.get_list(session=session, list_id=list_id)
    try:
        service.publish_batch(session=session, caller=wl.caller_of(principal, request), list_id=list_id,
                              application_ids=application_ids or [], published_on=parse_day(published_on))
    except ChainkeeperError as error:
        return back(f"/whitelists/{list_id}", error)
    return back(f"/whitelists/{list_id}")
