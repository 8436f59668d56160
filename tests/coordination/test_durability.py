"""Crash durability of the desk: a case the server acknowledged (201) survives a SIGKILL of the server, whole.

A real ``python -m chainkeeper serve`` subprocess (one uvicorn process, ``--workers 1``) runs on a fresh database:
PostgreSQL (a database created for the test from ``CHAINKEEPER_TEST_POSTGRES_URL`` and dropped afterwards; skipped
without it, failed when ``CHAINKEEPER_REQUIRE_POSTGRES=1``) and the embedded SQLite in WAL mode. Eight threads file
cases with API bearer tokens (an enterprise, a province, a city and the ministry) as fast as they can; once enough
cases were acknowledged the server is killed with SIGKILL in the middle of the load. After a restart on the same
database:

* every acknowledged case exists, with its ``submit`` timeline event and its ``case.submit`` audit event, and the
  restarted server serves it;
* no case is half-written (a case row without its submit event or its audit event, or an event without its case);
* at most one unacknowledged case per thread was committed (a request cut off after its commit);
* the audit chain verifies, and the restarted server answers and files new cases.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from coordination.desk_support import build_desk
from sqlalchemy import create_engine, select
from db_templates import drop_database, migrated_postgres, migrated_sqlite
from server_start import wait_until_up

from chainkeeper.audit.models import AuditEvent
from chainkeeper.audit.service import verify_chain
from chainkeeper.auth.models import User
from chainkeeper.auth.service import create_token
from chainkeeper.coordination.models import Case, CaseEvent
from chainkeeper.db import make_engine, unit_of_work, upgrade

THREADS = 8
KILL_AFTER_ACKS = 60  # acknowledged cases before the kill …
KILL_AFTER_SECONDS = 8.0  # … or this long after the load started, whichever comes first
TOKEN_USERS = ("oem", "jiangsu", "suzhou", "ministry")


# ------------------------------------------------------------------------------------------------------ databases


def _postgres_server_url() -> str:
    url = os.environ.get("CHAINKEEPER_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CHAINKEEPER_REQUIRE_POSTGRES") == "1":
        pytest.fail("CHAINKEEPER_REQUIRE_POSTGRES=1 but CHAINKEEPER_TEST_POSTGRES_URL is not set")
    pytest.skip("PostgreSQL not configured (set CHAINKEEPER_TEST_POSTGRES_URL)")


@pytest.fixture(params=("sqlite", "postgresql"))
def database(request, tmp_path):
    """(database URL for the server, or None for SQLite in the data dir; data dir) of a fresh, migrated database
    (a copy of one migrated once per run: tests/db_templates.py)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if request.param == "sqlite":
        yield migrated_sqlite(data_dir / "chainkeeper.db"), None, data_dir
        return
    server = _postgres_server_url()
    name = f"ck_durability_{uuid.uuid4().hex[:12]}"
    url = migrated_postgres(server, name)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        yield url, url, data_dir
    finally:
        drop_database(admin, name)
        admin.dispose()


# --------------------------------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path


def start_server(database_url: str | None, data_dir: Path, log: Path) -> Server:
    """``python -m chainkeeper serve --workers 1`` on the database; returns once /health answers."""
    port = _free_port()
    env = os.environ | {"CHAINKEEPER_DATA_DIR": str(data_dir), "CHAINKEEPER_DESK_TICK_SECONDS": "0",
                        "PYTHONUNBUFFERED": "1"}
    env.pop("CHAINKEEPER_DATABASE_URL", None)
    env.pop("CHAINKEEPER_WORKERS", None)
    if database_url:
        env["CHAINKEEPER_DATABASE_URL"] = database_url
    with log.open("wb") as handle:  # a file, not a pipe: an unread pipe fills up and blocks the server
        process = subprocess.Popen([sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port",
                                    str(port), "--workers", "1"], env=env, stdout=handle, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(process, server.url, lambda: log.read_text(errors="replace")[-3000:])
    except AssertionError as failure:
        stop(server)
        pytest.fail(str(failure))
    return server


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


# ----------------------------------------------------------------------------------------------------------- load


@dataclass
class Load:
    """What the clients saw: acknowledged case ids, attempts cut off by the crash, unexpected answers."""

    acked: dict[int, str] = field(default_factory=dict)  # case id → the thread's title
    cut_off: int = 0
    errors_before_kill: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    killed_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def case_bodies(desk) -> dict[str, dict]:
    """A valid case for each token user: the OEM itself; Jiangsu, Suzhou and the ministry for a firm in scope."""
    return {
        "oem": {"category": "parts_supply", "title": "线束断供", "blocking_uscc": desk.usccs["kunshan"]},
        "jiangsu": {"category": "logistics", "title": "物流受阻", "requester_id": desk.ids["wuxi"],
                    "blocking_uscc": desk.usccs["ningbo"]},
        "suzhou": {"category": "raw_materials", "title": "原料短缺", "requester_id": desk.ids["kunshan"],
                   "blocking_uscc": desk.usccs["wuxi"]},
        "ministry": {"category": "parts_supply", "title": "座椅断供", "requester_id": desk.ids["changchun"],
                     "blocking_uscc": desk.usccs["ningbo"]},
    }


def file_cases(url: str, token: str, body: dict, thread: int, load: Load, stop_event: threading.Event) -> None:
    """File cases one after another until the server is gone (or told to stop); record every answer."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        n = 0
        while not stop_event.is_set():
            n += 1
            title = f"{body['title']} t{thread}-{n}"
            try:
                response = client.post("/api/v1/desk/cases", json=body | {"title": title})
            except httpx.TransportError as error:
                with load.lock:
                    load.cut_off += 1
                    if load.killed_at is None:
                        load.errors_before_kill.append(f"{type(error).__name__}: {error}")
                if load.killed_at is not None:
                    return  # the server is gone
                time.sleep(0.05)
                continue
            with load.lock:
                if response.status_code == 201:
                    load.acked[response.json()["id"]] = title
                else:
                    load.unexpected.append(f"{response.status_code} {response.text[:300]}")


# ----------------------------------------------------------------------------------------------------------- test


def prepare(url: str, data_dir: Path) -> tuple[object, dict[str, str]]:
    """Migrate, build the desk's small world (firms, links, users) and an API token per filing user."""
    engine = make_engine(url)
    upgrade(engine)
    desk = build_desk(engine)
    tokens = {}
    with unit_of_work(engine) as session:
        for username in TOKEN_USERS:
            user = session.get(User, desk.user_ids[username])
            tokens[username] = create_token(session=session, user=user, name=f"durability-{username}").plaintext
    engine.dispose()
    return desk, tokens


def test_acknowledged_cases_survive_a_sigkill(database, tmp_path):
    url, server_url, data_dir = database
    desk, tokens = prepare(url, data_dir)
    bodies = case_bodies(desk)

    server = start_server(server_url, data_dir, tmp_path / "server-1.log")
    load, stop_event = Load(), threading.Event()
    try:
        assert _children(server.process.pid) == [], "serve --workers 1 must be one process (no worker children)"
        threads = [threading.Thread(target=file_cases, daemon=True,
                                    args=(server.url, tokens[TOKEN_USERS[i % len(TOKEN_USERS)]],
                                          bodies[TOKEN_USERS[i % len(TOKEN_USERS)]], i, load, stop_event))
                   for i in range(THREADS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while len(load.acked) < KILL_AFTER_ACKS and time.monotonic() - started < KILL_AFTER_SECONDS:
            time.sleep(0.01)
        with load.lock:
            load.killed_at = time.monotonic()
        os.kill(server.process.pid, signal.SIGKILL)  # mid-load: requests are in flight
        assert server.process.wait(timeout=10) == -signal.SIGKILL
        stop_event.set()
        for thread in threads:
            thread.join(timeout=40)
        assert not any(thread.is_alive() for thread in threads), "a client thread hung after the kill"
        with pytest.raises(httpx.TransportError):  # the killed process was the one serving the port
            httpx.get(f"{server.url}/health", timeout=2)
    finally:
        stop_event.set()
        stop(server)

    log = server.log.read_text(errors="replace")
    assert not load.errors_before_kill, (load.errors_before_kill[:3], log[-3000:])
    assert not load.unexpected, (load.unexpected[:3], log[-3000:])
    assert len(load.acked) >= 10, f"only {len(load.acked)} cases were acknowledged before the kill:\n{log[-3000:]}"

    restarted = start_server(server_url, data_dir, tmp_path / "server-2.log")
    try:
        engine = make_engine(url)
        with unit_of_work(engine) as session:
            cases = dict(session.execute(select(Case.id, Case.title)).all())
            submits = {row.case_id: row for row in session.scalars(
                select(CaseEvent).where(CaseEvent.action == "submit"))}
            audits = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "case",
                                                              AuditEvent.action == "case.submit")).all()
            audited = {int(event.object_id) for event in audits}
            orphans = session.scalars(select(CaseEvent.case_id)
                                      .where(CaseEvent.case_id.not_in(select(Case.id)))).all()
            check = verify_chain(session=session)
        engine.dispose()

        missing = sorted(set(load.acked) - set(cases))
        assert not missing, f"{len(missing)} acknowledged cases lost after SIGKILL: {missing[:20]}"
        assert all(cases[i] == title for i, title in load.acked.items()), "an acknowledged case changed"
        assert not sorted(set(load.acked) - set(submits)), "an acknowledged case lost its submit event"
        assert not sorted(set(load.acked) - audited), "an acknowledged case lost its audit event"
        half_written = sorted((set(cases) - set(submits)) | (set(cases) - audited) | set(submits) - set(cases)
                              | audited - set(cases))
        assert not half_written, f"half-written cases: {half_written[:20]}"
        assert not orphans, "timeline events without their case"
        assert len(audits) == len(audited), "a case with two submit audit events"
        unacknowledged = set(cases) - set(load.acked)
        assert len(unacknowledged) <= THREADS, f"{len(unacknowledged)} committed cases nobody was told about"
        assert check.ok, check
        print(f"{len(load.acked)} cases acknowledged, {load.cut_off} requests cut off by the kill, "
              f"{len(unacknowledged)} of those committed; {check}")

        ministry = httpx.Client(base_url=restarted.url, timeout=30,
                                headers={"Authorization": f"Bearer {tokens['ministry']}"})
        with ministry:
            for case_id in sorted(load.acked):
                answer = ministry.get(f"/api/v1/desk/cases/{case_id}")
                assert answer.status_code == 200, answer.text
                assert [step["action"] for step in answer.json()["timeline"]][:1] == ["submit"]
            listed = ministry.get("/api/v1/desk/cases", params={"page_size": 1})
            assert listed.status_code == 200 and listed.json()["total"] == len(cases)
            again = ministry.post("/api/v1/desk/cases", json=bodies["ministry"] | {"title": "重启后再报"})
            assert again.status_code == 201, again.text
    finally:
        stop(restarted)
