"""The stoppage forecast page: the red / yellow list beside the inventory lights, the backtest, a desk case from a
line, and a form that makes a forecast."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.forecast import policies, service
from chainkeeper.reference.cache import reference_names
from chainkeeper.reference.models import Industry
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(policies.READ)]
Runner = Annotated[Principal, guard(policies.RUN)]
Filer = Annotated[Principal, guard(policies.CASE)]
PAGE = "/monitoring/forecast"
REGION = r"^(\d{2}(\d{2}(\d{2})?)?)?$"


@router.get(PAGE)
def forecast_page(request: Request, session: DbSession, principal: Reader,
                  run: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
                  region: Annotated[str, Query(pattern=REGION)] = "") -> Response:
    """The newest forecast (or ``run``): its red and yellow lines, the other falls, the inventory lights."""
    chosen = service.get_run(session=session, run_id=run) if run else service.latest_run(session=session)
    lines, lights = [], []
    if chosen is not None:
        lines = service.list_lines(session=session, principal=principal, run_id=chosen.id, region_code=region or None)
        lights = service.inventory_lights(session=session, principal=principal, made_on=chosen.made_on,
                                          region_code=region or None)
    backtest = service.latest_backtest(session=session)
    return render(request, session, "monitoring/forecast/index.html", run=chosen, region=region,
                  alerts=[v for v in lines if v.line.level], others=[v for v in lines if not v.line.level],
                  lights=lights, counts=service.level_counts(lines), backtest=backtest,
                  runs=service.recent_runs(session=session, limit=10), can_run=policies.RUN.allows(principal),
                  can_file=policies.CASE.allows(principal), industry_names=reference_names(session, Industry) or {},
                  today=date.today().isoformat(),
                  error=request.query_params.get("error"))


@router.post(f"{PAGE}/runs")
async def make_forecast(request: Request, session: DbSession, principal: Runner,
                        made_on: Annotated[str, Form()] = "", horizon: Annotated[str, Form()] = "30") -> Response:
    """Make a forecast from the reports of the chosen day (runs the engine on the registry: a few seconds)."""
    language = request_language(request)
    try:
        day, days = date.fromisoformat(made_on), int(horizon)
    except ValueError:
        return back(PAGE, translate(_("choose the report date and a horizon in days"), language))
    try:
        run = await run_in_threadpool(service.forecast, session=session, caller=caller_of(principal, request),
                                      made_on=day, horizon=days)
    except ChainkeeperError as error:
        return back(PAGE, error_text(error, language))
    return back(f"{PAGE}?run={run.id}")


@router.post(f"{PAGE}/lines/{{line_id}}/case")
def open_case(request: Request, session: DbSession, principal: Filer, line_id: ObjectId) -> Response:
    """Open a prefilled desk case for the line and show it."""
    language = request_language(request)
    try:
        case = service.open_case(session=session, caller=caller_of(principal, request), line_id=line_id,
                                 language=language)
    except ChainkeeperError as error:
        return back(PAGE, error_text(error, language))
    return back(f"/desk/cases/{case.id}")
