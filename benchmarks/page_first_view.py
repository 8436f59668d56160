"""Benchmark: CPU per request of one page through the real app in-process, first views or repeat views.

    PYTHONPATH=$PWD/src python benchmarks/page_first_view.py --workdir /tmp/ck-web-cpu / 200 --fresh
    PYTHONPATH=$PWD/src python benchmarks/page_first_view.py --workdir /tmp/ck-web-cpu / 200 --fresh --user jiangsu

Uses the demo database ``web_cpu.py`` built in ``--workdir`` and signs in as its national user (``--user``: another
demo user, e.g. ``jiangsu`` (province), ``suzhou`` (city), ``oem`` (enterprise); password ``<user>-demo-2022``). With ``--fresh``
the data epoch is bumped before each request (as a committed write does), so neither the kept blocks
(``web/kept_blocks.py``) nor the page cache's aggregates serve it: the page's first-view cost. Prints
``time.process_time()`` per request, the test client included (a few ms); ``--profile`` adds a cProfile listing.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from pathlib import Path

from web_cpu import PASSWORD, USER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-web-cpu"))
    parser.add_argument("path")
    parser.add_argument("requests", type=int)
    parser.add_argument("--fresh", action="store_true", help="bump the data epoch before each request")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--user", default=USER, help="the demo user to sign in as (default: the national one)")
    args = parser.parse_args()
    os.environ["CHAINKEEPER_DATA_DIR"] = str(args.workdir.resolve())
    from fastapi.testclient import TestClient

    from chainkeeper.core import data_epoch
    from chainkeeper.web.app import create_app

    client = TestClient(create_app())
    login = client.post("/api/v1/auth/login", json={"username": args.user,
                                                      "password": PASSWORD if args.user == USER else f"{args.user}-demo-2022"})
    if login.status_code != 200:
        raise SystemExit(f"login failed: {login.status_code}")
    for _ in range(5):  # warm-up: templates, reference caches, the pool
        client.get(args.path)
    profile = cProfile.Profile() if args.profile else None
    began = time.process_time()
    if profile:
        profile.enable()
    for _ in range(args.requests):
        if args.fresh:
            data_epoch.bump()
        client.get(args.path)
    if profile:
        profile.disable()
    print(f"{args.path}: {(time.process_time() - began) * 1000 / args.requests:.2f} ms/request (client included)")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()
