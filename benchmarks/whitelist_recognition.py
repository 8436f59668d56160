"""Benchmark: `is_recognized` with 100,000 white-list entries and 50 mutual-recognition agreements.

    python benchmarks/whitelist_recognition.py --entries 100000 --agreements 50 --queries 2000 --runs 3 \
        [--database-url postgresql+psycopg://…/db]   (default: a fresh SQLite file in a temporary directory)

Target (project issue): recognition queries answer in under 20 ms at the 95th percentile.

1. Migrates a fresh database and writes, with ``chainkeeper.db.bulk_insert``: one enterprise per entry (plus 20%
   unlisted ones) spread over every county of the reference table; a national list, one list per province and
   one per city that holds firms; 1–3 batches per list; ``--entries`` entries (each enterprise on its home province's
   or city's list, 2% on the national list) with their status periods — 8% suspended on a random later day, half of
   those reinstated — and 20,000 supplier-pool memberships; ``--agreements`` agreements of 2–6 provinces or cities
   with random categories and periods.
2. Per run: ``--queries`` calls of ``is_recognized(session, uscc, county, day)``, each in its own session (as a
   request has), for random (listed | pooled | unlisted) enterprises, random counties and random days of 2022,
   after 200 warm-up calls. Prints median, p95, p99 and the share recognised.
With ``--runs N`` the summary is the median p95 across runs (the target is judged on it).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from chainkeeper import models  # noqa: F401
from chainkeeper.db import bulk_insert, make_engine, session_factory, unit_of_work, upgrade
from chainkeeper.reference.models import Region
from chainkeeper.whitelist import models as wl
from chainkeeper.whitelist.agreements import ensure_default_categories
from chainkeeper.whitelist.recognition import is_recognized

TARGET_MS = 20.0
START = date(2022, 1, 1)
CATEGORIES = ["medical", "necessities", "agri_inputs", "strategic", "operation", "strategic_function", "economic",
              "basic"]


def _counties(engine) -> list[tuple[str, str, str]]:
    with unit_of_work(engine) as session:
        rows = session.execute(select(Region.code, Region.city_code, Region.province_code).where(Region.level == 3))
        return [(c, city or c[:4], p) for c, city, p in rows]


def _enterprises(rng, counties, n: int) -> list[dict]:
    now = datetime.now(timezone.utc)
    rows = []
    for i in range(1, n + 1):
        county, city, province = rng.choice(counties)
        rows.append(dict(id=i, uscc=f"91{county}{i:010d}"[:18], name=f"企业{i}", normalized_name=f"企业{i}",
                         county_code=county, city_code=city, province_code=province, industry_code="3670",
                         size="medium", chain_code=None, chain_set_by_hand=False, contact_person="",
                         contact_phone="", created_at=now, updated_at=now))
    return rows


def _lists(firms: list[dict]) -> tuple[list[dict], dict[str, int]]:
    scopes = [""] + sorted({f["province_code"] for f in firms}) + sorted({f["city_code"] for f in firms})
    now = datetime.now(timezone.utc)
    return ([dict(id=i, name=f"白名单 {s or '全国'}", scope_code=s, created_at=now) for i, s in enumerate(scopes, 1)],
            {s: i for i, s in enumerate(scopes, 1)})


def _batches(rng, lists: list[dict]) -> dict[int, list[tuple[int, date]]]:
    by_list, next_id = {}, 1
    for item in lists:
        by_list[item["id"]] = []
        for number in range(1, rng.randint(1, 3) + 1):
            by_list[item["id"]].append((next_id, START + timedelta(days=30 * number + rng.randrange(20))))
            next_id += 1
    return by_list


def _entries(rng, firms, list_ids, batches, n):
    entries, periods = [], []
    for i, firm in enumerate(firms[:n], 1):
        scope = "" if rng.random() < 0.02 else rng.choice([firm["province_code"], firm["city_code"]])
        list_id = list_ids[scope]
        batch_id, listed = rng.choice(batches[list_id])
        entries.append(dict(id=i, list_id=list_id, batch_id=batch_id, enterprise_id=firm["id"], application_id=None,
                            scope_code=scope, category=rng.choice(CATEGORIES), chain_code=None, reason="",
                            nominated_by="", on_site_staff=10, listed_on=listed, status="active",
                            resumption="none", resumption_on=None, credential_id=None))
        periods += _periods(rng, i, listed, len(periods))
    return entries, periods


def _periods(rng, entry_id, listed, offset) -> list[dict]:
    now = datetime.now(timezone.utc)
    row = lambda k, status, start, end: dict(id=offset + k, entry_id=entry_id, status=status, valid_from=start,  # noqa: E731
                                             valid_until=end, reason="", recorded_at=now)
    if rng.random() >= 0.08:
        return [row(1, "active", listed, None)]
    suspended = listed + timedelta(days=rng.randint(1, 120))
    if rng.random() < 0.5:
        return [row(1, "active", listed, suspended), row(2, "suspended", suspended, None)]
    back = suspended + timedelta(days=rng.randint(1, 30))
    return [row(1, "active", listed, suspended), row(2, "suspended", suspended, back), row(3, "active", back, None)]


def _pools(rng, n_entries, firms, count) -> list[dict]:
    unlisted = [f["id"] for f in firms[n_entries:]]
    return [dict(id=i, entry_id=rng.randint(1, n_entries), enterprise_id=rng.choice(unlisted), reason="",
                 added_on=START + timedelta(days=rng.randrange(200)), removed_on=None) for i in range(1, count + 1)]


def _agreements(rng, counties, n) -> tuple[list, list, list]:
    provinces = sorted({p for _c, _city, p in counties})
    cities = sorted({city for _c, city, _p in counties})
    now = datetime.now(timezone.utc)
    agreements, regions, categories = [], [], []
    for i in range(1, n + 1):
        start = START + timedelta(days=rng.randrange(200))
        end = None if rng.random() < 0.5 else start + timedelta(days=rng.randint(30, 300))
        agreements.append(dict(id=i, name=f"互认协议{i}", valid_from=start, valid_until=end, created_at=now))
        pool = provinces if rng.random() < 0.6 else cities
        regions += [dict(agreement_id=i, region_code=c) for c in rng.sample(pool, rng.randint(2, 6))]
        categories += [dict(agreement_id=i, category_code=c) for c in rng.sample(CATEGORIES, rng.randint(1, 4))]
    return agreements, regions, categories


def build(engine, n_entries: int, n_agreements: int, seed: int = 7) -> dict:
    """Fill the database; returns what the queries draw from."""
    rng = random.Random(seed)
    counties = _counties(engine)
    firms = _enterprises(rng, counties, int(n_entries * 1.2))
    lists, list_ids = _lists(firms)
    batches = _batches(rng, lists)
    entries, periods = _entries(rng, firms, list_ids, batches, n_entries)
    pools = _pools(rng, n_entries, firms, 20_000)
    agreements, regions, categories = _agreements(rng, counties, n_agreements)
    batch_rows = [dict(id=b, list_id=l, number=k, published_on=d, created_at=datetime.now(timezone.utc))
                  for l, items in batches.items() for k, (b, d) in enumerate(items, 1)]
    with unit_of_work(engine) as session:
        ensure_default_categories(session=session)
    with engine.begin() as connection:
        for table, rows in ((models.registry_models.Enterprise.__table__, firms), (wl.WhiteList.__table__, lists),
                            (wl.Batch.__table__, batch_rows), (wl.Entry.__table__, entries),
                            (wl.EntryPeriod.__table__, periods), (wl.PoolMember.__table__, pools),
                            (wl.Agreement.__table__, agreements), (wl.AgreementRegion.__table__, regions),
                            (wl.AgreementCategory.__table__, categories)):
            bulk_insert(connection, table, rows)
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE")
    pooled = {p["enterprise_id"] for p in pools}
    return {"listed": [f["uscc"] for f in firms[:n_entries]], "pooled": [f["uscc"] for f in firms if f["id"] in pooled],
            "unlisted": [f["uscc"] for f in firms[n_entries:] if f["id"] not in pooled],
            "counties": [c for c, _city, _p in counties], "rows": (len(entries), len(periods), len(pools))}


def _query(rng, data) -> tuple[str, str, date]:
    kind = rng.choices(("listed", "pooled", "unlisted"), (0.7, 0.15, 0.15))[0]
    return rng.choice(data[kind]), rng.choice(data["counties"]), START + timedelta(days=rng.randrange(365))


def run(engine, data, queries: int, seed: int) -> dict:
    """Time ``queries`` checks (after a warm-up); milliseconds."""
    rng, make = random.Random(seed), session_factory(engine)
    for _ in range(200):
        with make() as session:
            is_recognized(session=session, uscc=_query(rng, data)[0], region_code="310115", day=START)
    times, yes = [], 0
    for _ in range(queries):
        uscc, county, day = _query(rng, data)
        started = time.perf_counter()
        with make() as session:
            yes += is_recognized(session=session, uscc=uscc, region_code=county, day=day).recognized
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    return {"median": statistics.median(times), "p95": pick(0.95), "p99": pick(0.99), "recognised": yes / queries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=50)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="an empty database (default: fresh SQLite)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='ck-wl-bench-')}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    data = build(engine, args.entries, args.agreements)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine.dialect.name}; "
          f"built {data['rows'][0]:,} entries, {data['rows'][1]:,} periods, {data['rows'][2]:,} pool members, "
          f"{args.agreements} agreements in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    results = [run(engine, data, args.queries, seed) for seed in range(1, args.runs + 1)]
    for number, result in enumerate(results, 1):
        print(f"run {number}: median {result['median']:.2f} ms, p95 {result['p95']:.2f} ms, "
              f"p99 {result['p99']:.2f} ms, recognised {result['recognised']:.0%}")
    p95 = statistics.median(r["p95"] for r in results)
    print(f"median p95 over {args.runs} runs: {p95:.2f} ms (target < {TARGET_MS:.0f} ms): "
          f"{'met' if p95 < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
