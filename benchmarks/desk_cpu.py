"""Benchmark: server CPU per request of the coordination desk's pages, in-process, on the desk_load database.

    PYTHONPATH=src python benchmarks/desk_cpu.py postgresql+psycopg://chainkeeper:chainkeeper@127.0.0.1:5432/ck_perfapi_desk \
        --workdir /tmp/perfapi/desk --requests 40 [--profile 25] [--bodies /tmp/deskcpu/after]

Runs the app of the ``src`` on ``PYTHONPATH`` (so main's code exported with ``git archive`` is the baseline: run it
alternating with the branch's) with FastAPI's TestClient in this process, signs in as the ministry, a province and a
city user of ``benchmarks/desk_load.py``'s database, and for each of the desk's measured pages (queue page 1, page
5, the open-cases filter, a case page, the queue API) warms up, then times ``--requests`` requests: CPU of this
process (``time.process_time``: the app's threads and the client, which is a small fixed part) and wall, per
request. ``--profile N`` prints the top N functions by own time and by cumulative time over all pages (CPU time of the app's
threads, warm-up included; the timings of a profiled run are inflated, so time without it).
``--mix ROUNDS`` instead replays ``desk_load.py``'s request mix (its 20 users, ROUNDS shuffled rounds each, users
interleaved, one request at a time) and prints per endpoint the CPU of this process and of the PostgreSQL backend
that served each request (``/proc/<backend pid>/stat``, PostgreSQL on this machine), the page cache's misses
included as under load: where the database's share of a desk request goes.
``--mix ROUNDS --writes N`` files a case through the queue API (as ``desk_load.py --writes`` does) after every N
requests of the mix, so the kept pages and answers end as they do under filings; the filings' own CPU is printed
apart ("filing"), not in the endpoints'.
``--bodies DIR`` writes every response body (the CSRF token blanked) so two versions can be compared byte for
byte (``diff -r``). The data does not change (no writes), so the page cache keeps what it may between requests, as
it does in the server between the views of one scope.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import threading
import time
from pathlib import Path

PASSWORD = "desk-bench-2022"
USERS = ("desk_ministry", "desk_p32", "desk_c3101")


def pages(case_id: int) -> dict[str, str]:
    """The measured requests: label → URL."""
    return {"queue p1": "/desk", "queue p5": "/desk?page=5", "queue open": "/desk?state=open",
            "queue region": "/desk?category=logistics", "case page": f"/desk/cases/{case_id}",
            "api list p1": "/api/v1/desk/cases", "api list open": "/api/v1/desk/cases?open_only=true&page=2"}


def sample_case(client) -> int:
    """A case the signed-in user may see (the API's first page)."""
    return client.get("/api/v1/desk/cases?page_size=3").json()["items"][2]["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/perfapi/desk"))
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", type=int, default=0, help="print the top N functions of a cProfile")
    parser.add_argument("--bodies", type=Path, help="write each response body here (CSRF token blanked)")
    parser.add_argument("--mix", type=int, default=0, help="replay desk_load.py's mix: this many rounds per user")
    parser.add_argument("--writes", type=int, default=0, help="with --mix: file a case after every N requests")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ["CHAINKEEPER_DATA_DIR"] = str(args.workdir)
    os.environ["CHAINKEEPER_DESK_TICK_SECONDS"] = "0"
    from fastapi.testclient import TestClient

    from chainkeeper.db import make_engine
    from chainkeeper.web.app import create_app

    import chainkeeper
    print(f"code: {Path(chainkeeper.__file__).parent}; load average {os.getloadavg()[0]:.1f}")
    engine = make_engine(args.database_url)
    app = create_app(engine=engine)
    profilers: list[cProfile.Profile] = []

    def start_profiler(frame, event, arg):  # every thread the app starts (event loop, worker threads) profiles itself
        profiler = cProfile.Profile(time.thread_time)  # CPU of the thread, not wall (waits on the database)
        profilers.append(profiler)
        profiler.enable()

    if args.profile:
        threading.setprofile(start_profiler)
    if args.mix:
        replay_mix(app, engine, args)
        engine.dispose()
        threading.setprofile(None)
        print_profile(profilers, args.profile)
        return
    results = {}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for username in USERS:
            client.cookies.clear()
            assert client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).status_code == 200
            for label, url in pages(sample_case(client)).items():
                for _ in range(3):
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                if args.bodies:
                    args.bodies.mkdir(parents=True, exist_ok=True)
                    body = re.sub(r'(name="csrf_token" value=|csrf-token" content=|"x-csrf-token": )"[^"]*"', r'\1""',
                                  response.text)
                    (args.bodies / f"{username}-{label.replace(' ', '_')}.txt").write_text(body)
                cpu, wall = [], []
                for _ in range(args.requests):
                    c0, w0 = time.process_time(), time.perf_counter()
                    client.get(url)
                    cpu.append((time.process_time() - c0) * 1000)
                    wall.append((time.perf_counter() - w0) * 1000)
                results.setdefault(label, []).append((statistics.median(cpu), statistics.median(wall)))
    engine.dispose()
    print(f"{'page':16} " + " ".join(f"{u + ' cpu/wall ms':>26}" for u in USERS) + f" {'mean cpu':>9}")
    for label, per_user in results.items():
        print(f"{label:16} " + " ".join(f"{c:14.1f} /{w:9.1f}" for c, w in per_user) +
              f" {statistics.mean(c for c, _ in per_user):9.1f}")
    print(json.dumps({label: [round(c, 2) for c, _ in per_user] for label, per_user in results.items()}))
    threading.setprofile(None)
    print_profile(profilers, args.profile)


def print_profile(profilers: list, top: int) -> None:
    """The top ``top`` functions by own and by cumulative time, over every profiled thread."""
    if profilers:
        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(*profilers, stream=out).sort_stats(key).print_stats(top)
            text = out.getvalue()
            print(f"\n--- top {top} by {key} ---\n" + text[text.index("   ncalls"):])


def backend_cpu(pids) -> float:
    """CPU seconds of the PostgreSQL backends ``pids`` (``/proc/<pid>/schedstat``: nanoseconds on a CPU, not ticks)."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        except FileNotFoundError:
            continue
    return total / 1e9


def statement_shape(statement: str) -> str:
    """A statement without its literal values, shortened: what the per-statement table groups by."""
    shape = re.sub(r"'[^']*'|\b\d+\b", "?", " ".join(statement.split()))
    return shape[:150]


def measured(pids, request, executed: list[int]) -> tuple[float, float, int]:
    """CPU of this process and of PostgreSQL (ms) and the statements sent around ``request()`` (must answer 2xx)."""
    c0, p0, s0 = time.process_time(), backend_cpu(pids), executed[0]
    response = request()
    c1, p1 = time.process_time(), backend_cpu(pids)
    assert response.status_code in (200, 201), (response.request.url, response.status_code)
    return (c1 - c0) * 1000, (p1 - p0) * 1000, executed[0] - s0


def filer(app, load_args, seed: int):
    """A function that files one case through the queue API as desk_writes.py's ministry client does."""
    import random

    from fastapi.testclient import TestClient

    from desk_writes import case_body, writer_setup

    token, firms = writer_setup(load_args)
    client = TestClient(app, base_url="http://127.0.0.1", headers={"Authorization": f"Bearer {token}"})
    rng, filed = random.Random(seed), iter(range(10 ** 9))
    return lambda: client.post("/api/v1/desk/cases", json=case_body(rng, firms, next(filed)))


def replay_mix(app, engine, args) -> None:
    """desk_load.py's users and request mix, one request at a time: CPU of this process and of PostgreSQL."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import random

    import desk_load

    pids: set[int] = set()
    statements: dict[str, list[float]] = {}
    executed = [0]  # statements sent so far

    @event.listens_for(engine, "connect")
    def _note_pid(dbapi_connection, record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        record.info["pid"] = cursor.fetchone()[0]
        pids.add(record.info["pid"])
        cursor.close()

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["pg_cpu"] = backend_cpu([conn.connection.info["pid"]])

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany) -> None:
        spent = backend_cpu([conn.connection.info["pid"]]) - conn.info.pop("pg_cpu")
        statements.setdefault(statement_shape(statement), []).append(spent * 1000)
        executed[0] += 1

    engine.dispose()  # every connection from here on notes its backend
    built = json.loads((args.workdir / "desk_load.json").read_text())
    load_args = argparse.Namespace(database_url=None, database=engine.url.database)
    samples = desk_load.load_samples(load_args, built["users"])
    names = desk_load.accounts(built["users"], 20)
    clients, rounds = [], []
    for index, username in enumerate(names):
        client = TestClient(app, base_url="http://127.0.0.1")
        client.__enter__()
        assert client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).status_code == 200
        rnd = random.Random(args.seed * 1000 + index)
        clients.append(client)
        rounds.append([request for _ in range(args.mix) for request in desk_load.request_mix(samples[username], rnd)])
    by_endpoint: dict[str, list[tuple[float, float]]] = {}
    file_case = filer(app, load_args, args.seed) if args.writes else None
    try:
        for step in range(len(rounds[0])):
            for index, (client, requests) in enumerate(zip(clients, rounds)):
                endpoint, url = requests[step]
                if file_case and (step * len(clients) + index) % args.writes == args.writes - 1:
                    by_endpoint.setdefault("filing", []).append(measured(pids, file_case, executed))
                by_endpoint.setdefault(endpoint, []).append(measured(pids, lambda: client.get(url), executed))
    finally:
        for client in clients:
            client.__exit__(None, None, None)
    print(f"\nstatements by PostgreSQL CPU (backend's schedstat around each execute; BEGIN/COMMIT not included):")
    total = sum(sum(v) for v in statements.values())
    for shape, spent in sorted(statements.items(), key=lambda item: -sum(item[1]))[:12]:
        print(f"  {sum(spent):8.1f} ms ({sum(spent) / total:4.0%}) {len(spent):5d}× {sum(spent) / len(spent):6.2f} ms  "
              f"{shape}")
    everything = [value for endpoint, values in by_endpoint.items() if endpoint != "filing" for value in values]
    print(f"{'endpoint':20} {'requests':>8} {'app ms':>8} {'PostgreSQL ms':>14} {'statements':>10} (means per request)")
    for endpoint, values in sorted(by_endpoint.items()) + [("all", everything)]:
        print(f"{endpoint:20} {len(values):8d} {statistics.mean(v[0] for v in values):8.2f} "
              f"{statistics.mean(v[1] for v in values):14.2f} {statistics.mean(v[2] for v in values):10.2f}")


if __name__ == "__main__":
    sys.exit(main())
