"""The analyst's workspace pages: build and run a scenario, follow its job, read and compare results, the ESRI page."""

from __future__ import annotations

from typing import Annotated

from fastapi import BackgroundTasks, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from chainkeeper.analysis import charts, forms, runs
from chainkeeper.analysis.api import export_response, start_run
from chainkeeper.analysis.models import RunState
from chainkeeper.analysis.policies import ANALYSIS
from chainkeeper.analysis.results import (
    chain_labels, compare_rows, error_text, on_date, result_view, same_firms, scope_summary,
)
from chainkeeper.analysis.scenario import ScenarioRejected
from chainkeeper.analysis.systemic import SCORE_MEANINGS, systemic_ranking
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages import queries as names
from chainkeeper.web.pages.redirects import back
from chainkeeper.web.pages.rendering import is_htmx, render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pickers import resolve_enterprise

router = page_router()
Analyst = Annotated[Principal, guard(ANALYSIS)]


@router.get("/analysis")
def workspace(request: Request, session: DbSession, principal: Analyst) -> Response:
    """The scenario form and the runs the caller may see."""
    language = request_language(request)
    return render(request, session, "analysis/index.html", runs=runs.list_runs(session=session, principal=principal),
                  choices=forms.choices(session, principal, language), state_labels=forms.STATE_LABELS,
                  recoveries=forms.RECOVERY_LABELS, rationing=forms.RATIONING_LABELS,
                  error=request.query_params.get("error"))


@router.post("/analysis/runs")
async def create(request: Request, session: DbSession, principal: Analyst, background: BackgroundTasks) -> Response:
    """Check the scenario and start it; the browser follows the job on the run's page."""
    form = await request.form()
    return await run_in_threadpool(_create, request, session, principal, background, form)


def _create(request: Request, session, principal: Principal, background: BackgroundTasks, form) -> Response:
    language = request_language(request)
    text = lambda name, default="": str(form.get(name) or default)[:200]  # noqa: E731
    try:
        spec = forms.spec_from_form(
            session, regions=[text(name) for name in forms.REGION_FIELDS],
            firms=[resolve_enterprise(session, principal, text(name)) for name in forms.FIRM_FIELDS],
            industries=[str(v)[:8] for v in form.getlist("industries")],
            chains=[str(v)[:32] for v in form.getlist("chains")], cut=text("cut"), duration=text("duration"),
            recovery=text("recovery", "step"), horizon=text("horizon"), rationing=text("rationing", "proportional"),
            on=text("on"))
        run = start_run(request, session, principal, spec, text("title"), background)
    except ScenarioRejected as error:
        return back("/analysis", error.translated(language))
    return back(f"/analysis/runs/{run.id}")


def _run_page(request: Request, session, principal: Principal, run_id: int) -> Response:
    language = request_language(request)
    run = runs.get_run(session=session, principal=principal, run_id=run_id)
    view = result_view(session=session, principal=principal, run=run, language=language)
    done = run.state is RunState.done
    others = [other for other in runs.list_runs(session=session, principal=principal)
              if other.id != run.id and other.state is RunState.done]
    return render(request, session, "analysis/run.html", view=view, run=run, done=done,
                  summary=scope_summary(view) if done else None, chart=charts.result_chart(view, language) if done
                  else None, table=charts.day_table(view, language) if done else None, others=others,
                  error_text=error_text(run, language), state_labels=forms.STATE_LABELS, on=on_date(view),
                  described=forms.describe(session, view.spec, language), page_limit=200)


@router.get("/analysis/runs/{run_id}")
def run_page(request: Request, session: DbSession, principal: Analyst, run_id: ObjectId) -> Response:
    """A run: its progress while the job runs, then its result."""
    return _run_page(request, session, principal, run_id)


@router.get("/analysis/runs/{run_id}/progress")
def progress(request: Request, session: DbSession, principal: Analyst, run_id: ObjectId) -> Response:
    """The progress bar (polled by htmx); once the job has ended, the page reloads to show the result."""
    run = runs.get_run(session=session, principal=principal, run_id=run_id)
    if run.state in (RunState.done, RunState.failed) and is_htmx(request):
        return HTMLResponse("", headers={"HX-Refresh": "true"})
    return render(request, session, "analysis/_progress.html", run=run, state_labels=forms.STATE_LABELS)


@router.get("/analysis/runs/{run_id}/export.{fmt}")
def export(request: Request, session: DbSession, principal: Analyst, run_id: ObjectId, fmt: str) -> Response:
    """The result as CSV or XLSX in the page's language."""
    if fmt not in ("csv", "xlsx"):
        return back(f"/analysis/runs/{run_id}")
    return export_response(request, session, principal, run_id, fmt, request_language(request))


RunChoice = Annotated[int | None, Query(ge=1, le=2_147_483_647)]


@router.get("/analysis/compare")
def compare(request: Request, session: DbSession, principal: Analyst, a: RunChoice = None, b: RunChoice = None
            ) -> Response:
    """Two runs side by side: national production per day, lowest levels by province and chain, hit enterprises;
    without both runs named, the form to choose them among the caller's finished runs."""
    if a is None or b is None:
        done = [run for run in runs.list_runs(session=session, principal=principal) if run.state is RunState.done]
        return render(request, session, "analysis/compare_choose.html", runs=done, a=a, b=b)
    language = request_language(request)
    views = [result_view(session=session, principal=principal, language=language,
                         run=runs.get_run(session=session, principal=principal, run_id=run_id)) for run_id in (a, b)]
    if any(view.run.state is not RunState.done for view in views):
        return back(f"/analysis/runs/{a}", error_text_not_done(language))
    return render(request, session, "analysis/compare.html", a=views[0], b=views[1],
                  chart=charts.compare_chart(views[0], views[1], language), rows=compare_rows(*views),
                  firms=same_firms(*views), summaries=[scope_summary(view) for view in views])


def error_text_not_done(language: str) -> str:
    """Why two runs cannot be compared yet."""
    return translate(_("Both runs must have finished to be compared."), language)


@router.get("/analysis/esri")
def esri_page(request: Request, session: DbSession, principal: Analyst,
              chain: Annotated[str, Query(max_length=32)] = "auto",
              region: Annotated[str, Query(pattern=r"^\d{0,2}$")] = "") -> Response:
    """The systemically important enterprises of a key chain and province, with what each score means."""
    language = request_language(request)
    region = region if principal.is_national else (principal.region_code or "")[:2]
    error, rows = None, []
    try:
        rows = systemic_ranking(session=session, principal=principal, chain=chain or None, region=region or None)
    except ScenarioRejected as refused:
        error = refused.translated(language)
    return render(request, session, "analysis/esri.html", rows=rows, chain=chain, region=region, error=error,
                  chains=chain_labels(session, language), provinces=names.provinces(session),
                  meanings=[(translate(label, language), translate(text, language)) for label, text in SCORE_MEANINGS], province_names=names.provinces(session))
