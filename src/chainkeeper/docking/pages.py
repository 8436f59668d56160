"""Docking pages: the day's hub (coordinators run and publish allocations; producers and demanders confirm their
lines), the catalogue of critical goods, needs (post and review) and a plan (lines with reasons, fix by hand,
publish, XLSX). Forms post and redirect back; a refused form rolls back and shows the message."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import Form, Request, Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.docking import catalogue, lines, needs, plans, report
from chainkeeper.docking import policies as dp
from chainkeeper.docking.access import coordinator_region
from chainkeeper.docking.catalogue import GoodIn
from chainkeeper.docking.explain import PRIORITY_TEXTS, STATUS_HINTS
from chainkeeper.docking.models import NEED_STATES
from chainkeeper.docking.needs import NeedIn
from chainkeeper.docking.views import goods_map, grouped_goods, lines_out, need_out, place_names, plan_out
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting.scope import local_date
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(dp.READ)]
Coordinator = Annotated[Principal, guard(dp.COORDINATE)]
Party = Annotated[Principal, guard(dp.LINE_PARTY)]
Text = Annotated[str, Form(max_length=500)]
Number = Annotated[float, Form(ge=0, le=1e12)]


def _today() -> date:
    return local_date(datetime.now(timezone.utc))


def _day(request: Request, session, caller) -> date:
    """The day asked for, else the newest day with an allocation the caller reads (see :func:`report.shown_day`)."""
    return report.shown_day(session=session, caller=caller, asked=request.query_params.get("day"), today=_today())


def _page(request: Request, session, name: str, principal: Principal, **context) -> Response:
    language = request_language(request)
    return render(request, session, name, language=language, error=request.query_params.get("error"), done=None,
                  priorities={k: v for k, v in PRIORITY_TEXTS.items()}, goods_map=goods_map(session, language),
                  may_read_report=dp.PLAN_READ.allows(principal), **context)


def _refused(request: Request, url: str, error: ChainkeeperError) -> Response:
    return back(url, error_text(error, request_language(request)))


@router.get("/docking")
def hub(request: Request, session: DbSession, principal: Reader) -> Response:
    """The day: the coordinator's plans, recent days and run form; the enterprise's lines to ship or receive first,
    the rest folded away."""
    caller = caller_of(principal, request)
    day = _day(request, session, caller)
    language = request_language(request)
    day_plans = [plan_out(session, p, language) for p in plans.plans_of_day(session=session, caller=caller, day=day)]
    mine = lines_out(session, plans.my_lines(session=session, caller=caller), language)[:200]
    own = principal.enterprise_id
    to_do = [line for line in mine if (line.state == "published" and line.producer_id == own)
             or (line.state == "shipped" and line.producer_id != own)]
    return _page(request, session, "docking/hub.html", principal, day=day, plans=day_plans, to_do=to_do,
                 done_lines=[line for line in mine if line not in to_do], grouped=grouped_goods(session, language),
                 coordinates=coordinator_region(principal) is not None, own_enterprise=own,
                 recent_days=report.recent_days(session=session, caller=caller), today=_today(),
                 may_post=dp.POST_NEED.allows(principal),
                 scopes=place_names(session, {p.scope_region for p in day_plans} - {""}))


@router.post("/docking/plans")
def run(request: Request, session: DbSession, principal: Coordinator, day: Annotated[date, Form()],
        good_code: Annotated[str, Form(max_length=40)]) -> Response:
    """Run (or run again) the day's allocation of a good."""
    try:
        plan = plans.run(session=session, caller=caller_of(principal, request), day=day, good_code=good_code)
    except ChainkeeperError as error:
        return _refused(request, f"/docking?day={day.isoformat()}", error)
    return back(f"/docking/plans/{plan.id}")


@router.get("/docking/plans/{plan_id}")
def plan_page(request: Request, session: DbSession, principal: Annotated[Principal, guard(dp.PLAN_READ)],
              plan_id: ObjectId) -> Response:
    """A plan: what the day was (or why it could not be), served per class, lines with why (each fixable while a
    draft; cancellable or reopenable once published), shortfalls, publish."""
    plan = plans.get_plan(session=session, caller=caller_of(principal, request), plan_id=plan_id)
    view = plan_out(session, plan, request_language(request))
    own = coordinator_region(principal)
    coordinates = own is not None and plan.scope_region.startswith(own)
    return _page(request, session, "docking/plan.html", principal, plan=view, good=plan.good,
                 line_priority={line.id: line.need.priority for line in plan.lines},
                 line_note={line.id: line.note for line in plan.lines}, summary=plan.summary or {},
                 may_edit=coordinates and plan.state == "draft", may_follow_up=coordinates and plan.state != "draft",
                 hint=STATUS_HINTS.get(view.status), scopes=place_names(session, {plan.scope_region} - {""}))


@router.post("/docking/plans/{plan_id}/fix")
def fix(request: Request, session: DbSession, principal: Coordinator, plan_id: ObjectId,
        producer_id: Annotated[int, Form(ge=1)], need_id: Annotated[int, Form(ge=1)],
        quantity: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Fix a line's quantity (empty releases it); the rest is re-optimised."""
    url = f"/docking/plans/{plan_id}"
    try:
        value = float(quantity) if quantity.strip() else None
        plans.fix_line(session=session, caller=caller_of(principal, request), plan_id=plan_id,
                       producer_id=producer_id, need_id=need_id, quantity=value)
    except ValueError:
        return back(url, error_text(refuse(ValidationFailed, _("enter a number")), request_language(request)))
    except ChainkeeperError as error:
        return _refused(request, url, error)
    return back(url)


@router.post("/docking/plans/{plan_id}/publish")
def publish(request: Request, session: DbSession, principal: Coordinator, plan_id: ObjectId) -> Response:
    """Publish the plan."""
    try:
        plans.publish(session=session, caller=caller_of(principal, request), plan_id=plan_id)
    except ChainkeeperError as error:
        return _refused(request, f"/docking/plans/{plan_id}", error)
    return back(f"/docking/plans/{plan_id}")


def _follow_up(step, request: Request, session, principal: Principal, line_id: int, reason: str,
               plan_id: int) -> Response:
    """Cancel or reopen a line (``step`` is :func:`lines.cancel` or :func:`lines.reopen`), then back to its plan."""
    url = f"/docking/plans/{plan_id}" if plan_id else "/docking"
    try:
        step(session=session, caller=caller_of(principal, request), line_id=line_id, reason=reason)
    except ChainkeeperError as error:
        return _refused(request, url, error)
    return back(url)


@router.post("/docking/lines/{line_id}/cancel")
def cancel_line(request: Request, session: DbSession, principal: Coordinator, line_id: ObjectId, reason: Text = "",
                plan_id: Annotated[int, Form(ge=1)] = 0) -> Response:
    """Cancel a published line not yet shipped (a reason required); its quantity is open on the need again."""
    return _follow_up(lines.cancel, request, session, principal, line_id, reason, plan_id)


@router.post("/docking/lines/{line_id}/reopen")
def reopen_line(request: Request, session: DbSession, principal: Coordinator, line_id: ObjectId, reason: Text = "",
                plan_id: Annotated[int, Form(ge=1)] = 0) -> Response:
    """After a failed shipment: what did not arrive is open on the need again."""
    return _follow_up(lines.reopen, request, session, principal, line_id, reason, plan_id)


@router.get("/docking/report")
def day_report(request: Request, session: DbSession, principal: Annotated[Principal, guard(dp.PLAN_READ)]) -> Response:
    """The day's allocation as the daily report: per good and scope, what was needed and served per class, what was
    shipped and received, what was cancelled or failed, what carries to tomorrow; XLSX beside it."""
    caller = caller_of(principal, request)
    day = _day(request, session, caller)
    return _page(request, session, "docking/report.html", principal, day=day,
                 rows=report.day_rows(session=session, caller=caller, day=day, language=request_language(request)),
                 recent_days=report.recent_days(session=session, caller=caller))


@router.post("/docking/lines/{line_id}/{step}")
def confirm(request: Request, session: DbSession, principal: Party, line_id: ObjectId, step: str,
            quantity: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Confirm a line shipped (the producer) or received (the demander)."""
    try:
        value = float(quantity) if quantity.strip() else None
        action = {"ship": plans.confirm_shipment, "receive": plans.confirm_receipt}.get(step)
        if action is None:
            return back("/docking")
        action(session=session, caller=caller_of(principal, request), line_id=line_id, quantity=value)
    except ValueError:
        return back("/docking", error_text(refuse(ValidationFailed, _("enter a number")), request_language(request)))
    except ChainkeeperError as error:
        return _refused(request, "/docking", error)
    return back("/docking")


@router.get("/docking/goods")
def goods_page(request: Request, session: DbSession, principal: Reader) -> Response:
    """The catalogue of critical goods; the ministry edits it."""
    cats = catalogue.categories(session)
    return _page(request, session, "docking/goods.html", principal, categories=cats, goods=catalogue.goods(session),
                 may_edit=dp.CATALOGUE.allows(principal), shown_source=catalogue.shown_source)


@router.post("/docking/goods")
def save_good(request: Request, session: DbSession, principal: Annotated[Principal, guard(dp.CATALOGUE)],
              code: Annotated[str, Form(max_length=40)], category_code: Annotated[str, Form(max_length=40)],
              name_zh: Text, name_en: Text, unit_zh: Text, unit_en: Text, product_code: Text = "",
              authority_region: Annotated[str, Form(max_length=6)] = "", source: Text = "",
              active: Annotated[str, Form(max_length=5)] = "") -> Response:
    """Create or change a good."""
    try:
        catalogue.save_good(session=session, caller=caller_of(principal, request), data=GoodIn(
            code=code.strip(), category_code=category_code, name_zh=name_zh, name_en=name_en, unit_zh=unit_zh,
            unit_en=unit_en, product_code=product_code.strip() or None, authority_region=authority_region.strip(),
            active=bool(active), source=source))
    except ChainkeeperError as error:
        return _refused(request, "/docking/goods", error)
    return back("/docking/goods")


@router.get("/docking/needs")
def needs_page(request: Request, session: DbSession, principal: Reader) -> Response:
    """The needs the caller may see (a coordinator's list opens on those waiting for review when there are any);
    the form to post one, above the list for a demander."""
    caller = caller_of(principal, request)
    reviews = coordinator_region(principal) is not None
    waiting = len(needs.listing(session=session, caller=caller, state="submitted", limit=500)) if reviews else 0
    state = request.query_params.get("state", "submitted" if waiting else "")
    state = state if state in NEED_STATES else ""
    found = needs.listing(session=session, caller=caller, state=state or None, limit=100)
    open_q = plans.open_quantities(session, [n.id for n in found])
    rows = [need_out(session, n, open_q[n.id]) for n in found]
    return _page(request, session, "docking/needs.html", principal, needs=rows, state=state, waiting=waiting,
                 states=NEED_STATES, places=place_names(session, {n.county_code for n in found}),
                 grouped=grouped_goods(session, request_language(request)), may_post=dp.POST_NEED.allows(principal),
                 may_review=reviews, on_behalf=reviews, today=_today(), own=_own_firm(session, principal))


def _own_firm(session, principal: Principal) -> Enterprise | None:
    """The caller's enterprise (its place prefills the need form), or None."""
    return session.get(Enterprise, principal.enterprise_id) if principal.enterprise_id else None


@router.post("/docking/needs")
def post_need(request: Request, session: DbSession, principal: Annotated[Principal, guard(dp.POST_NEED)],
              good_code: Annotated[str, Form(max_length=40)], quantity: Number,
              date_needed: Annotated[date, Form()], priority: Annotated[int, Form(ge=1, le=3)],
              county_code: Annotated[str, Form(max_length=6)], contact_name: Text, contact_phone: Text,
              demander_name: Text = "", min_lot: Number = 0) -> Response:
    """Post a need."""
    try:
        needs.post(session=session, caller=caller_of(principal, request), data=NeedIn(
            good_code=good_code, quantity=quantity, date_needed=date_needed, priority=priority,
            county_code=county_code.strip(), contact_name=contact_name, contact_phone=contact_phone,
            demander_name=demander_name, min_lot=min_lot))
    except ChainkeeperError as error:
        return _refused(request, "/docking/needs", error)
    return back("/docking/needs")


@router.post("/docking/needs/{need_id}/review")
def review(request: Request, session: DbSession, principal: Coordinator, need_id: ObjectId,
           decision: Annotated[str, Form(max_length=10)], note: Text = "") -> Response:
    """Approve or reject a need."""
    try:
        needs.review(session=session, caller=caller_of(principal, request), need_id=need_id,
                     approve=decision == "approve", note=note)
    except ChainkeeperError as error:
        return _refused(request, "/docking/needs", error)
    return back("/docking/needs")
