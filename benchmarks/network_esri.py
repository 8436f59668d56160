"""Benchmark: ESRI of sampled failed firms on synthetic power-law networks, engine vs the plain numpy cascade.

Usage:  PYTHONPATH=src python benchmarks/network_esri.py [--firms 10000 30000 100000] [--sample 500]
            [--baseline 20] [--runs 3] [--before /tmp/esrifast/before/src] [--touched 100] [--local 0.8] [--short]

For each size it times, in the same run and alternating run by run (so all see the same machine load):

* the engine (``esri(net, firms=...)``, ``engine="auto"``: the compiled frontier/lane engine) on ``--sample``
  seeded random failed firms;
* with ``--before SRC``: the same call with another source tree (e.g. main's, ``git archive main src``) in a
  child process on the same firms;
* **the plain numpy cascade** (``benchmarks/esri_plain.py``: the paper's iteration in numpy, one failed firm at a
  time, every step vectorised over all links; the issue's yardstick) on the first ``--baseline`` firms;
* the same one-at-a-time iteration on the package's scipy operators (``run_sparse(batch=1)``), and the batched
  scipy engine (``engine="sparse"``, 64 scenarios per sparse product), on the same firms.

The main figure is CPU time per failed firm (process time; the engine uses every numba thread, so its CPU time
counts both cores); wall times are printed too.  Ratios are baseline CPU ms/firm over engine CPU ms/firm, medians
of ``--runs`` runs.  Every baseline is checked against the engine (max |diff| of the scores, same iteration
counts).  A full-vector baseline costs the same per cascade step, so its time on the ``--baseline`` firms (spread
over the sample) is scaled to the whole sample by the ratio of their mean step counts (printed): single-firm
cascades last 2 to 49 steps, and a few firms would otherwise decide the ratio.  ``--touched K`` reports how far K sampled cascades reach.  ``--short`` (10,000 and 30,000 firms, 300
sampled firms, 10 for the baselines, 3 runs) takes about a minute: for CI, ratios printed, nothing asserted.
``--local SHARE`` redraws that share of the links' customers within the supplier's region (the synthetic
network has no locality at all; real supply chains are regional), firm numbers still unrelated to regions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from esri_plain import PlainCascade  # noqa: E402

from chainkeeper.network import SupplyNetwork, esri, numba_available  # noqa: E402
from chainkeeper.network._esri_ops import prepare  # noqa: E402
from chainkeeper.network._esri_sparse import run_sparse  # noqa: E402
from chainkeeper.network.generators import power_law_network  # noqa: E402


def network(n: int, local: float) -> SupplyNetwork:
    """The benchmark's network: ``power_law_network(n, seed=1)``; with ``local`` > 0 that share of the links
    has its customer redrawn (by the generator's attractiveness, in-degree here) among the firms of the
    supplier's region: regional supply chains, with firm numbers still unrelated to regions."""
    net = power_law_network(n, seed=1)
    if local <= 0:
        return net
    rng = np.random.default_rng(2)
    src, dst, region = net.supplier, net.customer.copy(), net.region
    fit = np.bincount(net.customer, minlength=n) + 1.0
    redraw = rng.random(src.size) < local
    for r in np.unique(region):
        members = np.flatnonzero(region == r)
        links = np.flatnonzero(redraw & (region[src] == r))
        p = fit[members] / fit[members].sum()
        dst[links] = members[rng.choice(members.size, size=links.size, p=p)]
    keep = src != dst
    return SupplyNetwork.from_edges(src[keep], dst[keep], net.weight[keep], net.industry, net.essential,
                                    region=region)


def scipy_one_at_a_time(net, firms):
    """The package's scipy operators, one failed firm at a time (``run_sparse(batch=1)``)."""
    ops = prepare(net)
    ptr = np.arange(firms.size + 1, dtype=np.int64)
    scores, iters, _, _ = run_sparse(ops, net.s_out, ptr, firms.astype(np.int64), np.zeros(firms.size),
                                     0.01, 10_000, batch=1)
    return scores, iters


def timed(fn):
    """(result, wall s, CPU s of this process)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def warm_up(net, firms) -> None:
    """Load every compiled path before timing: a few scenarios (4 lanes) and 64 (the 32-lane sweep)."""
    esri(net, firms=firms[:2])
    esri(net, firms=firms[:64])


def child(n: int, sample: int, local: float) -> None:
    """Child mode (``--child``): time the engine of whatever tree is on PYTHONPATH; print JSON."""
    net = network(n, local)
    firms = np.sort(np.random.default_rng(0).choice(n, min(n, sample), replace=False))
    warm_up(net, firms)
    r, wall, cpu = timed(lambda: esri(net, firms=firms))
    print(json.dumps({"wall": wall, "cpu": cpu, "esri": r.esri.tolist(), "iters": r.iterations.tolist()}))


def before_run(src: str, n: int, sample: int, local: float) -> dict:
    env = dict(os.environ, PYTHONPATH=src)
    out = subprocess.run([sys.executable, __file__, "--child", str(n), str(sample), str(local)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


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


def bench_size(n: int, a) -> None:
    net = network(n, a.local)
    firms = np.sort(np.random.default_rng(0).choice(n, min(n, a.sample), replace=False))
    base_at = np.unique(np.linspace(0, firms.size - 1, min(a.baseline, firms.size)).astype(int))
    base_f = firms[base_at]  # spread over the sample (firm ids are not independent of size)
    warm_up(net, firms)
    plain = PlainCascade(net)
    rows = {k: ([], []) for k in ("engine", "before", "plain", "scipy1", "batched")}
    checks = []

    def add(key, wall, cpu, count, scale=1.0):
        rows[key][0].append(1000 * wall / count * scale)
        rows[key][1].append(1000 * cpu / count * scale)

    for _ in range(a.runs):
        fast, w, c = timed(lambda: esri(net, firms=firms))
        add("engine", w, c, firms.size)
        # a full-vector baseline costs the same per step, so its time on the few baseline firms is
        # scaled to the engine's whole sample by their step counts (cascades last 2 to 49 steps)
        scale = fast.iterations.mean() / fast.iterations[base_at].mean()
        if a.before:
            b = before_run(a.before, n, a.sample, a.local)
            add("before", b["wall"], b["cpu"], firms.size)
            checks.append(("before", np.abs(np.array(b["esri"]) - fast.esri).max(),
                           bool((np.array(b["iters"]) == fast.iterations).all())))
        (ps, pit), w, c = timed(lambda: plain.esri(base_f))
        add("plain", w, c, base_f.size, scale)
        checks.append(("plain", np.abs(ps[:, 0] - fast.esri[base_at]).max(),
                       bool((pit == fast.iterations[base_at]).all())))
        (ss, sit), w, c = timed(lambda: scipy_one_at_a_time(net, base_f))
        add("scipy1", w, c, base_f.size, scale)
        checks.append(("scipy1", np.abs(ss[:, 0] - fast.esri[base_at]).max(),
                       bool((sit == fast.iterations[base_at]).all())))
        bt, w, c = timed(lambda: esri(net, firms=base_f, engine="sparse"))
        add("batched", w, c, base_f.size, scale)
    med = statistics.median
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    eng_cpu = med(rows["engine"][1])
    print(f"n={n:,} links={net.n_links:,}{f', {a.local:.0%} regional' if a.local else ''}, load {os.getloadavg()[0]:.1f}; engine on {firms.size} firms, "
          f"baselines on {base_f.size} of them, scaled to the sample by step count (x{scale:.2f}); "
          "ms per failed firm, CPU (wall):")
    names = {"engine": "engine (this tree)", "before": f"engine ({a.before})", "plain": "plain numpy cascade",
             "scipy1": "scipy operators, one at a time", "batched": "batched scipy (64 per product)"}
    for key, (wall, cpu) in rows.items():
        if not cpu:
            continue
        print(f"  {names[key]:<34} CPU {med(cpu):9.2f} (runs {runs(cpu)})   wall {med(wall):9.2f} "
              f"(runs {runs(wall)})   CPU ratio to the engine {med(cpu) / eng_cpu:6.1f}x")
    worst = max(c[1] for c in checks)
    print(f"  max |ESRI diff| vs the engine {worst:.1e}; same iterations: {all(c[2] for c in checks)}; "
          f"iterations median {np.median(fast.iterations):.0f} p90 {np.percentile(fast.iterations, 90):.0f} "
          f"max {fast.iterations.max()}", flush=True)
    if a.touched:
        print(f"  {a.touched} sampled cascades: {reach(net, firms[: a.touched])}")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--firms", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--sample", type=int, default=500)
    ap.add_argument("--baseline", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--before", help="another tree's src directory, timed in a child process (e.g. main's)")
    ap.add_argument("--touched", type=int, default=0)
    ap.add_argument("--local", type=float, default=0.0,
                    help="share of links kept within the supplier's region (regional supply chains; default 0)")
    ap.add_argument("--short", action="store_true", help="10k and 30k firms, small samples (about a minute, for CI)")
    a = ap.parse_args()
    if a.short:
        a.firms, a.sample, a.baseline, a.runs = [10_000, 30_000], 300, 10, 3
    print(f"numba frontier engine available: {numba_available()}")
    if numba_available():
        import numba

        print(f"numba threads: {numba.get_num_threads()}")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine: the ratios, "
          "measured in the same run, are the comparable figures)", flush=True)
    for n in a.firms:
        bench_size(n, a)


if __name__ == "__main__":
    main()
