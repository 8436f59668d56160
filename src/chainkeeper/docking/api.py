"""REST endpoints of docking under ``/api/v1/docking``: the catalogue, needs, requisitions, the day's allocation
(run, fix, publish, XLSX) and the lines producers and demanders confirm. One transaction per request."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.docking import catalogue, lines, needs, plans, report, requisitions
from chainkeeper.docking import policies as dp
from chainkeeper.docking.catalogue import GoodIn
from chainkeeper.docking.need_rows import need_rows
from chainkeeper.docking.needs import NeedIn
from chainkeeper.docking.schemas import (CatalogueOut, CategoryOut, FixBody, GoodBody, GoodOut, LineOut, NeedBody,
                                         NeedOut, PlanOut, QuantityBody, ReasonBody, RequisitionBody, ReviewBody,
                                         RunBody)
from chainkeeper.docking.views import lines_out, need_out, plan_out, plan_xlsx
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, json_route

router = APIRouter(prefix="/docking", tags=["docking"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(dp.READ)]
Coordinator = Annotated[Principal, guard(dp.COORDINATE)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _language(principal: Principal) -> str:
    return principal.language or "zh_CN"


def good_out(good) -> GoodOut:
    return GoodOut(code=good.code, category_code=good.category.code, name_zh=good.name_zh, name_en=good.name_en,
                   unit_zh=good.unit_zh, unit_en=good.unit_en, product_code=good.product_code,
                   authority_region=good.authority_region, active=good.active, source=good.source)


@router.get("/goods", response_model=CatalogueOut)
@json_route
def catalogue_tree(session: DbSession, _p: Reader) -> CatalogueOut:
    """The catalogue of critical goods: categories (a tree by ``parent_code``) and goods."""
    cats = catalogue.categories(session)
    codes = {c.id: c.code for c in cats}
    return CatalogueOut(categories=[CategoryOut(code=c.code, parent_code=codes.get(c.parent_id), name_zh=c.name_zh,
                                                name_en=c.name_en, source=c.source) for c in cats],
                        goods=[good_out(g) for g in catalogue.goods(session)])


@router.put("/goods/{code}", response_model=GoodOut)
def save_good(code: str, body: GoodBody, request: Request, session: DbSession,
              principal: Annotated[Principal, guard(dp.CATALOGUE)]) -> GoodOut:
    """Create or change a good (the ministry)."""
    good = catalogue.save_good(session=session, caller=caller_of(principal, request),
                               data=GoodIn(code=code, **body.model_dump()))
    return good_out(good)


@router.get("/needs", response_model=list[NeedOut])
@json_route(kept=KEPT_SECONDS)
def list_needs(request: Request, session: DbSession, principal: Reader,
               state: Annotated[str | None, Query(max_length=16)] = None,
               good: Annotated[str | None, Query(max_length=40)] = None) -> list[NeedOut]:
    """The needs the caller may see (its own, its region's, or all for national roles)."""
    return need_rows(session=session, caller=caller_of(principal, request), state=state, good_code=good)


@router.post("/needs", response_model=NeedOut, status_code=201)
def post_need(body: NeedBody, request: Request, session: DbSession,
              principal: Annotated[Principal, guard(dp.POST_NEED)]) -> NeedOut:
    """Post a need (an enterprise for itself; a province or the ministry on behalf of a demander)."""
    need = needs.post(session=session, caller=caller_of(principal, request), data=NeedIn(**body.model_dump()))
    return need_out(session, need)


@router.post("/needs/{need_id}/review", response_model=NeedOut)
def review_need(need_id: ObjectId, body: ReviewBody, request: Request, session: DbSession,
                principal: Coordinator) -> NeedOut:
    """Approve or reject a need (its province, or the ministry)."""
    need = needs.review(session=session, caller=caller_of(principal, request), need_id=need_id,
                        approve=body.approve, note=body.note)
    return need_out(session, need)


@router.post("/requisitions", status_code=201)
def requisition(body: RequisitionBody, request: Request, session: DbSession, principal: Coordinator) -> dict:
    """Requisition a producer's output of a good (统一调拨)."""
    item = requisitions.requisition(session=session, caller=caller_of(principal, request), **body.model_dump())
    return {"id": item.id, "authority_region": item.authority_region}


@router.post("/plans", response_model=PlanOut, status_code=201)
def run_plan(body: RunBody, request: Request, session: DbSession, principal: Coordinator) -> PlanOut:
    """Propose the day's allocation of a good in the caller's region (again, if a draft exists)."""
    plan = plans.run(session=session, caller=caller_of(principal, request), day=body.day, good_code=body.good_code,
                     scope_region=body.scope_region)
    return plan_out(session, plan, _language(principal))


@router.get("/plans/{plan_id}", response_model=PlanOut)
def get_plan(plan_id: ObjectId, request: Request, session: DbSession, principal: Annotated[Principal, guard(dp.PLAN_READ)]) -> PlanOut:
    """A plan with its lines and shortfalls."""
    plan = plans.get_plan(session=session, caller=caller_of(principal, request), plan_id=plan_id)
    return plan_out(session, plan, _language(principal))


@router.get("/plans/{plan_id}/xlsx")
def plan_workbook(plan_id: ObjectId, request: Request, session: DbSession,
                  principal: Annotated[Principal, guard(dp.PLAN_READ)]) -> Response:
    """The plan as an XLSX workbook (lines and shortfalls)."""
    plan = plans.get_plan(session=session, caller=caller_of(principal, request), plan_id=plan_id)
    body = plan_xlsx(session, plan, _language(principal))
    name = f"allocation-{plan.day.isoformat()}-{plan.good.code}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/days/{day}/xlsx")
def day_workbook(day: date, request: Request, session: DbSession,
                 principal: Annotated[Principal, guard(dp.PLAN_READ)]) -> Response:
    """The day's allocation as the daily report (summary per plan, lines with their progress, shortfalls)."""
    body = report.day_xlsx(session=session, caller=caller_of(principal, request), day=day,
                           language=_language(principal))
    name = f"allocation-report-{day.isoformat()}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/plans/{plan_id}/fix", response_model=PlanOut)
def fix_line(plan_id: ObjectId, body: FixBody, request: Request, session: DbSession,
             principal: Coordinator) -> PlanOut:
    """Fix (or release) a line by hand; the rest is re-optimised around it."""
    plan = plans.fix_line(session=session, caller=caller_of(principal, request), plan_id=plan_id,
                          producer_id=body.producer_id, need_id=body.need_id, quantity=body.quantity)
    return plan_out(session, plan, _language(principal))


@router.post("/plans/{plan_id}/publish", response_model=PlanOut)
def publish(plan_id: ObjectId, request: Request, session: DbSession, principal: Coordinator) -> PlanOut:
    """Publish the plan to its producers and demanders."""
    plan = plans.publish(session=session, caller=caller_of(principal, request), plan_id=plan_id)
    return plan_out(session, plan, _language(principal))


@router.get("/lines", response_model=list[LineOut])
@json_route
def my_lines(request: Request, session: DbSession, principal: Reader, day: Annotated[date | None, Query()] = None) -> list[LineOut]:
    """The published lines the caller's enterprise ships or receives."""
    found = plans.my_lines(session=session, caller=caller_of(principal, request), day=day)
    return lines_out(session, found, _language(principal))


@router.post("/lines/{line_id}/ship", response_model=LineOut)
def ship(line_id: ObjectId, body: QuantityBody, request: Request, session: DbSession,
         principal: Annotated[Principal, guard(dp.LINE_PARTY)]) -> LineOut:
    """The producer confirms the shipment."""
    return _confirm(plans.confirm_shipment, line_id, body, request, session, principal)


@router.post("/lines/{line_id}/receive", response_model=LineOut)
def receive(line_id: ObjectId, body: QuantityBody, request: Request, session: DbSession,
            principal: Annotated[Principal, guard(dp.LINE_PARTY)]) -> LineOut:
    """The demander confirms the receipt."""
    return _confirm(plans.confirm_receipt, line_id, body, request, session, principal)


def _confirm(step, line_id: int, body: QuantityBody, request: Request, session, principal: Principal) -> LineOut:
    """A party's confirmation of a line (``step``: :func:`plans.confirm_shipment` or :func:`plans.confirm_receipt`)."""
    line = step(session=session, caller=caller_of(principal, request), line_id=line_id, quantity=body.quantity)
    return lines_out(session, [line], _language(principal))[0]


@router.post("/lines/{line_id}/cancel", response_model=LineOut)
def cancel(line_id: ObjectId, body: ReasonBody, request: Request, session: DbSession,
           principal: Coordinator) -> LineOut:
    """The coordinator cancels a published line not yet shipped; the need's quantity is open again."""
    line = lines.cancel(session=session, caller=caller_of(principal, request), line_id=line_id, reason=body.reason)
    return lines_out(session, [line], _language(principal))[0]


@router.post("/lines/{line_id}/reopen", response_model=LineOut)
def reopen(line_id: ObjectId, body: ReasonBody, request: Request, session: DbSession,
           principal: Coordinator) -> LineOut:
    """The coordinator reopens the need after a failed shipment (what did not arrive is open again)."""
    line = lines.reopen(session=session, caller=caller_of(principal, request), line_id=line_id, reason=body.reason)
    return lines_out(session, [line], _language(principal))[0]
