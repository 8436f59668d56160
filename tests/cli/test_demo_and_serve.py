"""``chainkeeper demo`` fills an empty database; its export is importable; ``serve`` answers on a real port."""

import os
import socket
import subprocess
import sys

import httpx
from server_start import wait_until_up
from sqlalchemy import func, select
from chainkeeper.analysis.models import AnalysisRun, RunState
from chainkeeper.db import unit_of_work
from chainkeeper.docking.demo import HOSPITALS, PRODUCERS
from chainkeeper.registry.models import Enterprise, SupplyLink


def counts(engine):
    with unit_of_work(engine) as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Enterprise, SupplyLink))


def test_demo_fills_an_empty_database_once(cli, engine):
    first = cli("demo", "--firms", "400", "--seed", "3")
    assert first.exit_code == 0, first.output
    enterprises, links = counts(engine)
    with unit_of_work(engine) as session:  # the economy's 400, and the stories' own firms, each named 示例 (example)
        names = session.scalars(select(Enterprise.name)).all()
    stories = [name for name in names if "示例" in name]
    assert enterprises == 400 + len(stories) and links > 400
    assert len(stories) >= len(PRODUCERS) + len(HOSPITALS)  # the docking story's producers and hospitals at least
    with unit_of_work(engine) as session:  # the April 2022 scenario is kept as a result for the workspace
        run = session.scalars(select(AnalysisRun)).one()
        assert run.state is RunState.done and run.spec["regions"] == ["31"] and run.owner_id is None
        assert min(run.series["provinces"]["31"]) < 0.2
    again = cli("demo", "--firms", "400", "--seed", "3")
    assert again.exit_code == 0 and counts(engine) == (enterprises, links)


def test_demo_export_round_trips_through_import(cli, engine, tmp_path):
    assert cli("demo", "--firms", "300", "--export", str(tmp_path)).exit_code == 0
    for kind in ("products", "enterprises", "links"):
        assert (tmp_path / f"{kind}.xlsx").exists()
        result = cli("import", kind, str(tmp_path / f"{kind}.csv"))
        assert result.exit_code == 0, result.output
    enterprises, links = counts(engine)
    assert enterprises == 300 and links > 300
    assert cli("import", "links", str(tmp_path / "links.xlsx")).exit_code == 0
    assert counts(engine) == (enterprises, links)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_health_and_api(tmp_path):
    port = _free_port()
    env = os.environ | {"CHAINKEEPER_DATA_DIR": str(tmp_path)}
    env.pop("CHAINKEEPER_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "chainkeeper", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_up(server, f"http://127.0.0.1:{port}")
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30)
        assert health.json()["status"] == "ok"
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/enterprises").status_code == 401
        assert (tmp_path / "chainkeeper.db").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)
