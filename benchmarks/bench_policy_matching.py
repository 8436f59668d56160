"""Benchmark: policy matching, 100,000 enterprises × 5,000 policies (issue 14), pure — no database.

    PYTHONPATH=src python benchmarks/bench_policy_matching.py --firms 100000 --policies 5000 --runs 3
    PYTHONPATH=src python benchmarks/bench_policy_matching.py --sizes      # three sizes: growth
    PYTHONPATH=src python benchmarks/bench_policy_matching.py --short      # seconds; prints ratios, asserts nothing

What is timed:

* ``bulk``: :func:`chainkeeper.sme.policies.engine.match_counts` — every enterprise against every policy, counting
  per enterprise the policies it qualifies for and its near misses (the ministry's figure, and the same per-policy
  pass a new policy's subscription fan-out makes);
* ``one``: the reference evaluator (:func:`rules.evaluate`, with reasons) for one enterprise against the whole
  library — what the ``/sme/policies`` page does for an SME (median over 50 enterprises);
* ``check``: on a sample of 200 enterprises, the engine's counts equal the reference's (printed, must be ``ok``).

Instance (seeded): enterprises at counties of 31 provinces (10 per province, 10 counties per city), industries drawn
from 40 classes, sizes 5/15/40/40 % large/medium/small/micro, labels 10 % 专精特新, 2 % little giants, 8 % high-tech,
founding dates over 30 years, facts present 70 % of the time. Policies: 30 % national, 40 % provincial, 20 % city,
10 % county; each with 0–2 industry prefixes, sizes, labels (20 %), an age bound (20 %) and 0–3 fact rules; 10 %
expired. Prints wall time, CPU time, peak RSS of the process; the summary is the median of the runs.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import time
from datetime import date, timedelta

from chainkeeper.sme.policies.engine import Enterprises, match_counts
from chainkeeper.sme.policies.rules import FACTS, PolicyRule, Profile, Rule, evaluate

DAY = date(2026, 12, 6)
PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
             "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
CLASSES = ["3670", "3611", "3660", "3911", "3912", "3981", "2614", "2710", "3311", "3411", "3511", "3831", "3841",
           "1713", "1810", "2231", "2922", "3011", "3120", "3216", "4011", "4411", "4710", "5111", "5211", "5411",
           "5920", "6010", "6110", "6210", "6311", "6421", "6511", "7010", "7020", "7211", "7310", "8010", "8610",
           "0111"]
PREFIXES = ["C", "36", "39", "3670", "26", "27", "F", "65", "I", "34", "35", "38", "G", "L", "M"]
LABEL_SHARES = (("specialized", 0.10), ("little_giant", 0.02), ("high_tech", 0.08), ("tech_sme", 0.05))


def _county(rng: random.Random) -> str:
    return f"{rng.choice(PROVINCES)}{rng.randint(1, 10):02d}{rng.randint(1, 10):02d}"


def make_firms(n: int, seed: int = 14) -> list[Profile]:
    """``n`` synthetic enterprise profiles."""
    rng = random.Random(seed)
    sizes = rng.choices(["large", "medium", "small", "micro"], weights=[5, 15, 40, 40], k=n)
    firms = []
    for i in range(n):
        labels = frozenset(name for name, share in LABEL_SHARES if rng.random() < share)
        facts = {f: round(rng.uniform(0, 1) * scale, 1) for f, scale in
                 zip(FACTS, (2000, 50000, 50000, 10, 40, 20)) if rng.random() < 0.7}
        founded = DAY - timedelta(days=rng.randint(30, 30 * 365)) if rng.random() < 0.8 else None
        firms.append(Profile(i + 1, _county(rng), rng.choice(CLASSES), sizes[i], labels, founded, facts))
    return firms


def make_policies(n: int, seed: int = 15) -> list[PolicyRule]:
    """``n`` synthetic policies."""
    rng = random.Random(seed)
    rules = []
    for i in range(n):
        county = _county(rng)
        scope = rng.choices(["", county[:2], county[:4], county], weights=[30, 40, 20, 10])[0]
        facts = rng.sample(sorted(FACTS), rng.randint(0, 3))
        rules.append(PolicyRule(
            policy_id=i + 1, region_scope=scope, industries=tuple(rng.sample(PREFIXES, rng.randint(0, 2))),
            size_classes=tuple(rng.sample(["medium", "small", "micro"], rng.randint(0, 3))),
            labels_any=tuple(rng.sample(["specialized", "little_giant", "high_tech"], 1)) if rng.random() < 0.2
            else (), min_age_years=float(rng.choice([1, 2, 3])) if rng.random() < 0.1 else None,
            max_age_years=float(rng.choice([3, 5])) if rng.random() < 0.1 else None,
            rules=tuple(Rule(f, rng.choice([">=", "<="]), round(rng.uniform(0.1, 0.6) * 100, 1)) for f in facts),
            valid_to=DAY - timedelta(days=1) if rng.random() < 0.1 else None))
    return rules


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n_firms: int, n_policies: int, runs: int) -> dict:
    """Build the instance, time the bulk pass ``runs`` times and one enterprise's page match; check a sample."""
    started = time.perf_counter()
    firms, library = make_firms(n_firms), make_policies(n_policies)
    columns = Enterprises.build(firms)
    build_s = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        qualified, near = match_counts(columns, library, DAY)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    ones = []
    for profile in firms[:50]:
        wall = time.perf_counter()
        for rule in library:
            evaluate(rule, profile, DAY)
        ones.append(time.perf_counter() - wall)
    ok = True
    for row in range(0, n_firms, max(1, n_firms // 200)):
        found = [evaluate(rule, firms[row], DAY) for rule in library]
        ok &= qualified[row] == sum(f.qualifies for f in found) and near[row] == sum(f.near_miss for f in found)
    return {"firms": n_firms, "policies": n_policies, "build_s": build_s, "bulk_s": statistics.median(walls),
            "bulk_cpu_s": statistics.median(cpus), "one_ms": 1000 * statistics.median(ones),
            "pairs_per_s": n_firms * n_policies / statistics.median(walls), "rss_mb": _peak_rss_mb(),
            "mean_qualified": float(qualified.mean()), "mean_near": float(near.mean()), "check": "ok" if ok else "FAIL"}


def _print(result: dict) -> None:
    print(f"{result['firms']:>7,} firms × {result['policies']:>5,} policies: bulk {result['bulk_s']:.2f} s "
          f"(cpu {result['bulk_cpu_s']:.2f} s, {result['pairs_per_s'] / 1e6:.0f} M pairs/s), build "
          f"{result['build_s']:.1f} s, one enterprise {result['one_ms']:.1f} ms, peak RSS {result['rss_mb']:.0f} MB, "
          f"mean qualified {result['mean_qualified']:.1f}, near {result['mean_near']:.1f}, check {result['check']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--policies", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", action="store_true", help="three sizes (growth)")
    parser.add_argument("--short", action="store_true", help="seconds: two small sizes, ratios only")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}")
    if args.short:
        small, large = run(2_000, 200, 1), run(8_000, 400, 1)
        print(f"8× the pairs took {large['bulk_s'] / small['bulk_s']:.1f}× the time; checks "
              f"{small['check']}/{large['check']}")
        return
    sizes = [(25_000, 1_250), (50_000, 2_500), (args.firms, args.policies)] if args.sizes else \
        [(args.firms, args.policies)]
    for n_firms, n_policies in sizes:
        _print(run(n_firms, n_policies, args.runs))


if __name__ == "__main__":
    main()
