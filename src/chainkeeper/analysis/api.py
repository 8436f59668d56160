"""REST endpoints of the analyst's workspace under ``/api/v1/analysis``: runs (create, status, result, export) and
the systemically important enterprises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request
from fastapi.responses import Response

from chainkeeper.analysis import export, jobs, runs
from chainkeeper.analysis.models import AnalysisRun
from chainkeeper.analysis.policies import ANALYSIS
from chainkeeper.analysis.scenario import ScenarioRejected
from chainkeeper.analysis.results import ResultView, error_text, result_view
from chainkeeper.analysis.schemas import EsriOut, HitOut, OutsideOut, ResultOut, RunOut, ScenarioIn
from chainkeeper.analysis.systemic import systemic_ranking
from chainkeeper.audit.service import record
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import client_address, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import Conflict, ValidationFailed
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=ERROR_RESPONSES)
Analyst = Annotated[Principal, guard(ANALYSIS)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def run_out(run: AnalysisRun, language: str) -> RunOut:
    """The run's job state in ``language``."""
    return RunOut(id=run.id, title=run.title, state=run.state.value, progress=run.progress,
                  error=error_text(run, language) or None, owner=run.owner_name, created_at=run.created_at,
                  finished_at=run.finished_at, spec=run.spec)


def start_run(request: Request, session, principal: Principal, spec, title: str,
              background: BackgroundTasks) -> AnalysisRun:
    """Store a queued run and hand it to the worker once the request's transaction is committed."""
    run = runs.create_run(session=session, principal=principal, actor=actor_of(principal, client_address(request)),
                          spec=spec, title=title)
    background.add_task(jobs.submit, request.app.state.engine, run.id)
    return run


@router.post("/runs", response_model=RunOut, status_code=202)
def create_run(request: Request, session: DbSession, principal: Analyst, body: ScenarioIn,
               background: BackgroundTasks) -> RunOut:
    """Check the scenario and start it as a background job; poll ``GET /runs/{id}`` for its progress.

    A bad value is refused (422) with a message in the caller's language naming the value and its field."""
    try:
        run = start_run(request, session, principal, body.spec(), body.title, background)
    except ScenarioRejected as error:
        raise in_language(error, principal.language) from None
    return run_out(run, principal.language)


def in_language(error: ScenarioRejected, language: str) -> ValidationFailed:
    """The refusal with its message translated."""
    message = error.translated(language)
    return ValidationFailed(message, [{"field": error.field, "message": message}] if error.field else None)


@router.get("/runs", response_model=list[RunOut])
def list_runs(session: DbSession, principal: Analyst) -> list[RunOut]:
    """The runs the caller may see, newest first."""
    return [run_out(run, principal.language) for run in runs.list_runs(session=session, principal=principal)]


@router.get("/runs/{run_id}", response_model=RunOut)
def run_status(session: DbSession, principal: Analyst, run_id: ObjectId) -> RunOut:
    """A run's state and progress (0–1)."""
    return run_out(runs.get_run(session=session, principal=principal, run_id=run_id), principal.language)


def _done_view(session, principal: Principal, run_id: int) -> ResultView:
    run = runs.get_run(session=session, principal=principal, run_id=run_id)
    if run.series is None:
        raise Conflict(f"run {run_id} has no result (state: {run.state.value})")
    return result_view(session=session, principal=principal, run=run, language=principal.language)


@router.get("/runs/{run_id}/result", response_model=ResultOut)
def run_result(session: DbSession, principal: Analyst, run_id: ObjectId) -> ResultOut:
    """Production per day (share of baseline) and the hit enterprises: by name inside the caller's scope, as
    province totals outside it."""
    view = _done_view(session, principal, run_id)
    series = view.series
    return ResultOut(
        run=run_out(view.run, principal.language), national=series["national"], provinces=series["provinces"],
        chains=series["chains"], warnings=view.warnings(principal.language),
        enterprises=[HitOut(uscc=h.uscc, name=h.name, region=h.region_name, white_listed=h.listed,
                            cut_by_scenario=h.shocked, below_90_day=h.first_below_90, below_50_day=h.first_below_50,
                            lowest_percent=round(h.min_level * 100, 1), bound_by_industry=h.limiting_industry,
                            bound_by_industry_name=h.limiting_name) for h in view.hits],
        outside_scope=[OutsideOut(province_code=t.province_code, province=t.province_name, hit_enterprises=t.firms,
                                  below_50=t.below_50, lowest_percent=round(t.lowest * 100, 1))
                       for t in view.outside])


def export_response(request: Request, session, principal: Principal, run_id: int, fmt: str,
                    language: str) -> Response:
    """The result as a CSV or XLSX download, audited."""
    view = _done_view(session, principal, run_id)
    data = export.to_xlsx(view, language) if fmt == "xlsx" else export.to_csv(view, language)
    record(session=session, actor=actor_of(principal, client_address(request)), action="analysis.export",
           object_type="analysis_run", object_id=run_id, after={"format": fmt})
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="analysis-{run_id}.{fmt}"'})


@router.get("/runs/{run_id}/export.{fmt}", response_class=Response,
            responses={200: {"content": {XLSX: {}, "text/csv": {}}}})
def run_export(request: Request, session: DbSession, principal: Analyst, run_id: ObjectId,
               fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")],
               lang: Annotated[str | None, Query(pattern="^(zh_CN|en)$")] = None) -> Response:
    """The hit enterprises (names, rounded figures), totals outside the scope and, in XLSX, production per day."""
    return export_response(request, session, principal, run_id, fmt, lang or principal.language)


@router.get("/esri", response_model=list[EsriOut])
def esri_ranking(session: DbSession, principal: Analyst,
                 chain: Annotated[str | None, Query(max_length=32)] = None,
                 region: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
                 top: Annotated[int, Query(ge=1, le=200)] = 20) -> list[EsriOut]:
    """The systemically important enterprises of a key chain and province, within the caller's scope."""
    try:
        rows = systemic_ranking(session=session, principal=principal, chain=chain, region=region, top=top)
    except ScenarioRejected as error:
        raise in_language(error, principal.language) from None
    return [EsriOut(uscc=r.uscc, name=r.name, province=f"{r.province:02d}", chain=r.chain, esri=round(r.esri, 6),
                    downstream=round(r.downstream, 6), upstream=round(r.upstream, 6)) for r in rows]
