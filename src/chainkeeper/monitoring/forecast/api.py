"""REST endpoints of the stoppage forecasts under ``/api/v1/monitoring/forecast``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.monitoring.forecast import policies, service
from chainkeeper.monitoring.forecast.models import ForecastRun
from chainkeeper.monitoring.forecast.schemas import CaseOut, ForecastIn, LineOut, RunOut
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import json_route

router = APIRouter(prefix="/monitoring/forecast", tags=["monitoring"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(policies.READ)]
Runner = Annotated[Principal, guard(policies.RUN)]
Filer = Annotated[Principal, guard(policies.CASE)]


def run_out(run: ForecastRun) -> RunOut:
    return RunOut(id=run.id, made_on=run.made_on, horizon=run.horizon, created_at=run.created_at,
                  n_reports=run.n_reports, n_key=run.n_key, seconds=run.seconds)


def line_out(view: service.LineView) -> LineOut:
    line, firm = view.line, view.enterprise
    return LineOut(id=line.id, enterprise_id=firm.id, uscc=firm.uscc, name=firm.name,
                   province_code=line.province_code, day_below_90=line.day_below_90, day_below_50=line.day_below_50,
                   min_level=line.min_level, level=line.level, capacity=line.capacity, binding_industry=line.binding_industry,
                   chain=line.chain, case_id=line.case_id)


@router.post("/runs", response_model=RunOut, status_code=201)
def make_forecast(request: Request, session: DbSession, principal: Runner, body: ForecastIn) -> RunOut:
    """Forecast the key enterprises' stoppages from the latest daily reports on or before ``made_on``."""
    run = service.forecast(session=session, caller=caller_of(principal, request), made_on=body.made_on,
                           horizon=body.horizon)
    return run_out(run)


@router.get("/runs", response_model=list[RunOut])
@json_route
def list_runs(session: DbSession, principal: Reader, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[RunOut]:
    """The newest forecasts (national runs; their lines are scoped)."""
    return [run_out(run) for run in service.recent_runs(session=session, limit=limit)]


@router.get("/runs/{run_id}/lines", response_model=list[LineOut])
def list_lines(session: DbSession, principal: Reader, run_id: ObjectId,
               region: Annotated[str | None, Query(pattern=r"^\d{2}(\d{2}(\d{2})?)?$")] = None,
               level: Annotated[str | None, Query(pattern="^(red|yellow)$")] = None) -> list[LineOut]:
    """The run's lines in the caller's region (optionally one region or one level), soonest stop first."""
    service.get_run(session=session, run_id=run_id)
    views = service.list_lines(session=session, principal=principal, run_id=run_id, region_code=region,
                               levels=(level,) if level else None)
    return [line_out(view) for view in views]


@router.post("/lines/{line_id}/case", response_model=CaseOut, status_code=201)
def open_case(request: Request, session: DbSession, principal: Filer, line_id: ObjectId) -> CaseOut:
    """File a prefilled desk case for a line of the caller's region (the key enterprise requests, the first
    supplier of its chain blocks)."""
    case = service.open_case(session=session, caller=caller_of(principal, request), line_id=line_id,
                             language=principal.language)
    return CaseOut(case_id=case.id)


@router.get("/backtest")
def latest_backtest(session: DbSession, principal: Reader) -> dict:
    """The newest backtest's figures (hit rate, false alarms, mean error in days), or an empty object."""
    row = service.latest_backtest(session=session)
    if row is None:
        return {}
    return {"first_day": row.first_day.isoformat(), "last_day": row.last_day.isoformat(), "horizon": row.horizon,
            "window": row.window, "source": row.source, "figures": row.figures}

