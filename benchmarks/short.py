"""Short mode of the engine and import benchmarks, for CI: small sizes, ratios printed, nothing asserted.

    PYTHONPATH=src python benchmarks/short.py

Runs ``network_esri.py --short`` (frontier engine vs the plain numpy cascade, 10k and 30k firms),
``network_simulate.py --short`` (50k and 100k firms, 10 days, against a floor of three numpy passes over the links
a day) and ``import_links.py --short`` (40,000 links against the raw ``executemany`` floor), the day's allocation,
the pages' server CPU against a bare endpoint, the server's start-up and the desk (``desk_load.py --short``: 5,000
firms / 20,000 cases on PostgreSQL, the request mix's p95 and server CPU against ``/health`` alone on the same
server; it prints that it skipped when no ``CHAINKEEPER_TEST_POSTGRES_URL`` is set), one after the other, each with
its baseline measured in the same run.  A regression shows as a falling ratio; timings on a shared
machine are noisy, so no threshold is checked.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("network_esri.py", "network_simulate.py", "import_links.py")
SCRIPTS += ("bench_allocation.py",)  # issue 13: the day's allocation at 200/1,000/20, the previous solver on one good
SCRIPTS += ("web_cpu.py",)  # issue 15: server CPU per request of the pages and API calls against a bare endpoint
SCRIPTS += ("serve_start.py",)  # sprint 6: CPU and wall of `chainkeeper serve` to its first /health
SCRIPTS += ("desk_load.py",)  # sprint 9: the desk's mix on PostgreSQL against /health alone, same server


def main() -> None:
    started = time.perf_counter()
    for script in SCRIPTS:
        start = time.perf_counter()
        print(f"== {script} --short", flush=True)
        subprocess.run([sys.executable, str(HERE / script), "--short"], check=True)
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"== all short benchmarks in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
