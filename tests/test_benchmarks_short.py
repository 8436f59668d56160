"""The benchmarks' short mode for CI (issue 15): every goal's script runs in it, the desk's included."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

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
