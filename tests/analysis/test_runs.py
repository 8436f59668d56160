"""Simulation runs on the registry: scenario checks, the job's life (done, failed, orphaned), scoped results."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import update

from chainkeeper.analysis import runs
from chainkeeper.analysis.models import AnalysisRun, RunState
from chainkeeper.analysis.results import error_text, result_view
from chainkeeper.analysis.scenario import ScenarioRejected, ScenarioSpec
from chainkeeper.audit.actor import Actor
from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound

JIANGSU_STOP = ScenarioSpec(cut=1.0, duration=20, horizon_days=20, regions=("32", "33"))


def principal(desk, username):
    with unit_of_work(desk.engine) as session:
        return principal_of(session.get(User, desk.user_ids[username]))


def start(desk, username: str, spec: ScenarioSpec) -> int:
    who = principal(desk, username)
    with unit_of_work(desk.engine) as session:
        return runs.create_run(session=session, principal=who, actor=Actor(who.user_id, who.username),
                               spec=spec).id


def finished(desk, username: str, spec: ScenarioSpec) -> AnalysisRun:
    return runs.run_now(desk.engine, start(desk, username, spec))


@pytest.mark.parametrize("spec, field, value", [
    (ScenarioSpec(cut=0.9, regions=("99",)), "regions", "99"),
    (ScenarioSpec(cut=0.9, regions=("3299",)), "regions", "3299"),
    (ScenarioSpec(cut=0.9, regions=("3x",)), "regions", "3x"),
    (ScenarioSpec(cut=0.9, industries=("9999",)), "industries", "9999"),
    (ScenarioSpec(cut=0.9, chains=("spaceships",)), "chains", "spaceships"),
    (ScenarioSpec(cut=0.9, firms=("91320583MA0000000X",)), "firms", "91320583MA0000000X"),
    (ScenarioSpec(cut=1.5, regions=("32", "33")), "cut", "1.5"),
    (ScenarioSpec(cut=0.5, regions=("32",), horizon_days=0), "horizon_days", "0"),
    (ScenarioSpec(cut=0.5, regions=("32",), recovery="linear", duration=None), "duration", ""),
])
def test_unknown_or_out_of_range_values_are_refused_by_name(desk, spec, field, value):
    with pytest.raises(ScenarioRejected) as refused:
        start(desk, "analyst", spec)
    assert refused.value.field == field and value in str(refused.value)
    assert refused.value.translated("zh_CN") != str(refused.value)  # the message exists in Chinese
    with unit_of_work(desk.engine) as session:
        assert session.query(AnalysisRun).count() == 0


def test_a_regional_user_cannot_cut_a_firm_outside_its_scope_by_name(desk):
    with pytest.raises(ScenarioRejected) as refused:
        start(desk, "jiangsu", ScenarioSpec(cut=0.9, firms=(desk.usccs["ningbo"],)))
    assert refused.value.field == "firms"


def test_a_jiangsu_stop_starves_changchun_and_is_kept(desk):
    run = finished(desk, "analyst", JIANGSU_STOP)
    assert run.state is RunState.done and run.progress == 1.0 and run.error is None
    series = run.series
    assert len(series["national"]) == 20 and min(series["national"]) < 1.0
    assert min(series["provinces"]["22"]) < 0.9  # Jilin's OEM runs short once its 3-day harness stock is gone
    with unit_of_work(desk.engine) as session:
        view = result_view(session=session, principal=principal(desk, "analyst"), run=session.get(AnalysisRun, run.id))
    oem = next(hit for hit in view.hits if hit.uscc == desk.usccs["changchun"])
    assert not oem.shocked and 1 <= oem.first_below_90 < 20  # it lives on its stock first
    assert oem.limiting_industry == "3670" and oem.name == "长春整车有限公司" and oem.region_name == "朝阳区"
    assert oem.min_level < 0.9 and view.outside == []


def test_outside_the_scope_only_totals(desk):
    national = finished(desk, "analyst", JIANGSU_STOP)
    own = finished(desk, "jiangsu", JIANGSU_STOP)
    jiangsu = principal(desk, "jiangsu")
    with unit_of_work(desk.engine) as session:
        with pytest.raises(NotFound):  # the analyst's run is not the Jiangsu user's to read
            runs.get_run(session=session, principal=jiangsu, run_id=national.id)
        assert [run.id for run in runs.list_runs(session=session, principal=jiangsu)] == [own.id]
        view = result_view(session=session, principal=jiangsu, run=runs.get_run(session=session, principal=jiangsu,
                                                                                  run_id=own.id))
        names = {hit.name for hit in view.hits}
        assert names == {"昆山线束有限公司", "无锡芯片有限公司"} and all(hit.shocked for hit in view.hits)
        assert [(t.province_code, t.firms) for t in view.outside] == [("22", 1), ("33", 1)] and view.outside[0].lowest < 0.9
        assert view.outside[0].province_name == "吉林省"
        assert "长春整车有限公司" not in repr(view.hits) + repr(view.outside)


def test_a_failing_job_is_a_failed_run_with_a_translated_message(desk):
    run_id = start(desk, "analyst", JIANGSU_STOP)

    def broken_loader(session):
        raise RuntimeError("disk on fire")

    runs.execute_run(desk.engine, run_id, loader=broken_loader)
    with unit_of_work(desk.engine) as session:
        run = session.get(AnalysisRun, run_id)
        assert run.state is RunState.failed and run.finished_at is not None
        english, chinese = error_text(run, "en"), error_text(run, "zh_CN")
    assert f"run {run_id}" in english and "disk on fire" not in english and "Traceback" not in english
    assert "失败" in chinese


def test_the_registry_changing_under_a_queued_run_fails_it_clearly(desk):
    run_id = start(desk, "analyst", ScenarioSpec(cut=0.9, firms=(desk.usccs["wuxi"],)))
    with unit_of_work(desk.engine) as session:  # the spec now names a region that does not exist
        session.execute(update(AnalysisRun).where(AnalysisRun.id == run_id).values(
            spec=ScenarioSpec(cut=0.9, regions=("99",)).to_json()))
    run = runs.run_now(desk.engine, run_id)
    assert run.state is RunState.failed and error_text(run, "en") == "No such region: 99."


def test_jobs_of_a_dead_process_are_failed_on_startup(desk):
    queued, running = start(desk, "analyst", JIANGSU_STOP), start(desk, "analyst", JIANGSU_STOP)
    alive = start(desk, "analyst", JIANGSU_STOP)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = f"{runs.worker_id().rpartition(':')[0]}:{dead.stdout.strip()}"
    with unit_of_work(desk.engine) as session:
        session.execute(update(AnalysisRun).where(AnalysisRun.id.in_([queued, running])).values(worker=gone))
        session.execute(update(AnalysisRun).where(AnalysisRun.id == running).values(state=RunState.running))
    assert runs.recover_orphans(desk.engine) == 2
    with unit_of_work(desk.engine) as session:
        states = {i: session.get(AnalysisRun, i).state for i in (queued, running, alive)}
        assert "server stopped" in session.get(AnalysisRun, running).error
    assert states == {queued: RunState.failed, running: RunState.failed, alive: RunState.queued}
