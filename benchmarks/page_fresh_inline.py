"""Benchmark: CPU of FRESH views (data epoch bumped before each) through the real app in-process, no client, no thread hop.

    cd benchmarks && PYTHONPATH=$PWD/../src python page_fresh_inline.py --workdir /tmp/ck-web-cpu 100 /enterprises \
        /api/v1/enterprises [--profile]

Unlike ``page_first_view.py`` (TestClient: the client's own few ms counted, the route run on another thread that
cProfile does not see), the ASGI app is called on this thread's event loop with ``anyio.to_thread.run_sync`` run
inline, so ``time.process_time()`` is the server's own work plus the epoch's bump (printed apart) and ``--profile``
sees the route. Uses the demo database of ``web_cpu.py`` in ``--workdir``, signed in as its national user; prints
the median of 3 runs of ``requests`` fresh views per path.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import time
from pathlib import Path

import anyio.to_thread

from web_cpu import PASSWORD, USER


async def _inline(func, *args, **_options):
    return func(*args)


async def call(app, method: str, path: str, headers: list[tuple[str, str]], body: bytes = b"") -> dict:
    """One request through the ASGI app: status, headers and body."""
    out = {"status": None, "headers": [], "body": b""}
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"], out["headers"] = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    route, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": route, "raw_path": route.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(k.encode(), v.encode()) for k, v in headers], "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8000), "state": {}}
    await app(scope, receive, send)
    return out


async def measure(args) -> None:
    anyio.to_thread.run_sync = _inline  # the route on this thread: measured and profiled with the rest
    from chainkeeper.cli.common import open_engine
    from chainkeeper.core import data_epoch
    from chainkeeper.web.app import create_app

    app = create_app(engine=open_engine())
    login = await call(app, "POST", "/api/v1/auth/login", [("content-type", "application/json")],
                       json.dumps({"username": USER, "password": PASSWORD}).encode())
    cookie = next(v.decode().split(";")[0] for k, v in login["headers"]
                  if k == b"set-cookie" and v.startswith(b"ck_session="))
    headers = [("cookie", cookie), ("host", "127.0.0.1:8000")]
    for path in args.paths:
        for _ in range(20):  # warm-up: templates, reference caches, prebuilt statements
            data_epoch.bump()
            answer = await call(app, "GET", path, headers)
        assert answer["status"] == 200, (path, answer["status"], answer["body"][:300])
        profile = cProfile.Profile() if args.profile else None
        runs, bumps = [], 0.0
        for _ in range(3):
            began = time.process_time()
            for _ in range(args.requests):
                bumped = time.process_time()
                data_epoch.bump()
                bumps += time.process_time() - bumped
                if profile:
                    profile.enable()
                await call(app, "GET", path, headers)
                if profile:
                    profile.disable()
            runs.append((time.process_time() - began) * 1000 / args.requests)
        print(f"{path}: {statistics.median(runs):.2f} ms CPU per fresh view (runs {' / '.join(f'{r:.2f}' for r in runs)}"
              f"; the bump {bumps * 1000 / (3 * args.requests):.2f} of it)", flush=True)
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats("chainkeeper", 40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-web-cpu"))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("requests", type=int)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    os.environ["CHAINKEEPER_DATA_DIR"] = str(args.workdir.resolve())
    os.environ.pop("CHAINKEEPER_DATABASE_URL", None)
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
