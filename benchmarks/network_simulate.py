"""Benchmark: simulate() on a large synthetic network (default 1,000,000 firms, ~5,000,000 links, 60 days).

Usage:  PYTHONPATH=src python benchmarks/network_simulate.py [--firms 1000000] [--degree 5] [--days 60] [--runs 3]
Prints generation time, the median wall and CPU time of the simulation and the peak RSS of the process.
The script uses only ``simulate(net, shocks, days=..., rationing=...)``, so the same file measures an earlier
engine too: ``PYTHONPATH=/path/to/old/src python benchmarks/network_simulate.py``.  The new engine keeps a stock per
supplier link (the authors' model); the automatic stability check is skipped at this size (a warning says so).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from chainkeeper.network import Shock, simulate
from chainkeeper.network.generators import power_law_network


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, default=1_000_000)
    ap.add_argument("--degree", type=float, default=5.0)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rationing", default="priority")
    a = ap.parse_args()
    t = time.perf_counter()
    net = power_law_network(a.firms, mean_out_degree=a.degree, seed=1, inventory_days=True)
    print(f"network: {net.n_firms:,} firms, {net.n_links:,} links, generated in {time.perf_counter() - t:.1f} s")
    shock = [Shock(cut=0.9, regions=[int(net.region[0])], duration=30, recovery="linear")]
    simulate(net, shock, days=1, rationing=a.rationing)  # compile / warm up
    times, cpus = [], []
    for _ in range(a.runs):
        t, c = time.perf_counter(), time.process_time()
        res = simulate(net, shock, days=a.days, rationing=a.rationing)
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"simulate {a.days} days ({a.rationing}): median {statistics.median(times):.1f} s "
          f"(runs: {', '.join(f'{x:.1f}' for x in times)}); CPU median {statistics.median(cpus):.1f} s "
          f"(runs: {', '.join(f'{x:.1f}' for x in cpus)}); peak RSS {rss_gb:.2f} GB")
    print(f"production day 0 / last: {res.production[0] / res.baseline_output.sum():.3f} / "
          f"{res.production[-1] / res.baseline_output.sum():.3f}; firms hit: {res.hit.size:,}")


if __name__ == "__main__":
    main()
