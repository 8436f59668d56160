"""Simulation runs: create one for a checked scenario, run it (in a job), keep its compact result, list and fetch.

Who sees a run: national users every run; a regional user the runs of users of its region and the shared ones (the
demo's, ``owner_id`` None). What a viewer sees *inside* a run is narrowed further by :mod:`.results`.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import Engine, insert, or_, select, true, update
from sqlalchemy.orm import Session

from chainkeeper.analysis.warnings import stored
from chainkeeper.analysis.loader import RegistryNetwork
from chainkeeper.analysis.models import AnalysisHit, AnalysisRun, RunState
from chainkeeper.analysis.scenario import ResolvedScenario, ScenarioRejected, ScenarioSpec, resolve
from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.coordination.impact import _index_of, cached_registry_network
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound
from chainkeeper.i18n import _
from chainkeeper.network import Shock
from chainkeeper.network.errors import NetworkInputError
from chainkeeper.reference.models import KeyChainIndustry
from chainkeeper.registry.models import Enterprise

log = logging.getLogger(__name__)
ROUND = 6  # daily levels kept to 1e-6 of baseline
PROGRESS_EVERY = 0.5  # seconds between progress writes
UNEXPECTED = _("The simulation failed unexpectedly (run {run}); the administrators find the details in the server "
               "log.")
ORPHANED = _("The server stopped while this simulation was running; run it again.")


def worker_id() -> str:
    """This process: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ------------------------------------------------------------------------------------------------ create and read
def create_run(*, session: Session, principal: Principal | None, actor: Actor, spec: ScenarioSpec,
               title: str = "") -> AnalysisRun:
    """Check ``spec`` (refused with :class:`ScenarioRejected`), store a queued run and audit it.

    ``principal`` None: a shared run (the demo's, the CLI's). The caller submits the job after committing.
    """
    visible = enterprise_scope(principal) if principal is not None else true()
    resolved = resolve(session, spec, visible=visible)
    run = AnalysisRun(title=(title.strip() or default_title(resolved))[:200], spec=spec.to_json(),
                      owner_id=principal.user_id if principal else None, owner_name=actor.name[:200],
                      owner_region=(principal.region_code or "") if principal and not principal.is_national else "",
                      state=RunState.queued, progress=0.0, worker=worker_id())
    session.add(run)
    session.flush()
    record(session=session, actor=actor, action="analysis.run", object_type="analysis_run", object_id=run.id,
           after={"title": run.title, "spec": run.spec, "firms_cut": len(resolved.enterprise_ids)})
    return run


def default_title(resolved: ResolvedScenario) -> str:
    """A title from what the scenario names: "上海市 −90% 30d"."""
    spec = resolved.spec
    names = list(resolved.region_names.values()) + list(resolved.firm_names.values()) + list(spec.industries) + \
        list(spec.chains)
    days = f" {spec.duration}d" if spec.duration else ""
    return f"{'、'.join(names[:3]) or '—'} −{round(spec.cut * 100)}%{days}"


def visible_runs(principal: Principal):
    """The condition 'the principal may see this run'."""
    if principal.is_national:
        return AnalysisRun.id.is_not(None)
    region = principal.region_code or "-"
    return or_(AnalysisRun.owner_id.is_(None), AnalysisRun.owner_region.like(f"{region}%"))


def list_runs(*, session: Session, principal: Principal, limit: int = 100) -> list[AnalysisRun]:
    """The runs the principal may see, newest first."""
    query = select(AnalysisRun).where(visible_runs(principal)).order_by(AnalysisRun.id.desc()).limit(limit)
    return list(session.scalars(query))


def get_run(*, session: Session, principal: Principal, run_id: int) -> AnalysisRun:
    """One run the principal may see (NotFound otherwise, so ids of other regions' runs leak nothing)."""
    run = session.scalar(select(AnalysisRun).where(AnalysisRun.id == run_id, visible_runs(principal)))
    if run is None:
        raise NotFound(f"no analysis run {run_id}")
    return run


# --------------------------------------------------------------------------------------------------- the job
class _Progress:
    """Writes the job's progress at most every :data:`PROGRESS_EVERY` seconds, each in its own short transaction."""

    def __init__(self, engine: Engine, run_id: int):
        self.engine, self.run_id, self.last = engine, run_id, 0.0

    def __call__(self, share: float, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        with unit_of_work(self.engine) as session:
            session.execute(update(AnalysisRun).where(AnalysisRun.id == self.run_id)
                            .values(progress=round(min(max(share, 0.0), 1.0), 3)))


def _start(engine: Engine, run_id: int) -> ScenarioSpec | None:
    with unit_of_work(engine) as session:
        run = session.get(AnalysisRun, run_id)
        if run is None or run.state is not RunState.queued:
            return None
        run.state, run.started_at, run.worker = RunState.running, _now(), worker_id()
        return ScenarioSpec.from_json(run.spec)


def fail(engine: Engine, run_id: int, template: str, **params) -> None:
    """Mark the run failed with a message (an English template, translated when shown)."""
    with unit_of_work(engine) as session:
        session.execute(update(AnalysisRun).where(AnalysisRun.id == run_id).values(
            state=RunState.failed, error=template[:500], error_params=params or None, finished_at=_now()))


def execute_run(engine: Engine, run_id: int, *, loader: Callable[[Session], RegistryNetwork] | None = None) -> None:
    """Run a queued run to its end: done with its result, or failed with a clear message (never raises)."""
    try:
        spec = _start(engine, run_id)
        if spec is None:
            return
        progress = _Progress(engine, run_id)
        with unit_of_work(engine) as session:
            resolved = resolve(session, spec)
            loaded = (loader or cached_registry_network)(session)
        progress(0.05, force=True)
        result, shocked = _simulate(loaded, resolved, progress)
        with unit_of_work(engine) as session:
            store_result(session, run_id, loaded, result, shocked)
    except ScenarioRejected as error:
        fail(engine, run_id, error.template, **error.params)
    except NetworkInputError as error:
        fail(engine, run_id, _("The engine refused the scenario: {reason}"), reason=str(error)[:300])
    except Exception:  # noqa: BLE001 - one job's failure must never take the worker down
        log.exception("analysis run %s failed", run_id)
        fail(engine, run_id, UNEXPECTED, run=run_id)


def _simulate(loaded: RegistryNetwork, resolved: ResolvedScenario, progress: _Progress):
    spec = resolved.spec
    shocked = _index_of(loaded, resolved.enterprise_ids)
    if shocked.size == 0:
        raise ScenarioRejected(_("The scenario hits no enterprise with supply links."), "regions")
    shock = Shock(cut=float(spec.cut), firms=shocked, duration=spec.duration, recovery=spec.recovery)
    from chainkeeper.network import simulate  # numba on first use, not at start-up

    result = simulate(loaded.network, [shock], days=spec.horizon_days, rationing=spec.rationing,
                      progress=lambda done, total: progress(0.05 + 0.9 * done / max(total, 1)))
    return result, shocked


# ----------------------------------------------------------------------------------------------- the result
def _levels(values: np.ndarray, baseline: float) -> list[float]:
    if baseline <= 0:
        return [1.0] * len(values)
    return [round(float(v) / baseline, ROUND) for v in values]


def chain_columns(session: Session, industries: list[str]) -> dict[str, list[int]]:
    """Key chain → columns of the loaded network's industries (class codes) that belong to it (by code prefix)."""
    members = session.execute(select(KeyChainIndustry.chain_code, KeyChainIndustry.industry_code)).all()
    columns: dict[str, list[int]] = {}
    for chain, prefix in members:
        hits = [k for k, code in enumerate(industries) if code.startswith(prefix)]
        if hits:
            columns.setdefault(chain, [])
            columns[chain] = sorted(set(columns[chain]) | set(hits))
    return columns


def build_series(session: Session, loaded: RegistryNetwork, result, shocked: np.ndarray) -> dict:
    """Production per day as a share of baseline: national, per province, per key chain; plus totals and warnings."""
    x0 = np.asarray(result.baseline_output, dtype=float)
    industry = np.asarray(loaded.network.industry)
    provinces = {}
    for column, code in enumerate(np.asarray(result.region_codes)):
        base = float(x0[loaded.province == int(code)].sum())
        provinces[f"{int(code):02d}"] = _levels(result.production_by_region[:, column], base)
    chains = {}
    for chain, cols in chain_columns(session, loaded.industries).items():
        base = float(x0[np.isin(industry, cols)].sum())
        chains[chain] = _levels(result.production_by_industry[:, cols].sum(axis=1), base)
    national = _levels(result.production, float(x0.sum()))
    lost = float(np.asarray(result.total_loss, dtype=float).sum())
    return {"days": len(national), "national": national, "provinces": provinces, "chains": chains,
            "lowest": min(national) if national else 1.0, "firms_cut": int(shocked.size),
            "lost_output_share": round(lost / max(float(x0.sum()) * len(national), 1e-12), ROUND),
            "warnings": [stored(w) for w in getattr(result, "warnings", ()) or ()]}


def _hit_rows(session: Session, run_id: int, loaded: RegistryNetwork, result, shocked: np.ndarray) -> list[dict]:
    below = np.flatnonzero(np.asarray(result.first_below_90) >= 0)
    ids = [int(loaded.enterprise_ids[i]) for i in below]
    counties = dict(session.execute(select(Enterprise.id, Enterprise.county_code)
                                    .where(Enterprise.id.in_(ids))).all()) if ids else {}
    is_shocked = np.zeros(loaded.network.n_firms, dtype=bool)
    is_shocked[shocked] = True
    x0 = np.asarray(result.baseline_output, dtype=float)
    rows = []
    for i in below:
        limiting = int(result.limiting_industry[i])
        fifty = int(result.first_below_50[i])
        enterprise_id = int(loaded.enterprise_ids[i])
        rows.append({
            "run_id": run_id, "enterprise_id": enterprise_id, "province_code": f"{int(loaded.province[i]):02d}",
            "city_code": f"{int(loaded.city[i]):04d}", "county_code": counties.get(enterprise_id, ""),
            "shocked": bool(is_shocked[i]), "first_below_90": int(result.first_below_90[i]),
            "first_below_50": fifty if fifty >= 0 else None, "min_level": round(float(result.min_level[i]), ROUND),
            "limiting_industry": loaded.industries[limiting] if limiting >= 0 else None,
            "lost_output": round(float(result.total_loss[i]) / max(float(x0[i]), 1e-12), 3),
        })
    return rows


def store_result(session: Session, run_id: int, loaded: RegistryNetwork, result, shocked: np.ndarray) -> None:
    """Keep the run's aggregates and hit firms and mark it done (``lost_output`` of a firm: in days of its output)."""
    rows = _hit_rows(session, run_id, loaded, result, shocked)
    if rows:
        session.execute(insert(AnalysisHit), rows)
    session.execute(update(AnalysisRun).where(AnalysisRun.id == run_id).values(
        state=RunState.done, progress=1.0, finished_at=_now(), series=build_series(session, loaded, result, shocked)))


def run_now(engine: Engine, run_id: int) -> AnalysisRun:
    """Run a queued run in this thread (CLI, demo) and return it as stored."""
    execute_run(engine, run_id)
    with unit_of_work(engine) as session:
        run = session.get(AnalysisRun, run_id)
        session.expunge(run)
        return run


# -------------------------------------------------------------------------------------------------- recovery
def _alive(worker: str | None) -> bool:
    host, _sep, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return host != socket.gethostname() and bool(host)  # another machine's job: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_orphans(engine: Engine) -> int:
    """Mark failed the queued or running jobs whose serving process on this host is gone; returns how many."""
    with unit_of_work(engine) as session:
        open_runs = session.execute(select(AnalysisRun.id, AnalysisRun.worker)
                                    .where(AnalysisRun.state.in_([RunState.queued, RunState.running]))).all()
        dead = [run_id for run_id, worker in open_runs if not _alive(worker)]
        if dead:
            session.execute(update(AnalysisRun).where(AnalysisRun.id.in_(dead)).values(
                state=RunState.failed, error=ORPHANED, finished_at=_now()))
    return len(dead)
