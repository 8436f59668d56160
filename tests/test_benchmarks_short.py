"""The benchmarks' short mode for CI (issue 15): every goal's script runs in it, the desk's included."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def short_scripts() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("benchmarks_short", BENCHMARKS / "short.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SCRIPTS


def test_short_mode_runs_every_goal_and_each_script_has_one() -> None:
    scripts = short_scripts()
    for goal in ("network_esri.py", "network_simulate.py", "import_links.py", "web_cpu.py", "desk_load.py"):
        assert goal in scripts
    for script in scripts:
        assert 'add_argument("--short"' in (BENCHMARKS / script).read_text(encoding="utf-8"), script


def test_the_desk_short_mode_skips_without_a_postgresql_server() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CHAINKEEPER_TEST_POSTGRES_URL"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run([sys.executable, str(BENCHMARKS / "desk_load.py"), "--short"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stdout


def test_the_desk_benchmark_folds_the_counter_deltas_before_each_run(engine):
    """Failed before: nothing folded the deltas that ``--writes`` runs leave (the desk's tick is off beside the
    benchmark), so each run's counts read more rows than the last (issue 15, lane deskprov)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the desk benchmark runs on PostgreSQL")
    from coordination.desk_support import build_desk
    from coordination.test_case_counts import file_cases
    from sqlalchemy import text

    file_cases(build_desk(engine), 12)
    spec = importlib.util.spec_from_file_location("desk_data", BENCHMARKS / "desk_data.py")
    desk_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(desk_data)
    assert desk_data.fold_counts(engine.url.render_as_string(hide_password=False)) > 0
    with engine.connect() as connection:
        repeated = connection.scalar(text("SELECT count(*) FROM (SELECT 1 FROM desk_case_count GROUP BY kind, prefix, "
                                          "state, category, overdue HAVING count(*) > 1) AS keys"))
    assert repeated == 0
    assert "fold_counts(database_url(args))" in (BENCHMARKS / "desk_load.py").read_text(encoding="utf-8")
