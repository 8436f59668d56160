"""Benchmark: all-firm ESRI on synthetic power-law networks, frontier engine vs the plain numpy cascade.

Usage:  PYTHONPATH=src python benchmarks/network_esri.py [--firms 10000 30000 100000] [--sample 2000]
            [--baseline 40] [--runs 3] [--touched 100] [--short]
For each size it times the ESRI of ``min(firms, sample)`` failed firms (a seeded random sample) with the
compiled frontier engine and, in the same run (alternating, so both see the same machine load), two baselines
on the first ``--baseline`` of those firms: the **plain numpy cascade** (one scenario at a time, every step a
full-vector update of all firms with three scipy sparse products and a ``minimum.reduceat``: the paper's
equations written in numpy, ``run_sparse(batch=1)``) and the batched scipy engine (``engine="sparse"``, 64
scenarios per sparse product).  Medians of ``--runs`` runs; the ratio is plain ms/firm over frontier ms/firm.
It checks that all agree (max |diff| of the scores, same iteration counts).  With ``--touched K`` it also
reports how far K sampled cascades reach.  ``--short`` (10,000 and 30,000 firms, 300 sampled firms, 10 for the
baselines, 3 runs) takes well under a minute: for CI, ratios printed, nothing asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from chainkeeper.network import esri, numba_available
from chainkeeper.network._esri_ops import prepare
from chainkeeper.network._esri_sparse import run_sparse
from chainkeeper.network.generators import power_law_network


def plain(net, firms):
    """The plain numpy cascade: one failed firm at a time, full-vector steps (scores, iterations)."""
    ops = prepare(net)
    ptr = np.arange(firms.size + 1, dtype=np.int64)
    scores, iters, _, _ = run_sparse(ops, net.s_out, ptr, firms.astype(np.int64), np.zeros(firms.size),
                                     0.01, 10_000, batch=1)
    return scores, iters


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
    ap.add_argument("--firms", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--baseline", type=int, default=40)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--touched", type=int, default=0)
    ap.add_argument("--short", action="store_true", help="10k and 30k firms, small samples (seconds, for CI)")
    a = ap.parse_args()
    if a.short:
        a.firms, a.sample, a.baseline, a.runs = [10_000, 30_000], 300, 10, 3
    print(f"numba frontier engine available: {numba_available()}")
    if numba_available():
        import numba

        print(f"numba threads: {numba.get_num_threads()}")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine: the ratio, "
          "measured in the same run, is the comparable figure)", flush=True)
    for n in a.firms:
        net = power_law_network(n, seed=1)
        rng = np.random.default_rng(0)
        firms = np.sort(rng.choice(n, min(n, a.sample), replace=False))
        base_f = firms[: a.baseline]
        esri(net, firms=firms[:2])  # warm-up / JIT
        fast_t, plain_t, batch_t, cpu, plain_cpu = [], [], [], [], []
        for _ in range(a.runs):
            fast, t, _, c = timed(lambda: esri(net, firms=firms), 1)
            (p_scores, p_iters), pt, _, pc = timed(lambda: plain(net, base_f), 1)
            base, bt, _, _ = timed(lambda: esri(net, firms=base_f, engine="sparse"), 1)
            fast_t.append(1000 * t / firms.size), cpu.append(1000 * c / firms.size)
            plain_t.append(1000 * pt / base_f.size), batch_t.append(1000 * bt / base_f.size)
            plain_cpu.append(1000 * pc / base_f.size)
        med = statistics.median
        err = max(np.abs(base.esri - fast.esri[: base_f.size]).max(), np.abs(p_scores[:, 0] - base.esri).max())
        same_it = bool((base.iterations == fast.iterations[: base_f.size]).all() and (p_iters == base.iterations).all())
        it = fast.iterations
        runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
        print(f"n={n:,} links={net.n_links:,}: frontier {med(fast_t):.2f} ms/firm ({firms.size} firms; runs "
              f"{runs(fast_t)}; CPU {med(cpu):.2f} ms/firm); plain numpy cascade {med(plain_t):.1f} ms/firm "
              f"({base_f.size} firms; runs {runs(plain_t)}; CPU {med(plain_cpu):.1f}); "
              f"batched scipy {med(batch_t):.2f} ms/firm")
        print(f"  ratio plain/frontier {med(plain_t) / med(fast_t):.1f}x (per run "
              f"{runs([p / f for p, f in zip(plain_t, fast_t)])}; CPU time {med(plain_cpu) / med(cpu):.1f}x); batched scipy/frontier "
              f"{med(batch_t) / med(fast_t):.1f}x; max |diff| {err:.1e}, same iterations {same_it}; "
              f"iterations median {np.median(it):.0f} p90 {np.percentile(it, 90):.0f} max {it.max()}; "
              f"ESRI median {np.median(fast.esri):.2e} max {fast.esri.max():.3f}", flush=True)
        if a.touched:
            print(f"  {a.touched} sampled cascades: {reach(net, firms[: a.touched])}")


if __name__ == "__main__":
    main()
