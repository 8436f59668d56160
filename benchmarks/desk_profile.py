"""``desk_load.py --profile``: each desk page in-process, its SQL with times, EXPLAIN of the queue's statements and
the top of a cProfile."""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import sys
import threading
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk_data import PASSWORD, database_url
# the registry benchmark's helpers


# ------------------------------------------------------------------------------------------------------ profile


def profile(args, users: dict[str, list[str]], samples: dict) -> None:
    """One request of each page in-process: its SQL with times, EXPLAIN ANALYZE of the queue SQL, cProfile."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from chainkeeper.db import make_engine
    from chainkeeper.web.app import create_app

    engine = make_engine(database_url(args))
    statements: list[list] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        statements.append([statement, parameters, (time.perf_counter() - conn.info["started"].pop()) * 1000])

    app = create_app(engine=engine)
    for kind in ("province", "city", "ministry"):
        username = users[kind][0]
        sample = samples[username]
        rnd = random.Random(1)
        urls = {"queue p1": "/desk", "queue page 5": "/desk?page=5", "queue open": "/desk?state=open",
                "case page": f"/desk/cases/{rnd.choice(sample['ids'])}", "api list p1": "/api/v1/desk/cases"}
        print(f"\n=== {username} ({kind}, {sample['total']:,} visible cases) ===")
        for label, url in urls.items():
            profilers: list[cProfile.Profile] = []

            def start_profiler(frame, event_, arg, profilers=profilers):  # the app's threads (event loop, workers)
                profiler = cProfile.Profile()
                profilers.append(profiler)
                profiler.enable()

            with TestClient(app, base_url="http://127.0.0.1") as client:
                login = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
                assert login.status_code == 200, login.text
                for _ in range(3):  # warm
                    client.get(url)
                statements.clear()
                start = time.perf_counter()
                assert client.get(url).status_code == 200, url
                total = (time.perf_counter() - start) * 1000
                sql = sum(s[2] for s in statements)
                print(f"\n--- {label} {url}: {total:.1f} ms, {len(statements)} SQL statements, {sql:.1f} ms in SQL, "
                      f"{total - sql:.1f} ms outside")
                for statement, parameters, ms in sorted(statements, key=lambda s: -s[2])[:4]:
                    print(f"  {ms:7.1f} ms  {' '.join(statement.split())[:150]}")
                if label in ("queue p1", "queue open"):
                    explain(engine, [s for s in statements if "desk_case" in s[0] and "count(*)" in s[0]][:1] +
                            [s for s in statements if "FROM desk_case" in s[0] and "LIMIT" in s[0]][:1])
            threading.setprofile(start_profiler)  # threads started from now on profile themselves
            try:
                with TestClient(app, base_url="http://127.0.0.1") as client:
                    client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
                    for _ in range(2):
                        client.get(url)
                    for profiler in profilers:  # the threads are idle: forget the login and the warm-up
                        profiler.clear()
                    start = time.perf_counter()
                    for _ in range(20):
                        client.get(url)
                    wall = time.perf_counter() - start
                    for profiler in profilers:
                        profiler.disable()
            finally:
                threading.setprofile(None)
            out = io.StringIO()
            stats = pstats.Stats(*profilers, stream=out)
            stats.sort_stats("cumulative").print_stats(r"chainkeeper|jinja2/environment|sqlalchemy/orm/session|"
                                                       r"fastapi/routing|psycopg/cursor", 14)
            text_ = out.getvalue()
            print(f"  cProfile of 20 requests ({wall * 1000:.0f} ms under the profiler), the app's threads, "
                  f"by cumulative time:\n" + "\n".join(
                      "  " + line for line in text_[text_.index("   ncalls"):].splitlines() if line.strip()))
    engine.dispose()


def explain(engine, statements: list[list]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters, _ in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("  EXPLAIN ANALYZE " + " ".join(statement.split())[:120] + " …")
            for (line,) in cursor.fetchall():
                print("    " + line)
    finally:
        raw.close()
