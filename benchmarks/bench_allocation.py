"""Benchmark: the day's allocation of critical goods (``chainkeeper.docking.allocation.allocate``), pure — no database.

    PYTHONPATH=src python benchmarks/bench_allocation.py --producers 2000 --points 10000 --goods 200 --runs 3
    PYTHONPATH=src python benchmarks/bench_allocation.py --sizes        # the three sizes of docs/benchmarks.md
    PYTHONPATH=src python benchmarks/bench_allocation.py --runs 3 --baseline /tmp/dockfast/before/src  # vs old code
    PYTHONPATH=src python benchmarks/bench_allocation.py --short        # CI (benchmarks/short.py)

Target (issue 13): 2,000 producers, 10,000 demand points, 200 goods, the day's allocation under 30 s on this machine,
memory measured.

Instance (seeded): producers and demand points placed at random counties of the registry (real centroids from
``docking/data/centroids.csv``); each producer makes ``--goods-per-producer`` goods (default 3) with 100–5,000
available each; each demand point needs ``--goods-per-point`` goods (default 3) with 50–2,000 each, priority class
1/2/3 in proportion 20/30/50 %, ``--lot-share`` (default 5 %) of the needs with a minimum lot of 500 (those
goods' days are MIPs); 3 % of the
producers are requisitioned (their output may go only to the points of their province). Supply is ~60 % of demand
so every class competes. One run = the allocation of every good (one independent problem per good: a producer's
stock of one good cannot serve another), each solved lexicographically (class 1, 2, 3 served, then transport).

Prints, per run: wall time, CPU time of all processes during the run (the goods run in `--workers` processes,
`day_allocation.allocate_day`), and a baseline measured in the same run: one good (the first) solved by the previous
solver (`method="staged"`) and by the new one in this process; the summary is the median of the runs with the peak
RSS of the main process and of the largest worker. `--check` compares every good with the staged solver.

`--baseline DIR` (a checkout's ``src``, e.g. ``git archive main src | tar -x -C /tmp/dockfast/before``): each run is
then two child processes, alternating, the previous code (``PYTHONPATH=DIR``) and this one, each allocating the
whole day of the same seeded instance; per run and as medians: wall, CPU of all processes (the child and its
workers), peak RSS (child, largest worker), the ratio, and the answers compared good by good (the same class totals;
transport no worse than the baseline's beyond the 1e-4 MIP gap).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from chainkeeper.docking.allocation import Demand, Supply, allocate
from chainkeeper.docking.day_allocation import allocate_day

CENTROIDS = Path(__file__).parents[1] / "src" / "chainkeeper" / "docking" / "data" / "centroids.csv"


def counties() -> list[tuple[str, tuple[float, float]]]:
    with CENTROIDS.open(encoding="utf-8") as handle:
        return [(row["code"], (float(row["longitude"]), float(row["latitude"])))
                for row in csv.DictReader(handle) if len(row["code"]) == 6]


def instance(n_producers: int, n_points: int, n_goods: int, per_producer: int, per_point: int, seed: int,
             lot_share: float = 0.05):
    """Supplies and demands by good."""
    rng = random.Random(seed)
    places = counties()
    points = [rng.choice(places) for _ in range(n_points)]
    demands: dict[int, list[Demand]] = defaultdict(list)
    total_need = defaultdict(float)
    for p, (code, xy) in enumerate(points):
        cls = rng.choices((1, 2, 3), weights=(20, 30, 50))[0]
        for good in rng.sample(range(n_goods), min(per_point, n_goods)):
            quantity = rng.randint(50, 2000)
            lot = 500 if rng.random() < lot_share else 0
            demands[good].append(Demand((p, good), quantity, cls, xy, lot))
            total_need[good] += quantity
    supplies: dict[int, list[tuple]] = defaultdict(list)
    for s in range(n_producers):
        code, xy = rng.choice(places)
        requisitioned = rng.random() < 0.03
        for good in rng.sample(range(n_goods), min(per_producer, n_goods)):
            supplies[good].append((s, xy, code, requisitioned))
    out = {}
    for good in range(n_goods):
        makers = supplies.get(good, [])
        share = 0.6 * total_need[good] / max(1, len(makers))  # supply ≈ 60 % of demand
        items = []
        for s, xy, code, requisitioned in makers:
            allowed = None
            if requisitioned:
                allowed = frozenset(d.id for d in demands[good] if points[d.id[0]][0][:2] == code[:2])
            items.append(Supply(s, rng.uniform(0.2, 1.8) * share, xy, allowed))
        out[good] = (items, demands.get(good, []))
    return out


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(problems) -> dict:
    """The previous solver (``method="staged"``) and the new one on the same good, here, one after the other."""
    good = next(iter(problems))
    out = {}
    for method in ("staged", "fast"):
        started = time.process_time()
        answer = allocate(*problems[good], method=method)
        out[method] = (time.process_time() - started, answer)
    (old, a), (new, b) = out["staged"], out["fast"]
    assert all(abs(a.served_by_class[c] - b.served_by_class[c]) < 1e-6 * max(1.0, a.served_by_class[c])
               for c in a.served_by_class), (a.served_by_class, b.served_by_class)
    return {"staged_one": old, "fast_one": new}


def run_once(problems, workers: int, method: str) -> dict:
    wall, cpu = time.perf_counter(), cpu_seconds()
    answers = allocate_day(problems, workers=workers, method=method)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    statuses, lines, pairs, served, needed = defaultdict(int), 0, 0, 0.0, 0.0
    for answer in answers.values():
        statuses[answer.status] += 1
        lines += len(answer.lines)
        pairs += answer.pairs
        served += answer.served
        needed += sum(answer.need_by_class.values())
    slowest = max(answer.seconds for answer in answers.values())
    return {"wall": wall, "cpu": cpu, "statuses": dict(statuses), "lines": lines, "pairs": pairs,
            "served_share": served / max(needed, 1), "slowest_good": slowest, "answers": answers}


def measure(n_producers, n_points, n_goods, args) -> dict:
    problems = instance(n_producers, n_points, n_goods, args.goods_per_producer, args.goods_per_point, args.seed,
                        args.lot_share)
    results = []
    for number in range(args.runs):
        base = baseline(problems)
        result = run_once(problems, args.workers, args.method)
        result.update(base)
        results.append(result)
        print(f"  run {number + 1}: wall {result['wall']:.2f} s, cpu {result['cpu']:.2f} s (all processes), "
              f"{result['pairs']:,} pairs, {result['lines']:,} lines, served {result['served_share']:.1%}, "
              f"slowest good {result['slowest_good']:.2f} s, {result['statuses']}; baseline on one good: staged "
              f"{base['staged_one']:.2f} s CPU, fast {base['fast_one']:.2f} s CPU", flush=True)
    if args.check:
        check(problems, results[-1]["answers"])
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    keys = ("wall", "cpu", "staged_one", "fast_one")
    summary = {key: statistics.median(r[key] for r in results) for key in keys}
    walls = ", ".join(f"{r['wall']:.2f}" for r in results)
    print(f"{n_producers} producers, {n_points} points, {n_goods} goods, {args.workers} workers: median wall "
          f"{summary['wall']:.2f} s ({walls}), median CPU {summary['cpu']:.2f} s; one good staged/fast "
          f"{summary['staged_one']:.2f}/{summary['fast_one']:.2f} s CPU (x{summary['staged_one'] / summary['fast_one']:.1f}); "
          f"peak RSS: main process {rss_self:.0f} MB, largest worker {rss_child:.0f} MB", flush=True)
    return summary


def check(problems, answers) -> None:
    """Every good against the previous solver (slow: the staged MIPs): the same class totals, transport within
    the MIP gap."""
    worst = 0.0
    for good, (supplies, demands) in problems.items():
        ref, new = allocate(supplies, demands, method="staged"), answers[good]
        assert ref.status == new.status, (good, ref.status, new.status)
        for cls, value in ref.served_by_class.items():
            assert abs(value - new.served_by_class[cls]) <= 1e-6 * max(1.0, value), (good, cls)
        gap = (new.transport_km_units - ref.transport_km_units) / max(1.0, ref.transport_km_units)
        worst = max(worst, abs(gap))
        assert gap <= 2e-4, (good, gap)
    print(f"  check: {len(problems)} goods, the same class totals as the staged solver; transport within "
          f"{worst:.1e} (relative)", flush=True)


def child(args) -> None:
    """One day with the code on ``PYTHONPATH``, printed as JSON (the ``--baseline`` mode's child)."""
    problems = instance(args.producers, args.points, args.goods, args.goods_per_producer, args.goods_per_point,
                        args.seed, args.lot_share)
    result = run_once(problems, args.workers, "fast")
    answers = result.pop("answers")
    result["goods"] = {str(good): [answer.status, {str(c): v for c, v in answer.served_by_class.items()},
                                   answer.transport_km_units, getattr(answer, "gap", 0.0)]
                       for good, answer in answers.items()}
    result["rss_main"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_worker"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def one_child(src: str, args) -> dict:
    """This script as a child with ``PYTHONPATH=src`` (the day, allocated once)."""
    command = [sys.executable, __file__, "--child", "--producers", str(args.producers), "--points", str(args.points),
               "--goods", str(args.goods), "--goods-per-producer", str(args.goods_per_producer),
               "--goods-per-point", str(args.goods_per_point), "--seed", str(args.seed),
               "--lot-share", str(args.lot_share), "--workers", str(args.workers)]
    out = subprocess.run(command, env={**os.environ, "PYTHONPATH": src}, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(before: dict, after: dict) -> str:
    """The two days' answers good by good: the same class totals, transport no worse beyond the MIP gap."""
    worse, better, gaps = 0.0, 0.0, 0
    for good, (status, served, km, _gap) in before["goods"].items():
        status2, served2, km2, gap2 = after["goods"][good]
        assert status == status2, (good, status, status2)
        for cls, value in served.items():
            assert abs(value - served2[cls]) <= 1e-6 * max(1.0, value), (good, cls, value, served2[cls])
        change = (km2 - km) / max(1.0, km)
        worse, better, gaps = max(worse, change), min(better, change), gaps + (gap2 > 0)
        assert change <= 2e-4, (good, km, km2)
    return (f"answers: {len(before['goods'])} goods, the same class totals; transport vs baseline from "
            f"{better:+.2e} to {worse:+.2e} (relative); {gaps} goods stopped at the lot search's limit")


def with_baseline(args) -> None:
    """Alternating runs of the previous code (``--baseline``) and this one, each a child process."""
    here = str(Path(__file__).parents[1] / "src")
    rows = {"before": [], "after": []}
    for number in range(args.runs):
        for name, src in (("before", args.baseline), ("after", here)):
            result = one_child(src, args)
            rows[name].append(result)
            print(f"  run {number + 1} {name:6}: wall {result['wall']:.2f} s, cpu {result['cpu']:.2f} s (all "
                  f"processes), slowest good {result['slowest_good']:.2f} s, served {result['served_share']:.1%}, "
                  f"{result['statuses']}, peak RSS main {result['rss_main']:.0f} MB, largest worker "
                  f"{result['rss_worker']:.0f} MB; load {open('/proc/loadavg').read()[:15]}", flush=True)
        print("  " + compare(rows["before"][-1], rows["after"][-1]), flush=True)
    median = {name: {key: statistics.median(r[key] for r in runs) for key in ("wall", "cpu", "slowest_good")}
              for name, runs in rows.items()}
    b, a = median["before"], median["after"]
    print(f"{args.producers} producers, {args.points} points, {args.goods} goods, {args.workers} workers, "
          f"{args.runs} runs: median wall {b['wall']:.2f} -> {a['wall']:.2f} s (x{b['wall'] / a['wall']:.1f}), "
          f"median CPU (all processes) {b['cpu']:.2f} -> {a['cpu']:.2f} s (x{b['cpu'] / a['cpu']:.1f}), slowest "
          f"good {b['slowest_good']:.2f} -> {a['slowest_good']:.2f} s; peak RSS main/worker "
          f"{max(r['rss_main'] for r in rows['before']):.0f}/{max(r['rss_worker'] for r in rows['before']):.0f} -> "
          f"{max(r['rss_main'] for r in rows['after']):.0f}/{max(r['rss_worker'] for r in rows['after']):.0f} MB",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--producers", type=int, default=2000)
    parser.add_argument("--points", type=int, default=10000)
    parser.add_argument("--goods", type=int, default=200)
    parser.add_argument("--goods-per-producer", type=int, default=3)
    parser.add_argument("--goods-per-point", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--lot-share", type=float, default=0.05, help="share of needs with a minimum lot (MIP)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="processes")
    parser.add_argument("--method", default="fast", choices=("fast", "staged"))
    parser.add_argument("--check", action="store_true", help="compare every good with the staged solver")
    parser.add_argument("--sizes", action="store_true", help="500/2,500/50, 2,000/10,000/200 and 4,000/20,000/200")
    parser.add_argument("--baseline", help="src folder of the previous code: whole days, alternating (see above)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--short", action="store_true", help="CI's short mode: 200/1,000/20, one run")
    args = parser.parse_args()
    if args.short:
        args.producers, args.points, args.goods, args.runs, args.baseline, args.sizes = 200, 1000, 20, 1, None, False
    if args.child:
        return child(args)
    print(f"{platform.machine()}, {platform.python_version()}, {sys.platform}, {os.cpu_count()} CPUs; "
          f"load {open('/proc/loadavg').read()[:15]}")
    sizes = [(500, 2500, 50), (2000, 10000, 200), (4000, 20000, 200)] if args.sizes else \
        [(args.producers, args.points, args.goods)]
    for producers, points, goods in sizes:
        if args.baseline:
            args.producers, args.points, args.goods = producers, points, goods
            with_baseline(args)
        else:
            measure(producers, points, goods, args)
    print(f"load {open('/proc/loadavg').read()[:15]}")


if __name__ == "__main__":
    main()
