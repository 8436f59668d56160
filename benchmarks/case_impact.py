"""Benchmark: `assess_impact` (impact of a case's blocking point) on the demo registry, cold and warm.

    python benchmarks/case_impact.py --firms 3000 100000 --runs 3 [--horizon 30] \
        [--database-url postgresql+psycopg://…/empty_db]   (default: a fresh SQLite file per size)

Per size: a fresh database, migrations, and the demo economy loaded through the import service (``load_demo``:
enterprises, products, links, demo users, white lists, passes). Two blocking points: the enterprise with the most
customers, and the county with the most registered enterprises. Per case, median of ``--runs`` runs of
``assess_impact(..., horizon_days=H)`` in a fresh session each:

- cold: an empty :class:`NetworkCache` — fingerprint, load of the registry network, white-list query, simulation;
- warm: the cache already holds the network — fingerprint, white-list query, simulation.

Also printed: the median of the parts (``load_registry_network`` alone, ``registry_fingerprint`` alone) and the
peak RSS of the process. ``--database-url`` must name an empty database (only one size then).
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

from sqlalchemy import func, select

from chainkeeper import models  # noqa: F401
from chainkeeper.db import make_engine, session_factory, upgrade

ON = date(2022, 4, 20)


def _median_time(fn, runs: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def cases(engine) -> list[tuple[str, dict]]:
    """The enterprise with the most customers and the county with the most enterprises."""
    from chainkeeper.registry.models import Enterprise, SupplyLink

    with session_factory(engine)() as session:
        supplier, degree = session.execute(
            select(SupplyLink.supplier_id, func.count()).group_by(SupplyLink.supplier_id)
            .order_by(func.count().desc(), SupplyLink.supplier_id).limit(1)).one()
        county, size = session.execute(
            select(Enterprise.county_code, func.count()).group_by(Enterprise.county_code)
            .order_by(func.count().desc(), Enterprise.county_code).limit(1)).one()
    return [(f"enterprise {supplier} ({degree} customers)", {"enterprise_id": supplier}),
            (f"county {county} ({size} enterprises)", {"region_code": county})]


def measure(engine, label: str, where: dict, runs: int, horizon: int) -> None:
    from chainkeeper.coordination.impact import NetworkCache, assess_impact

    make = session_factory(engine)

    def once(cache: NetworkCache):
        with make() as session:
            return assess_impact(session=session, on=ON, horizon_days=horizon, loaded=cache.get(session), **where)

    cold, impact = _median_time(lambda: once(NetworkCache()), runs)
    warm_cache = NetworkCache()
    once(warm_cache)
    warm, _ = _median_time(lambda: once(warm_cache), runs)
    print(f"  {label}: cold {cold:.2f} s, warm {warm:.3f} s; {impact.n_blocked} blocked, {impact.n_affected} "
          f"affected ({impact.n_listed_affected} listed, {impact.n_listed_stopping} listed stop), "
          f"{impact.output_at_risk_cny / 1e9:.2f} bn CNY at risk in {horizon} days")


def parts(engine, runs: int) -> None:
    from chainkeeper.analysis.loader import load_registry_network
    from chainkeeper.coordination.impact import registry_fingerprint

    make = session_factory(engine)

    def load():
        with make() as session:
            return load_registry_network(session=session)

    def fingerprint():
        with make() as session:
            return registry_fingerprint(session)

    load_s, loaded = _median_time(load, runs)
    print_s, _ = _median_time(fingerprint, runs)
    print(f"  parts: load_registry_network {load_s:.2f} s ({loaded.network.n_firms:,} firms, "
          f"{loaded.network.n_links:,} links), registry_fingerprint {print_s * 1000:.0f} ms")


def run_size(url: str, firms: int, runs: int, horizon: int) -> None:
    from chainkeeper.demo.service import load_demo

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    summary = load_demo(engine, n_firms=firms)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    print(f"{firms:,} demo firms on {engine.dialect.name}: loaded in {time.perf_counter() - started:.0f} s "
          f"({', '.join(f'{k} {v:,}' for k, v in summary.counts.items())})")
    parts(engine, runs)
    for label, where in cases(engine):
        measure(engine, label, where, runs, horizon)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, nargs="+", default=[3000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--horizon", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="an empty database (default: fresh SQLite per size)")
    args = parser.parse_args()
    if args.database_url and len(args.firms) > 1:
        parser.error("--database-url takes one --firms size (the database must be empty)")
    workdir = tempfile.mkdtemp(prefix="ck-impact-bench-")
    os.environ.setdefault("CHAINKEEPER_DATA_DIR", workdir)  # signing key of the demo white lists: not the checkout
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"median of {args.runs} runs, horizon {args.horizon} days", file=sys.stderr)
    for firms in args.firms:
        run_size(args.database_url or f"sqlite:///{workdir}/impact-{firms}.db", firms, args.runs, args.horizon)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")


if __name__ == "__main__":
    main()
