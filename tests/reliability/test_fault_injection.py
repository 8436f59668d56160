"""Fault injection under a steady load of filings and reads (issue 10, reliability): a PostgreSQL restart and a
12-second outage of a private cluster the test starts itself (the shared server is never touched).

While the database is away every answer is 503 with ``Retry-After`` in the API's error shape (never a 500 or a
dropped connection); afterwards the server recovers by itself; every acknowledged case is there, whole, and the
audit chain verifies. (SIGKILL under load: ``tests/coordination/test_durability.py``; two desk clocks at once:
``tests/coordination/test_tick.py``; concurrent imports and a token poller: ``test_concurrent_writers.py``; disk full:
``test_disk_full.py`` — together they are the fault-injection suite.)
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest
from coordination.test_durability import _free_port, case_bodies, prepare, start_server, stop
from reliability.private_postgres import private_postgres
from sqlalchemy import create_engine, select, text

from chainkeeper.audit.models import AuditEvent
from chainkeeper.audit.service import verify_chain
from chainkeeper.coordination.models import Case, CaseEvent
from chainkeeper.db import make_engine, unit_of_work

OUTAGE_SECONDS = 12


@pytest.fixture
def cluster():
    yield from private_postgres(_free_port())


@dataclass
class Traffic:
    """What the clients saw."""

    acked: dict[int, str] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)  # anything but 200/201 or a well-formed 503
    last_ok: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _record(traffic: Traffic, response: httpx.Response, expect: int, title: str | None = None) -> None:
    with traffic.lock:
        traffic.statuses[response.status_code] += 1
        if response.status_code == expect:
            traffic.last_ok = time.monotonic()
            if title is not None:
                traffic.acked[response.json()["id"]] = title
        elif response.status_code == 503:
            error = response.json().get("error", {})
            if error.get("code") != "database_unavailable" or "retry-after" not in response.headers:
                traffic.bad.append(f"503 {response.text[:200]}")
        else:
            traffic.bad.append(f"{response.status_code} {response.text[:300]}")


def load(url: str, token: str, body: dict, name: str, traffic: Traffic, halt: threading.Event) -> None:
    """File a case, read the list, again and again until halted."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        n = 0
        while not halt.is_set():
            n += 1
            title = f"{body['title']} {name}-{n}"
            try:
                _record(traffic, client.post("/api/v1/desk/cases", json=body | {"title": title}), 201, title)
                _record(traffic, client.get("/api/v1/desk/cases", params={"page_size": 5}), 200)
            except httpx.TransportError as error:
                with traffic.lock:
                    traffic.bad.append(f"transport: {error!r}")
            time.sleep(0.05)


def _wait_for_success(traffic: Traffic, after: float, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while traffic.last_ok <= after:
        assert time.monotonic() < deadline, f"no successful request {timeout} s after the database came back"
        time.sleep(0.2)


def test_restart_and_outage_under_load(cluster, tmp_path):
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE ck_faults"))
    admin.dispose()
    url = cluster.url.rsplit("/", 1)[0] + "/ck_faults"
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    desk, tokens = prepare(url, data_dir)
    bodies = case_bodies(desk)
    server = start_server(url, data_dir, tmp_path / "server.log")
    traffic, halt = Traffic(), threading.Event()
    users = ("oem", "jiangsu", "ministry")
    threads = [threading.Thread(target=load, daemon=True, args=(server.url, tokens[u], bodies[u], u, traffic, halt))
               for u in users]
    try:
        for thread in threads:
            thread.start()
        time.sleep(2)
        cluster.restart()
        restarted = time.monotonic()
        _wait_for_success(traffic, restarted)
        after_restart = traffic.last_ok - restarted
        before_outage = len(traffic.acked)
        cluster.stop()
        stopped = time.monotonic()
        during = httpx.get(f"{server.url}/api/v1/desk/cases", headers={"Authorization": f"Bearer {tokens['ministry']}"},
                           timeout=30)
        page = httpx.get(f"{server.url}/desk", headers={"accept": "text/html", "accept-language": "en"},
                         cookies={"ck_session": "x"}, timeout=30)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
        cluster.start()
        back = time.monotonic()
        _wait_for_success(traffic, back)
        after_outage = traffic.last_ok - back
        time.sleep(1)
    finally:
        halt.set()
        for thread in threads:
            thread.join(timeout=60)
        stop(server)

    log = server.log.read_text(errors="replace")
    assert during.status_code == 503 and during.headers["retry-after"] == "10"
    assert during.json()["error"]["code"] == "database_unavailable"
    assert page.status_code == 503 and "cannot be reached" in page.text and "<html" in page.text
    assert not traffic.bad, (traffic.bad[:5], log[-3000:])
    assert traffic.statuses[503] > 0, traffic.statuses  # the outage was seen …
    assert len(traffic.acked) > before_outage > 0  # … and filing went on before and after it

    engine = make_engine(url)
    try:
        with unit_of_work(engine) as session:
            cases = dict(session.execute(select(Case.id, Case.title)).all())
            submits = set(session.scalars(select(CaseEvent.case_id).where(CaseEvent.action == "submit")))
            audited = {int(i) for i in session.scalars(select(AuditEvent.object_id).where(
                AuditEvent.action == "case.submit"))}
            check = verify_chain(session=session)
    finally:
        engine.dispose()
    missing = sorted(set(traffic.acked) - set(cases))
    assert not missing, f"acknowledged cases lost: {missing[:10]}"
    assert all(cases[i] == title for i, title in traffic.acked.items())
    assert set(cases) == submits == audited, "a case without its submit event or audit event"
    assert check.ok, check
    print(f"{len(traffic.acked)} cases acknowledged; answers {dict(traffic.statuses)}; first success "
          f"{after_restart:.1f} s after the restart, {after_outage:.1f} s after the outage; {check}")
