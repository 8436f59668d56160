"""``chainkeeper serve`` starts without the heavy libraries only some requests need (debt 1 of sprint 6).

Before: the server loaded numba (the simulation kernels), scipy.optimize (the docking solver), openpyxl (XLSX
exports) and reportlab (the briefing PDF) at start-up: about a third of its 6 s of CPU before the first ``/health``
(docs/benchmarks.md, "Start-up"). Each is now imported by the function that uses it; this test keeps it so, in a fresh
interpreter that imports what ``serve`` imports and builds the application. The libraries still load, and work, on
first use: the last test runs an allocation and a simulation in that same kind of interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[2] / "src"
DEFERRED = ("numba", "scipy.optimize", "openpyxl", "reportlab")


def _run(code: str, data_dir: Path) -> dict:
    """Run ``code`` (which prints one JSON document) in a fresh interpreter with this worktree's source first."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "CHAINKEEPER_DATA_DIR": str(data_dir)}
    env.pop("CHAINKEEPER_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_serve_builds_the_app_without_the_heavy_libraries(tmp_path):
    loaded = _run(
        "import json, sys\n"
        "import chainkeeper.cli.main, uvicorn\n"
        "from chainkeeper.cli.common import open_engine\n"
        "from chainkeeper.web.app import create_app\n"
        "app = create_app(engine=open_engine())\n"
        f"print(json.dumps({{name: name in sys.modules for name in {DEFERRED!r}}}))\n",
        tmp_path,
    )
    assert loaded == {name: False for name in DEFERRED}


def test_the_deferred_libraries_load_on_first_use(tmp_path):
    loaded = _run(
        "import json, sys\n"
        "import chainkeeper.web.app\n"
        "from chainkeeper.docking.allocation import Demand, Supply, allocate\n"
        "from chainkeeper.network import Shock, SupplyNetwork, simulate\n"
        "result = allocate([Supply('s', 10.0, (114.3, 30.6))], [Demand('d', 4.0, 1, (114.3, 30.6))])\n"
        "net = SupplyNetwork.from_edges([0], [1], [1.0], [0, 1], [[0, 2], [0, 0]])\n"
        "run = simulate(net, [Shock(cut=0.5, firms=[0], duration=2)], days=3)\n"
        "print(json.dumps({'served': result.served, 'days': len(run.production),\n"
        "                  'numba': 'numba' in sys.modules}))\n",
        tmp_path,
    )
    assert loaded == {"served": 4.0, "days": 3, "numba": True}
