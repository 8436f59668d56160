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
from chainkeeper.docking import catalogue, needs, plans
from chainkeeper.docking import policies as dp
from chainkeeper.docking.access import coordinator_region
from chainkeeper.docking.catalogue import GoodIn
from chainkeeper.docking.explain import PRIORITY_TEXTS
from chainkeeper.docking.needs import NeedIn
from chainkeeper.docking.views import lines_out, need_out, plan_out
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import _
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


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else local_date(datetime.now(timezone.utc))
    except ValueError:
        return local_date(datetime.now(timezone.utc))


def _page(request: Request, session, name: str, **context) -> Response:
    language = request_language(request)
    return render(request, session, name, language=language, error=request.query_params.get("error"),
                  priorities={k: v for k, v in PRIORITY_TEXTS.items()}, **context)


def _refused(request: Request, url: str, error: ChainkeeperError) -> Response:
    return back(url, error_text(error, request_language(request)))


@router.get("/docking")
def hub(request: Request, session: DbSession, principal: Reader) -> Response:
    """The day: the coordinator's plans and run form; the enterprise's lines to ship or receive."""
    day = _day(request.query_params.get("day"))
    caller = caller_of(principal, request)
    language = request_language(request)
    day_plans = [plan_out(session, p, language) for p in plans.plans_of_day(session=session, caller=caller, day=day)]
    mine = lines_out(session, plans.my_lines(session=session, caller=caller), language)[:100]
    return _page(request, session, "docking/hub.html", day=day, plans=day_plans, lines=mine,
                 goods=catalogue.goods(session, active_only=True), coordinates=coordinator_region(principal) is not None,
                 own_enterprise=principal.enterprise_id)


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
    """A plan: served per class, lines with why, shortfalls, fix form, publish."""
    plan = plans.get_plan(session=session, caller=caller_of(principal, request), plan_id=plan_id)
    view = plan_out(session, plan, request_language(request))
    priorities = {line.id: line.need.priority for line in plan.lines}
    may_edit = plan.state == "draft" and dp.COORDINATE.allows(principal) and \
        plan.scope_region.startswith(coordinator_region(principal) or "\0")
    return _page(request, session, "docking/plan.html", plan=view, good=plan.good, line_priority=priorities,
                 may_edit=may_edit)


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
    return _page(request, session, "docking/goods.html", categories=cats, goods=catalogue.goods(session),
                 may_edit=dp.CATALOGUE.allows(principal))


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
    """The needs the caller may see; the form to post one; review buttons for coordinators."""
    found = needs.listing(session=session, caller=caller_of(principal, request), limit=200)
    open_q = plans.open_quantities(session, [n.id for n in found])
    rows = [need_out(session, n, open_q[n.id]) for n in found]
    return _page(request, session, "docking/needs.html", needs=rows, goods=catalogue.goods(session, active_only=True),
                 may_post=dp.POST_NEED.allows(principal), may_review=coordinator_region(principal) is not None,
                 on_behalf=coordinator_region(principal) is not None, today=_day(None))


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
