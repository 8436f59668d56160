"""Short mode of the engine and import benchmarks, for CI: small sizes, ratios printed, nothing asserted.

    PYTHONPATH=src python benchmarks/short.py

Runs ``network_esri.py --short`` (frontier engine vs the plain numpy cascade, 10k and 30k firms),
``network_simulate.py --short`` (50k and 100k firms, 10 days, against a floor of three numpy passes over the links
a day) and ``import_links.py --short`` (40,000 links against the raw ``executemany`` floor), one after the other,
each with its baseline measured in the same run.  A regression shows as a falling ratio; timings on a shared
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


def main() -> None:
    for script in SCRIPTS:
        start = time.perf_counter()
        print(f"== {script} --short", flush=True)
        subprocess.run([sys.executable, str(HERE / script), "--short"], check=True)
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
