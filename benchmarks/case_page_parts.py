"""Benchmark: thread CPU of a page handler's parts per first view (no profiler: each part's function wrapped).

    PYTHONPATH=$PWD/src python benchmarks/case_page_parts.py --workdir /tmp/ck-web-cpu /desk/cases/1 200

Uses the demo database ``web_cpu.py`` built in ``--workdir``, signs in as its national user, bumps the data epoch
before each request (as ``page_first_view.py --fresh``) and prints, per wrapped function of the case page
(``coordination.pages``, ``coordination.case_rows``, ``web.kept_blocks``), its calls per request and the median of
its ``time.thread_time_ns`` (the route's thread only: steadier than the process's CPU on a shared machine).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import time
from pathlib import Path

from web_cpu import PASSWORD, USER

PARTS = {"chainkeeper.coordination.pages": ("_case_page", "_case_context", "liaison_choices", "display_names",
                                            "letter_link"),
         "chainkeeper.coordination.case_rows": ("case_row", "lists", "firms_of"),
         "chainkeeper.web.kept_blocks": ("chrome", "_render_keeping")}


def wrap(module, name: str, spent: dict[str, list[float]]) -> None:
    """Replace ``module.name`` by the same function noting its thread CPU (µs) in ``spent``."""
    real = getattr(module, name)

    @functools.wraps(real)
    def timed(*args, **kwargs):
        began = time.thread_time_ns()
        try:
            return real(*args, **kwargs)
        finally:
            spent.setdefault(name, []).append((time.thread_time_ns() - began) / 1e3)
    setattr(module, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-web-cpu"))
    parser.add_argument("path")
    parser.add_argument("requests", type=int)
    args = parser.parse_args()
    os.environ["CHAINKEEPER_DATA_DIR"] = str(args.workdir.resolve())
    import importlib

    from fastapi.testclient import TestClient

    from chainkeeper.core import data_epoch
    from chainkeeper.web.app import create_app

    spent: dict[str, list[float]] = {}
    for module_name, names in PARTS.items():
        module = importlib.import_module(module_name)
        for name in names:
            wrap(module, name, spent)
    client = TestClient(create_app())
    if client.post("/api/v1/auth/login", json={"username": USER, "password": PASSWORD}).status_code != 200:
        raise SystemExit("login failed")
    for _ in range(5):  # warm-up: templates, reference caches, the pool
        client.get(args.path)
    spent.clear()
    for _ in range(args.requests):
        data_epoch.bump()
        client.get(args.path)
    for name, found in sorted(spent.items(), key=lambda item: -statistics.median(item[1])):
        print(f"{name:18s} {len(found) / args.requests:4.1f}/request  median {statistics.median(found):8.1f} µs")


if __name__ == "__main__":
    main()
