"""Benchmark: what batching scenarios buys the ESRI engine (K failed firms per pass over the links).

Usage:  PYTHONPATH=src python benchmarks/esri_batching.py [--firms 10000] [--sample 400] [--single 20]
            [--runs 3] [--lanes 1 4 8 16 32] [--threads 1]

The engine steps up to ``LANES_MAX`` scenarios together once their cascades go global (the "lanes": losses laid out
n x K, one gathered row of K lanes per link, each lane with its own step count and stopping test). This script times,
alternating run by run, the same seeded failed firms with ``LANES_MAX`` set to each ``--lanes`` value, and ``K = 1``:
the single-scenario engine (frontier steps, then one full sweep per step for that scenario alone), on ``--single``
firms spread over the sample and scaled to it by step count. CPU ms per failed firm (process time, so with
``--threads 2`` both workers count); every variant is checked against the default engine (ESRI to 1e-12, the same
step counts).
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time

import numba
import numpy as np

from chainkeeper.network import esri
from chainkeeper.network._esri_ops import prepare
from chainkeeper.network.generators import power_law_network

ENGINE = importlib.import_module("chainkeeper.network.esri")


def one_at_a_time(ops, firms):
    """(ESRI, steps) of each firm's failure on the single-scenario engine (no lanes)."""
    w = ops.weights / ops.weights.sum()
    scores, steps = [], []
    for f in firms:
        hd, hu, it = ENGINE._frontier_states(ops, np.array([f], np.int64), np.zeros(1), 0.01, 10_000)
        scores.append(w @ (1.0 - np.minimum(hd, hu)))
        steps.append(it)
    return np.array(scores), np.array(steps)


def time_variant(k, net, ops, firms, single_at, ref):
    """CPU ms per failed firm of variant ``k`` (1 = one scenario at a time), checked against ``ref``."""
    c = time.process_time()
    if k == 1:
        scores, steps = one_at_a_time(ops, firms[single_at])
        cpu = time.process_time() - c
        scale = ref.iterations.mean() / ref.iterations[single_at].mean()
        expect_s, expect_it = ref.esri[single_at], ref.iterations[single_at]
        per_firm = cpu / single_at.size * scale
    else:
        ENGINE.LANES_MAX = k
        out = esri(net, firms=firms)
        per_firm = (time.process_time() - c) / firms.size
        scores, steps, expect_s, expect_it = out.esri, out.iterations, ref.esri, ref.iterations
    if np.abs(scores - expect_s).max() > 1e-12 or not (steps == expect_it).all():
        raise AssertionError(f"K={k} differs from the default engine")
    return 1000 * per_firm


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--single", type=int, default=20, help="firms timed on the single-scenario engine (K = 1)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lanes", type=int, nargs="+", default=[1, 4, 8, 16, 32])
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    numba.set_num_threads(a.threads)
    net = power_law_network(a.firms, seed=1)
    ops = prepare(net)
    firms = np.sort(np.random.default_rng(0).choice(a.firms, min(a.firms, a.sample), replace=False))
    single_at = np.unique(np.linspace(0, firms.size - 1, min(a.single, firms.size)).astype(int))
    default = ENGINE.LANES_MAX
    esri(net, firms=firms[:2])  # compile / load every path before timing
    ref = esri(net, firms=firms)
    one_at_a_time(ops, firms[:1])
    times = {k: [] for k in a.lanes}
    try:
        for _ in range(a.runs):
            for k in a.lanes:
                times[k].append(time_variant(k, net, ops, firms, single_at, ref))
    finally:
        ENGINE.LANES_MAX = default
    print(f"n={a.firms:,} links={net.n_links:,}, {firms.size} failed firms, {a.threads} thread(s); "
          "CPU ms per failed firm (K = 1: the single-scenario engine):")
    for k, xs in times.items():
        print(f"  K={k:<3} {statistics.median(xs):8.2f}  (runs {', '.join(f'{x:.2f}' for x in xs)})")


if __name__ == "__main__":
    main()
