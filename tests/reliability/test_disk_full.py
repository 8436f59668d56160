"""Disk full (issue 10, finding 18): a clear, translated error from the CLI and the web, never a traceback or a plain
500; the WAL stays bounded and gives its space back; ``/health`` reports low disk.

Two ways to fill the disk, both real SQLite: ``PRAGMA max_page_count`` (SQLite's own SQLITE_FULL, runs everywhere)
and a tmpfs of a few MB mounted for the test (needs root and ``mount``; skipped with the reason otherwise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from reliability.support import cli_env, enterprise_file, run_cli
from sqlalchemy import Engine, event, func, select
from db_templates import migrated_sqlite
from web.pages.page_support import sign_in

from accounts_fixture import build_world
from chainkeeper.audit.service import verify_chain
from chainkeeper.config import get_settings
from chainkeeper.db import WAL_SIZE_LIMIT, checkpoint, make_engine, unit_of_work
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.app import create_app


def cap_pages(engine: Engine, extra_pages: int) -> None:
    """Every new connection of ``engine`` may grow the database by at most ``extra_pages`` pages."""
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _cap(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + extra_pages}")


@pytest.fixture
def small_world(tmp_path):
    """A migrated SQLite database with a small world (firms, one user per role)."""
    engine = make_engine(migrated_sqlite(tmp_path / "data" / "chainkeeper.db"))
    world = build_world(engine)
    yield engine, world
    engine.dispose()


def enterprise_count(engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(Enterprise))


def test_import_into_a_full_database_is_refused_clearly_on_the_web(small_world, tmp_path):
    engine, _world = small_world
    before = enterprise_count(engine)
    enterprise_file(tmp_path / "firms.csv", 800)
    client = TestClient(create_app(engine=engine), raise_server_exceptions=False, follow_redirects=False)
    token = sign_in(client, "user_province")
    cap_pages(engine, 4)
    client.cookies.set("ck_lang", "en")
    page = client.post("/import", data={"csrf_token": token, "kind": "enterprises"}, headers={"accept": "text/html"},
                       files={"file": ("firms.csv", (tmp_path / "firms.csv").read_bytes(), "text/csv")})
    assert page.status_code == 503 and page.headers["retry-after"] == "60"
    assert "disk is full" in page.text and "nothing was saved" in page.text and "<html" in page.text
    client.cookies.set("ck_lang", "zh_CN")
    api = client.post("/api/v1/tokens", json={"name": "x" * 60}, headers={"x-csrf-token": token})
    if api.status_code != 201:  # the tiny write may still fit in a free page; when it does not, JSON says why
        assert api.status_code == 503 and api.json()["error"]["code"] == "disk_full"
        assert "磁盘已满" in api.json()["error"]["message"]
    assert enterprise_count(engine) == before
    with unit_of_work(engine) as session:
        assert verify_chain(session=session).ok


def test_import_into_a_full_database_is_one_clear_cli_line(small_world, tmp_path, monkeypatch, capsys):
    """The CLI entry point (in process, so the page cap applies to its engine too) prints one line, exit 75."""
    from chainkeeper.cli.main import run

    enterprise_file(tmp_path / "firms.csv", 800)

    @event.listens_for(Engine, "connect")
    def _cap_every_engine(dbapi_connection, _record):
        if "chainkeeper.db" in str(dbapi_connection.execute("PRAGMA database_list").fetchone()[2]):
            dbapi_connection.execute("PRAGMA max_page_count=" + str(
                dbapi_connection.execute("PRAGMA page_count").fetchone()[0] + 4))

    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CHAINKEEPER_LANGUAGE", "en")
    monkeypatch.setattr("sys.argv", ["chainkeeper", "import", "enterprises", str(tmp_path / "firms.csv")])
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as exit_info:
            run()
    finally:
        event.remove(Engine, "connect", _cap_every_engine)
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert exit_info.value.code == 75
    assert "Traceback" not in err and "disk is full" in err and "nothing was saved" in err, err


def test_wal_is_bounded_and_given_back(tmp_path):
    """A transaction larger than the WAL limit grows the WAL; the next checkpointed write shrinks it back to the
    limit, and an explicit checkpoint (the desk's clock, or after a disk-full error) empties it."""
    path = tmp_path / "wal.db"
    engine = make_engine(migrated_sqlite(path))
    wal = Path(f"{path}-wal")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE filler (blob BLOB)")
        connection.exec_driver_sql("INSERT INTO filler SELECT randomblob(8192) FROM "
                                   "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
                                   "SELECT i FROM n)")
    assert wal.stat().st_size > 2 * WAL_SIZE_LIMIT
    for _ in range(3):  # the automatic checkpoint runs on commit; the WAL is reset (and truncated) by the next writer
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO filler VALUES (x'00')")
    assert wal.stat().st_size <= WAL_SIZE_LIMIT
    checkpoint(engine)
    assert wal.stat().st_size == 0
    engine.dispose()


# ---------------------------------------------------------------------------------------- a real small filesystem


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs mounted for the test (root only)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_on_a_small_filesystem(small_disk, tmp_path):
    """The real CLI on a full disk: one clear line, exit 75, nothing half-written, the WAL given back; the web then
    reports low disk on /health and answers a write with 503 disk_full."""
    data_dir = small_disk / "data"
    env = cli_env(None, data_dir)
    assert run_cli(env, "db", "upgrade").returncode == 0
    enterprise_file(tmp_path / "firms.csv", 6000)
    done = run_cli(env, "import", "enterprises", str(tmp_path / "firms.csv"))
    assert done.returncode == 75, (done.stdout[-1000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "disk is full" in done.stderr, done.stderr[-2000:]
    wal = data_dir / "chainkeeper.db-wal"
    assert not wal.exists() or wal.stat().st_size <= WAL_SIZE_LIMIT

    engine = make_engine(f"sqlite:///{data_dir / 'chainkeeper.db'}")
    assert enterprise_count(engine) == 0
    with unit_of_work(engine) as session:
        assert verify_chain(session=session).ok
    client = TestClient(create_app(engine=engine), raise_server_exceptions=False)
    health = client.get("/health").json()
    assert health["status"] == "low_disk" and health["disk"]["ok"] is False
    engine.dispose()
