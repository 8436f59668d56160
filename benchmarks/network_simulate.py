"""Benchmark: simulate() on large synthetic networks (default 200,000 and 1,000,000 firms, ~5 links each, 60 days).

Usage:  PYTHONPATH=src python benchmarks/network_simulate.py [--firms 200000 1000000] [--degree 5] [--days 60]
            [--runs 3] [--before /path/to/other/src] [--threads N]
Each run is a fresh process (its own network, generated with the same seed, and its own peak RSS); with
``--before`` the same measurement of another checkout's ``src`` (e.g. ``git archive <commit> src``) alternates
with this one, so both see the same machine load, and the ratio of the medians is printed.  Each run also times a
floor in the same process: three numpy passes over the links a day (a gather and two scatters), and prints the
simulation's ratio to it.  Wall and CPU time of
``simulate(net, shocks, days=..., rationing=...)`` (after a one-day warm-up that compiles, so compile time is not
counted; numba caches the kernels on disk, ``cache=True``), peak RSS of the process, and the split of the wall / CPU
time into set-up (building the model's arrays: the time to the end of day 0 minus one average day), the days, and
the tail (locked firms, warnings).  With ``--before`` the daily production of both engines is compared (largest
difference over the baseline: 0 means bitwise the same).  The CPU time counts every thread of the process.
The stability check is off (``check_stability=False``, as it is by default at these sizes).  ``--short`` runs
50,000 and 100,000 firms,
10 days, 3 runs: seconds, for CI (ratios printed, nothing asserted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
from chainkeeper.network import Shock, simulate
from chainkeeper.network.generators import power_law_network
firms, degree, days, rationing = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
net = power_law_network(firms, mean_out_degree=degree, seed=1, inventory_days=True)
shock = [Shock(cut=0.9, regions=[int(net.region[0])], duration=30, recovery="linear")]
simulate(net, shock, days=1, rationing=rationing, check_stability=False)
marks = []   # wall and CPU after each day: set-up (to the end of day 0, minus one day), days, tail (locked firms)
t, c = time.perf_counter(), time.process_time()
res = simulate(net, shock, days=days, rationing=rationing, check_stability=False,
               progress=lambda done, total: marks.append((time.perf_counter(), time.process_time())))
wall, cpu = time.perf_counter() - t, time.process_time() - c
per_day = [(marks[-1][k] - marks[0][k]) / max(days - 1, 1) for k in (0, 1)]
setup = [marks[0][0] - t - per_day[0], marks[0][1] - c - per_day[1]]
tail = [t + wall - marks[-1][0], c + cpu - marks[-1][1]]
import numpy as np
sup, cust, w, v = net.supplier, net.customer, net.weight, np.ones(net.n_firms)
t = time.perf_counter()
for _ in range(days):   # the floor: three numpy passes over the links a day (gather, two scatters)
    flow = w * v[sup]
    v = np.bincount(cust, weights=flow, minlength=v.shape[0]) + np.bincount(sup, weights=flow, minlength=v.shape[0])
    v /= v.max()
floor = time.perf_counter() - t
print(json.dumps({"wall": wall, "cpu": cpu, "floor": floor, "setup": setup, "days": [per_day[0] * days, per_day[1] * days],
                  "tail": tail, "production": res.production.tolist(), "loss": float(res.total_loss.sum()), "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
                  "links": int(net.n_links), "first": float(res.production[0] / res.baseline_output.sum()),
                  "last": float(res.production[-1] / res.baseline_output.sum()), "hit": int(res.hit.size)}))
"""


def one_run(src: str, firms: int, degree: float, days: int, rationing: str, threads: int | None) -> dict:
    """One timed simulation in a fresh process with ``src`` first on PYTHONPATH."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    if threads:
        env["NUMBA_NUM_THREADS"] = str(threads)
    out = subprocess.run([sys.executable, "-c", CHILD, str(firms), str(degree), str(days), rationing],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_line(name: str, r: dict) -> str:
    """One run as it ends: wall and CPU of the call and of its set-up / days / tail, peak RSS, load average."""
    split = ", ".join(f"{k} {r[k][0]:.2f}/{r[k][1]:.2f} s" for k in ("setup", "days", "tail"))
    return (f"{name}: wall {r['wall']:.2f} s, CPU {r['cpu']:.2f} s (wall/CPU: {split}), peak RSS {r['rss_gb']:.2f} GB, "
            f"load average {os.getloadavg()[0]:.1f}")


def describe(name: str, runs: list[dict]) -> str:
    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    listed = lambda k: ", ".join(f"{r[k]:.2f}" for r in runs)  # noqa: E731
    med2 = lambda k: "/".join(f"{statistics.median(r[k][i] for r in runs):.2f}" for i in (0, 1)) + " s"  # noqa: E731
    return (f"{name}: wall median {med('wall'):.2f} s ({listed('wall')}), floor {med('floor'):.2f} s, "
            f"ratio to the floor {statistics.median(r['wall'] / r['floor'] for r in runs):.1f}x, "
            f"CPU median {med('cpu'):.2f} s ({listed('cpu')}), "
            f"peak RSS {max(r['rss_gb'] for r in runs):.2f} GB; "
            f"split wall/CPU: set-up {med2('setup')}, days {med2('days')}, tail {med2('tail')}; production day 0 / last "
            f"{runs[0]['first']:.3f} / {runs[0]['last']:.3f}, firms hit {runs[0]['hit']:,}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--degree", type=float, default=5.0)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rationing", default="priority")
    ap.add_argument("--before", help="another checkout's src directory, measured alternately in the same run")
    ap.add_argument("--threads", type=int, help="NUMBA_NUM_THREADS for the children (default: numba's)")
    ap.add_argument("--short", action="store_true", help="50k and 100k firms, 10 days, 3 runs (seconds, for CI)")
    a = ap.parse_args()
    if a.short:
        a.firms, a.days, a.runs = [50_000, 100_000], 10, 3
    here = str(Path(__file__).resolve().parents[1] / "src")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine: "
          "compare the ratio and CPU, not the wall time alone)", flush=True)
    for n in a.firms:
        now, before = [], []
        for k in range(a.runs):
            now.append(one_run(here, n, a.degree, a.days, a.rationing, a.threads))
            print("  " + run_line(f"run {k + 1}, this engine", now[-1]), flush=True)
            if a.before:
                before.append(one_run(a.before, n, a.degree, a.days, a.rationing, a.threads))
                print("  " + run_line(f"run {k + 1}, before", before[-1]), flush=True)
        print(f"n={n:,} links={now[0]['links']:,} days={a.days} ({a.rationing}), {a.runs} runs", flush=True)
        print("  " + describe("this engine", now), flush=True)
        if before:
            print("  " + describe(f"before ({a.before})", before))
            ratio = statistics.median(r["wall"] for r in before) / statistics.median(r["wall"] for r in now)
            cpu_ratio = statistics.median(r["cpu"] for r in before) / statistics.median(r["cpu"] for r in now)
            mine, theirs = np.array(now[0]["production"]), np.array(before[0]["production"])
            diff = float(np.abs(mine - theirs).max() / theirs.max())
            print(f"  speed-up: wall {ratio:.2f}x, CPU {cpu_ratio:.2f}x; daily production, largest difference "
                  f"{diff:.1e} of the baseline ({'bitwise the same' if diff == 0 else 'within 1e-9' if diff < 1e-9 else 'DIFFERENT'}), "
                  f"total loss {now[0]['loss']:.10g} vs {before[0]['loss']:.10g}", flush=True)


if __name__ == "__main__":
    main()
