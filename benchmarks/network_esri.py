"""Benchmark: all-firm ESRI on synthetic power-law networks, frontier engine vs full-vector baseline.

Usage:  PYTHONPATH=src python benchmarks/network_esri.py [--firms 10000 100000] [--sample 2000]
            [--baseline 200] [--runs 3] [--touched 100]
For each size it times the ESRI of ``min(firms, sample)`` failed firms (a seeded random sample at 100k)
with the compiled frontier engine (median of --runs runs) and of ``--baseline`` firms with the
scipy full-vector engine (engine="sparse"), and checks that both agree.  With ``--touched K`` it also
reports how far K sampled cascades reach: the share of firms whose final level differs from 1 (by any
amount, and by more than 1e-6).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from chainkeeper.network import esri, numba_available
from chainkeeper.network.generators import power_law_network


def timed(fn, runs):
    out, times, cpu = None, [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return out, statistics.median(times), times, statistics.median(cpu)


def reach(net, firms):
    """Share of firms hit by each single-firm cascade (any amount, > 1e-6)."""
    anyhit, big = [], []
    for f in firms:
        r = esri(net, firms=[int(f)])
        loss = 1.0 - r.h
        anyhit.append((loss > 0).mean())
        big.append((loss > 1e-6).mean())
    q = [10, 25, 50, 75, 90]
    fmt = lambda a: "/".join(f"{x:.3f}" for x in np.percentile(a, q))  # noqa: E731
    return f"share of firms hit, quantiles {q}: any {fmt(anyhit)}; >1e-6 {fmt(big)}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--baseline", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--touched", type=int, default=0)
    a = ap.parse_args()
    print(f"numba frontier engine available: {numba_available()}")
    if numba_available():
        import numba

        print(f"numba threads: {numba.get_num_threads()}")
    for n in a.firms:
        net = power_law_network(n, seed=1)
        rng = np.random.default_rng(0)
        firms = np.sort(rng.choice(n, min(n, a.sample), replace=False))
        esri(net, firms=firms[:2])  # warm-up / JIT
        fast, med, times, cpu = timed(lambda: esri(net, firms=firms), a.runs)
        base_f = firms[: a.baseline]
        base, bmed, _, _ = timed(lambda: esri(net, firms=base_f, engine="sparse"), 1)
        err = np.abs(base.esri - fast.esri[: base_f.size]).max()
        same_it = bool((base.iterations == fast.iterations[: base_f.size]).all())
        it = fast.iterations
        print(f"n={n:,} links={net.n_links:,}: frontier {1000 * med / firms.size:.2f} ms/firm "
              f"({firms.size} firms, runs {', '.join(f'{t:.1f}' for t in times)} s; "
              f"CPU {1000 * cpu / firms.size:.2f} ms/firm); "
              f"baseline sparse {1000 * bmed / base_f.size:.2f} ms/firm ({base_f.size} firms); "
              f"speed-up {bmed / base_f.size / (med / firms.size):.1f}x; max |diff| {err:.1e}, "
              f"same iterations {same_it}; "
              f"iterations median {np.median(it):.0f} p90 {np.percentile(it, 90):.0f} max {it.max()}; "
              f"ESRI median {np.median(fast.esri):.2e} max {fast.esri.max():.3f}")
        if a.touched:
            print(f"  {a.touched} sampled cascades: {reach(net, firms[: a.touched])}")


if __name__ == "__main__":
    main()
