"""Benchmark: a stoppage forecast over the demo registry seeded with a day's daily-scheduling reports.

    python benchmarks/bench_forecast.py --firms 100000 --reporters 20000 --runs 3 [--horizon 30] \
        [--database-url postgresql+psycopg://…/empty_db]   (default: a fresh SQLite file)

The registry is the demo economy's (``generate_economy`` + ``load_economy``: enterprises, products, links; the
generator of the other benchmarks).  ``--reporters`` enterprises (the leading firms first, then random ones) each
report a capacity utilisation and an ``inventory`` table of up to 30 rows: one per input industry they buy from
and random other GB/T classes up to a random row count of 1..30 (rows that match no link are read and skipped).
Timed, median of ``--runs``:

- parse: the reports' values -> ``ReportedState`` (``state_from_values``);
- cold: ``forecast(...)`` with an empty network cache (load of the registry network, seeding, the engine over the
  horizon, the supplier chains, storing the run and its lines);
- warm: the same with the network cached (what a second forecast of the day costs).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date

import numpy as np

from chainkeeper import models  # noqa: F401
from chainkeeper.db import make_engine, session_factory, upgrade

MADE_ON = date(2022, 4, 24)


def _median(fn, runs: int):
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def report_values(loaded, reporters: int, seed: int = 7) -> dict[int, dict]:
    """A day's report values for ``reporters`` enterprises (leading firms first), up to 30 inventory rows each."""

    rng = np.random.default_rng(seed)
    net = loaded.network
    n = net.n_firms
    chosen = rng.choice(n, size=min(reporters, n), replace=False)
    inputs: dict[int, set[int]] = {}
    for sup, cust in zip(net.supplier.tolist(), net.customer.tolist()):
        inputs.setdefault(cust, set()).add(int(net.industry[sup]))
    codes = loaded.industries
    values = {}
    for firm in chosen.tolist():
        rows = [{"input_industry": codes[k], "days": float(rng.uniform(0, 20))} for k in sorted(inputs.get(firm, ()))]
        extra = int(rng.integers(1, 31)) - len(rows)
        for k in rng.choice(len(codes), size=max(extra, 0)).tolist():
            rows.append({"input_industry": codes[k], "days": float(rng.uniform(0, 20))})
        values[int(loaded.enterprise_ids[firm])] = {
            "capacity_utilisation": float(rng.choice([100, 100, 100, 90, 60, 30, 0])), "inventory": rows[:30]}
    return values


def run(url: str, firms: int, reporters: int, runs: int, horizon: int) -> None:
    from chainkeeper.audit.actor import SYSTEM
    from chainkeeper.coordination.impact import NetworkCache
    from chainkeeper.core.caller import Caller
    from chainkeeper.demo.generator import generate_economy
    from chainkeeper.demo.service import load_economy
    from chainkeeper.monitoring.forecast import service
    from chainkeeper.monitoring.forecast.compute import state_from_values

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    load_economy(engine, generate_economy(firms))
    make = session_factory(engine)
    with make() as session:
        loaded = NetworkCache().get(session)
    print(f"{firms:,} demo firms ({loaded.network.n_links:,} links) on {engine.dialect.name}: loaded in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    values = report_values(loaded, reporters)
    n_rows = sum(len(v["inventory"]) for v in values.values())
    parse_s, state = _median(lambda: state_from_values(values), runs)

    def once(cached):
        with make() as session:
            net = cached if cached is not None else NetworkCache().get(session)
            made = service.forecast(session=session, caller=Caller(None, SYSTEM), made_on=MADE_ON,
                                    horizon=horizon, state=state, loaded=net)
            session.commit()
            return made

    cold_s, made = _median(lambda: once(None), runs)
    warm_s, made = _median(lambda: once(loaded), runs)
    with make() as session:
        lines = len(service.list_lines(session=session, principal=_national(), run_id=made.id))
    print(f"  {len(values):,} reporters, {n_rows:,} inventory rows; horizon {horizon} days; {made.n_key:,} key "
          f"enterprises, {lines:,} lines")
    print(f"  parse {parse_s:.2f} s, forecast cold {cold_s:.2f} s, warm {warm_s:.2f} s (median of {runs})")
    engine.dispose()


def _national():
    from chainkeeper.auth.roles import Principal, Role

    return Principal(user_id=0, username="bench", display_name="bench", roles=frozenset({Role.ministry}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--reporters", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="an empty database (default: a fresh SQLite file)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="ck-forecast-bench-")
    os.environ.setdefault("CHAINKEEPER_DATA_DIR", workdir)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", file=sys.stderr)
    run(args.database_url or f"sqlite:///{workdir}/forecast.db", args.firms, args.reporters, args.runs, args.horizon)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")


if __name__ == "__main__":
    main()
