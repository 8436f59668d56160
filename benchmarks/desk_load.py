"""Benchmark: the coordination desk under load — queue, case page and queue API on `chainkeeper serve` + PostgreSQL.

    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --runs 3 --users 20 --cases 200000 --workers 1 2
    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --reuse --profile      # where one request's time goes
    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --reuse --client wrk   # compiled load generator
    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --reuse --client wrk --before /tmp/before/src

Target: with a queue of 200,000 cases the desk's pages answer in under 150 ms at the 95th percentile with 20
concurrent users (the same bar as the registry pages, see benchmarks/web_load.py and docs/benchmarks.md).

1. Builds (or, with ``--reuse``, reuses when built with the same parameters) a PostgreSQL database ``--database``
   on the server ``--database-url`` (default ``CHAINKEEPER_TEST_POSTGRES_URL``): ``load_demo(engine,
   n_firms=--firms)`` (the demo registry, its users and its few story cases), then ``--cases`` cases written with
   ``chainkeeper.db.bulk_insert`` (COPY) together with their timelines (``desk_case_event``: submit, accept,
   assign, feedback, confirm, close or reject, as far as each case got). Cases reference real enterprises: about
   half are "my supplier cannot deliver" (requester = the customer of a random supply link, blocking party = its
   supplier, product = the link's), a fifth name another firm of the requester's province, the rest (mostly
   logistics, energy, policy and funding cases) an unregistered party (a highway exit, a port, a power company …)
   in a real county. Categories, urgency, levels
   (county 12 %, city 70 %, province 13 %, escalated to the ministry 5 %; the handling region follows the blocking
   party's region) and states follow the case's age: ``--per-day`` (10,000) cases were filed in the last 24 hours
   (Shanghai office hours weighted, mostly still submitted or accepted), the others over the ``--days`` before,
   more recent ones more often, mostly resolved or closed. Deadlines come from the desk's own SLA policy and
   working-day calendar, ``overdue`` is set for open cases past their deadline, and ~90 % carry an impact
   assessment (priority and the JSON summary the pages read). No audit events are written for the generated
   cases (the measured pages do not read the audit trail). Authority users are created for the provinces and
   cities with the most cases (``desk_p<code>``, ``desk_c<code>``) and one ministry user, password
   ``desk-bench-2022``.
2. For each ``--workers`` count and each run: starts ``python -m chainkeeper serve --workers N`` with
   ``CHAINKEEPER_DATABASE_URL`` set to the database (the desk's scheduler off: ``CHAINKEEPER_DESK_TICK_SECONDS=0``,
   so runs do not change the data; ``--tick`` keeps it), and waits for ``/health``.
3. Logs ``--users`` clients in one after another (each with its own cookie jar and loopback address, as
   web_load.py does): one in five as the ministry, two in five as a province, two in five as a city authority,
   warms up for ``--warmup`` seconds, then every client loops for ``--seconds`` with no think time over a shuffled
   round: ``/desk`` (page 1, default priority order), ``/desk?page=2..10``, ``/desk`` with one filter (open
   cases, a state, a category, overdue, or a region inside the user's scope), two case pages
   ``/desk/cases/{id}`` of random cases the user may see, ``/api/v1/desk/cases`` (page 1, 50 rows) and the API
   with one filter on page 1–3; plus ``/health``, the floor.
4. Prints per endpoint and per route (``GET /desk``, ``GET /desk/cases/{id}``, ``GET /api/v1/desk/cases``):
   count, failed, median, p95, p99 (ms), throughput, and whether p95 < 150 ms; with ``--runs N`` the medians
   across runs. A failed request (not 200, or no answer within ``--timeout``) counts with the time it took to fail.
   Raw results: ``<workdir>/desk_load_results_w<workers>_u<users>.json``.

``--client wrk`` (issue 15): the same users and request mix driven by Debian's ``wrk`` through a generated Lua
script that rotates the users' session cookies (see ``desk_wrk.py``), so the load generator leaves the cores to
the server; it reports p50/p90/p95/p99 over the whole mix (not per route). Every run, with either client, also
prints the CPU of the server's processes (supervisor and workers, from ``/proc``) and of the PostgreSQL backends
serving the database over the measured part, per request — the backends started during the run included (sampled
five times a second from the postmaster's children), the sessions PostgreSQL started on the database
(``pg_stat_database.sessions``) and the whole machine's busy time (``/proc/stat``), so no short-lived process can
go unseen (they did: the pool's overflow connections, see docs/benchmarks.md, lane ``deskpool``).

``--before DIR`` (a ``src`` folder, e.g. ``git archive main src | tar -x -C /tmp/before``): every run of the old
code is followed by one of this code on the same database; the medians of both and their ratios are printed.

``--profile`` (no load): runs each page in-process (FastAPI TestClient on the same database) as a province
user, a city user and the ministry, prints the SQL statements of one request with their times, EXPLAIN (ANALYZE,
BUFFERS) of the queue's count and page queries, and the top of a cProfile of 20 requests per page (the app's
threads).

The first figures of this benchmark led to migration 0010 (a stored due time, indexes for the queue's orders and
an index-only scope index for counts) and to counts capped at 10,000; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the registry benchmark's helpers
from web_load import TARGET_MS, free_port, stop_server, verdict

import desk_wrk

PASSWORD = "desk-bench-2022"
DEFAULT_SERVER = "postgresql+psycopg://chainkeeper:chainkeeper@127.0.0.1:5432/postgres"
SHANGHAI = timedelta(hours=8)
ROUTES = {  # endpoint → route
    "queue p1": "GET /desk", "queue page 2-10": "GET /desk", "queue filtered": "GET /desk",
    "case page": "GET /desk/cases/{id}", "api list p1": "GET /api/v1/desk/cases",
    "api list filtered": "GET /api/v1/desk/cases", "health": "GET /health",
}
ENDPOINTS = tuple(ROUTES)
ROUTE_ORDER = ("GET /desk", "GET /desk/cases/{id}", "GET /api/v1/desk/cases", "GET /health")

CATEGORIES = {"parts_supply": .30, "logistics": .22, "raw_materials": .14, "staff_return": .12, "energy": .07,
              "funding": .06, "policy": .05, "other": .04}
URGENCY = {"normal": .65, "urgent": .27, "critical": .08}
LEVELS = {"county": .12, "city": .70, "province": .13, "ministry": .05}
STATES = ("submitted", "accepted", "assigned", "feedback", "resolved", "closed", "rejected")
STATE_BY_AGE = (  # (max age in days, probabilities of STATES)
    (1, (.55, .20, .13, .04, .01, .00, .07)),
    (7, (.04, .08, .22, .16, .22, .22, .06)),
    (10_000, (.004, .011, .03, .035, .13, .735, .055)),
)
PATH = {  # state → the actions that led there (after "submit")
    "submitted": (), "accepted": ("accept",), "assigned": ("accept", "assign"),
    "feedback": ("accept", "assign", "feedback"), "resolved": ("accept", "assign", "feedback", "confirm"),
    "closed": ("accept", "assign", "feedback", "confirm", "close"), "rejected": ("reject",),
}
TO_STATE = {"submit": "submitted", "accept": "accepted", "assign": "assigned", "feedback": "feedback",
            "confirm": "resolved", "close": "closed", "reject": "rejected"}
MEAN_HOURS = {"accept": 2.0, "assign": 1.0, "feedback": 20.0, "confirm": 14.0, "close": 30.0, "reject": 3.0}
HOUR_WEIGHTS = np.array([.4, .3, .3, .3, .3, .5, 1, 2, 5, 9, 9, 8, 5, 6, 9, 9, 8, 7, 4, 3, 2, 2, 1, .6])
TITLES = {
    "parts_supply": ("{blocking}停产，{product}断供", "{product}供应中断，库存仅余{days}天", "{blocking}无法按期交付{product}"),
    "logistics": ("{product}运输受阻，车辆无法进出{place}", "{place}物流通道中断", "跨省运输{product}的车辆被劝返"),
    "raw_materials": ("{product}原材料短缺", "{blocking}原料库存告急", "上游{product}涨价且限量供应"),
    "staff_return": ("{blocking}员工无法返岗", "{place}封控，一线工人无法到岗", "返岗人员核酸检测与闭环安排"),
    "energy": ("{place}限电，{blocking}开工不足", "天然气供应不足影响生产", "{blocking}用电指标不足"),
    "funding": ("流动资金紧张，申请纾困贷款", "应收账款回款困难，申请协调", "申请延期缴纳社保与税款"),
    "policy": ("申请纳入复工复产白名单", "申请办理重点物资运输通行证", "防疫政策执行口径不一，请求协调"),
    "other": ("其他诉求：{product}检验检测受阻", "其他诉求：出口报关延误", "其他诉求：设备厂家技术人员无法到场"),
}
BLOCKED = ("供应商停产，库存仅能维持数日", "运输车辆无法通行，零部件无法到厂", "一线员工返岗率不足三成",
           "原材料到货延迟，生产线停线", "限电导致开工率不足五成")
HELP = ("请协调供应商尽快复工复产", "请协调开通重点物资运输绿色通道", "请协调员工闭环返岗",
        "请协调纳入复工白名单", "请协调保障用电用气")
NAMED = ("{place}高速出口", "{place}港集装箱码头", "{place}供电公司", "{place}物流园区", "{place}防疫指挥部",
         "{place}海关")
MEASURES = ("已协调供应商复产，明日恢复发货", "已开通绿色通道，车辆凭通行证通行", "已安排点对点班车闭环返岗",
            "已协调电网优先保障供电", "已纳入白名单并组织复工检查")


# --------------------------------------------------------------------------------------------------------- data


def server_url(args) -> str:
    return args.database_url or os.environ.get("CHAINKEEPER_TEST_POSTGRES_URL") or DEFAULT_SERVER


def database_url(args) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url(args)).set(database=args.database).render_as_string(hide_password=False)


def admin_execute(args, *statements: str) -> list:
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url(args), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return [connection.execute(text(s)).all() if s.lstrip().upper().startswith("SELECT")
                    else connection.execute(text(s)) and None for s in statements]
    finally:
        admin.dispose()


def pick(rng: np.random.Generator, table: dict[str, float], size: int) -> np.ndarray:
    keys = list(table)
    p = np.array([table[k] for k in keys])
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def submission_times(rng: np.random.Generator, n: int, per_day: int, days: int, now: datetime) -> list[datetime]:
    """``per_day`` times in the last 24 hours, the rest over the ``days`` before (recent days more often); the time of
    day follows Shanghai office hours. Sorted, oldest first."""
    day_index = np.zeros(n, dtype=np.int64)
    older = n - min(per_day, n)
    day_index[:older] = 1 + np.floor(days * rng.random(older) ** 1.6).astype(np.int64)
    hours = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum()) + rng.random(n)
    local_now = (now + SHANGHAI).replace(tzinfo=None)
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    offsets = (local_now - midnight).total_seconds()
    seconds = hours * 3600.0
    back = np.where(seconds > offsets, 1, 0) + day_index  # a time of day still ahead today: the day before
    stamps = [now - timedelta(seconds=float(offsets - s) + 86400.0 * int(b)) for s, b in zip(seconds, back)]
    stamps.sort()
    return [t.replace(microsecond=0) for t in stamps]


def impact_json(rng: random.Random, priority: float, names: list[tuple[int, str, str]]) -> str:
    """An impact summary shaped like ``assessment.impact_summary``."""
    affected = rng.randint(0, 40)
    firms = []
    for _ in range(min(affected, rng.randint(0, 6))):
        firm_id, uscc, name = rng.choice(names)
        day90 = rng.randint(1, 20)
        firms.append({"id": firm_id, "uscc": uscc, "name": name, "day_below_90": day90,
                      "day_below_50": day90 + rng.randint(1, 8) if rng.random() < .6 else None,
                      "min_level": round(rng.random(), 4), "listed": rng.random() < .3})
    first = min((f["day_below_90"] for f in firms), default=None)
    listed = sum(f["listed"] for f in firms)
    return json.dumps({"horizon_days": 30, "n_blocked": rng.randint(1, 3), "n_affected": affected,
                       "n_listed_affected": listed, "n_listed_stopping": listed,
                       "listed_within_days": first + 2 if listed and first else None, "first_stop_day": first,
                       "output_at_risk_cny": round(priority * 1e6, 2),
                       "blocked_output_cny": round(priority * 3e5, 2), "firms": firms}, ensure_ascii=False)


def generate_cases(engine, n: int, per_day: int, days: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Case rows and their timeline rows (ids assigned after the existing ones)."""
    from sqlalchemy import text

    from chainkeeper.coordination.policy import desk_policy
    from chainkeeper.registry.names import normalize_name

    rng, rnd = np.random.default_rng(seed), random.Random(seed)
    with engine.connect() as connection:
        firms = connection.execute(text("SELECT id, county_code, province_code, chain_code, name, uscc "
                                        "FROM enterprise ORDER BY id")).all()
        links = np.array(connection.execute(text("SELECT supplier_id, customer_id, coalesce(product_id, 0) "
                                                 "FROM supply_link")).all(), dtype=np.int64)
        products = dict(connection.execute(text("SELECT id, name FROM product")).all())
        places = dict(connection.execute(text("SELECT code, name FROM region WHERE length(code) = 6")).all())
        case_id = connection.scalar(text("SELECT coalesce(max(id), 0) FROM desk_case")) + 1
        event_id = connection.scalar(text("SELECT coalesce(max(id), 0) FROM desk_case_event")) + 1
    firm = {row.id: row for row in firms}
    by_province = defaultdict(list)
    for row in firms:
        by_province[row.province_code].append(row.id)
    names = [(row.id, row.uscc, row.name) for row in firms[:: max(1, len(firms) // 5000)]]
    counties = sorted(firm_row.county_code for firm_row in firms)  # unregistered parties: where firms are
    policy, now = desk_policy(), datetime.now(UTC).replace(microsecond=0)

    submitted = submission_times(rng, n, per_day, days, now)
    category, urgency, level = pick(rng, CATEGORIES, n), pick(rng, URGENCY, n), pick(rng, LEVELS, n)
    kind = rng.random(n)
    chosen_links = links[rng.integers(0, len(links), size=n)]
    cases, events = [], []
    for i in range(n):
        at, cat = submitted[i], str(category[i])
        age_days = (now - at).total_seconds() / 86400
        state = STATES[rng.choice(len(STATES), p=next(p for limit, p in STATE_BY_AGE if age_days <= limit))]
        supplier, customer, product_id = (int(x) for x in chosen_links[i])
        requester = firm[customer]
        named_share = .45 if cat in ("logistics", "energy", "policy", "funding") else .08
        if kind[i] < named_share:
            county = rnd.choice(counties)
            place = places.get(county, county)
            blocking_id, blocking_name, blocking_region = None, rnd.choice(NAMED).format(place=place), county
        elif kind[i] < named_share + .22:
            choices = by_province[requester.province_code]
            other = rnd.choice(choices)
            blocking = firm[other if other != requester.id else supplier]
            blocking_id, blocking_name, blocking_region = blocking.id, blocking.name, blocking.county_code
        else:
            blocking = firm[supplier]
            blocking_id, blocking_name, blocking_region = blocking.id, blocking.name, blocking.county_code
        product = products.get(product_id, "零部件")
        lvl = str(level[i])
        handling = {"county": blocking_region[:6], "city": blocking_region[:4], "province": blocking_region[:2],
                    "ministry": ""}[lvl]
        title = rnd.choice(TITLES[cat]).format(blocking=blocking_name[:40], product=product[:40],
                                               place=places.get(blocking_region, "当地"), days=rnd.randint(1, 7))
        accept_due = policy.sla.accept_deadline(cat, at, policy.calendar)
        # the timeline: each step some exponential time after the previous, squeezed to end before now
        steps = PATH[state]
        gaps = [rng.exponential(MEAN_HOURS[s]) + 0.05 for s in steps]
        room = (now - at).total_seconds() / 3600 * 0.95
        if sum(gaps) > room:
            gaps = [g * room / sum(gaps) for g in gaps]
        moments, t = {}, at
        for step, gap in zip(steps, gaps):
            t = t + timedelta(hours=gap)
            moments[step] = t.replace(microsecond=0)
        accepted = moments.get("accept")
        resolve_due = policy.sla.resolve_deadline(cat, accepted, policy.calendar) if accepted else None
        due = accept_due if state == "submitted" else resolve_due
        is_open = state in ("submitted", "accepted", "assigned", "feedback")
        assessed = rng.random() < (.55 if age_days < 1 else .92)
        priority = float(rng.lognormal(0, 1.6)) if assessed else None
        region_name = places.get(handling.ljust(6, "0")[:6], "")
        overdue = bool(is_open and due is not None and due < now)
        cases.append({
            "id": case_id, "requester_id": requester.id, "requester_region_code": requester.county_code,
            "filed_by": None, "chain_code": requester.chain_code, "category": cat, "urgency": str(urgency[i]),
            "title": title[:200], "blocked": rnd.choice(BLOCKED), "help_wanted": rnd.choice(HELP),
            "products": product[:500], "blocking_enterprise_id": blocking_id, "blocking_name": blocking_name[:200],
            "blocking_key": normalize_name(blocking_name)[:200], "blocking_region_code": blocking_region,
            "handling_region_code": handling, "level": lvl, "state": state, "liaison_id": None, "letter_id": None,
            "merged_into_id": None, "reason": "材料不全，不予受理" if state == "rejected" else "",
            "measures": rnd.choice(MEASURES) if "feedback" in moments else "", "submitted_at": at,
            "accept_due_at": accept_due, "accepted_at": accepted, "resolve_due_at": resolve_due,
            "due_at": due if state in ("submitted", "accepted", "assigned") else None,
            "feedback_at": moments.get("feedback"), "resolved_at": moments.get("confirm"),
            "closed_at": moments.get("close"), "reminded_at": None, "overdue": overdue, "impact_priority": priority,
            "impact": impact_json(rnd, priority, names) if assessed else None,
            "impact_at": at + timedelta(minutes=5) if assessed else None, "version": 1 + len(steps)})
        previous = None
        for step in ("submit",) + steps:
            requester_side = step in ("submit", "confirm")
            actor = requester.name[:100] if requester_side else f"{region_name or '工信部'}工信部门"
            events.append({"id": event_id, "case_id": case_id, "at": moments.get(step, at), "actor_id": None,
                           "actor_name": actor, "action": step, "from_state": previous, "to_state": TO_STATE[step],
                           "note": cases[-1]["measures"] if step == "feedback" else ""})
            previous, event_id = TO_STATE[step], event_id + 1
        case_id += 1
    return cases, events


def create_users(engine, count: int) -> dict[str, list[str]]:
    """Province and city authority users for the regions with the most cases, and a ministry user."""
    from sqlalchemy import text

    from chainkeeper.auth.roles import Role
    from chainkeeper.auth.service import create_user
    from chainkeeper.db import unit_of_work

    with engine.connect() as connection:
        provinces = connection.scalars(text(
            "SELECT left(blocking_region_code, 2) p FROM desk_case GROUP BY p ORDER BY count(*) DESC LIMIT :n"),
            {"n": count}).all()
        cities = connection.scalars(text(
            "SELECT left(handling_region_code, 4) c FROM desk_case WHERE length(handling_region_code) >= 4 "
            "GROUP BY c ORDER BY count(*) DESC LIMIT :n"), {"n": count}).all()
    users = {"ministry": ["desk_ministry"], "province": [f"desk_p{p}" for p in provinces],
             "city": [f"desk_c{c}" for c in cities]}
    with unit_of_work(engine) as session:
        create_user(session=session, username="desk_ministry", password=PASSWORD, display_name="部级协调员",
                    roles={Role.ministry})
        for code in provinces:
            create_user(session=session, username=f"desk_p{code}", password=PASSWORD, display_name=f"省{code}",
                        roles={Role.province}, region_code=code)
        for code in cities:
            create_user(session=session, username=f"desk_c{code}", password=PASSWORD, display_name=f"市{code}",
                        roles={Role.city}, region_code=code)
    return users


def build(args, workdir: Path) -> dict:
    """The benchmark database (built, or reused when ``--reuse`` and its recorded parameters match)."""
    from sqlalchemy import text

    from chainkeeper.coordination.models import Case, CaseEvent
    from chainkeeper.db import bulk_insert, make_engine, upgrade
    from chainkeeper.demo.service import load_demo

    meta = workdir / "desk_load.json"
    wanted = {"firms": args.firms, "cases": args.cases, "per_day": args.per_day, "days": args.days,
              "seed": args.seed, "database": args.database}
    exists = admin_execute(args, f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'")[0]
    if args.reuse and exists and meta.exists() and json.loads(meta.read_text())["params"] == wanted:
        found = json.loads(meta.read_text())
        print(f"reusing database {args.database}: {found['counts']}")
        return found
    meta.unlink(missing_ok=True)
    admin_execute(args, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)', f'CREATE DATABASE "{args.database}"')
    engine = make_engine(database_url(args))
    upgrade(engine)
    start = time.perf_counter()
    summary = load_demo(engine, n_firms=args.firms, seed=args.seed)
    print(f"demo loaded in {time.perf_counter() - start:.0f} s: {summary.counts}", flush=True)
    start = time.perf_counter()
    cases, events = generate_cases(engine, args.cases, args.per_day, args.days, args.seed + 1)
    print(f"generated {len(cases):,} cases and {len(events):,} timeline events in {time.perf_counter() - start:.0f} s",
          flush=True)
    start = time.perf_counter()
    with engine.begin() as connection:
        bulk_insert(connection, Case.__table__, cases)
        bulk_insert(connection, CaseEvent.__table__, events)
        for table in ("desk_case", "desk_case_event"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
    print(f"written with COPY in {time.perf_counter() - start:.0f} s", flush=True)
    del cases, events
    users = create_users(engine, 8)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        found = {table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
                 for table in ("enterprise", "supply_link", "desk_case", "desk_case_event", "audit_event")}
        found["open cases"] = connection.scalar(text(
            "SELECT count(*) FROM desk_case WHERE state IN ('submitted', 'accepted', 'assigned', 'feedback')"))
        found["last 24 h"] = connection.scalar(text(
            "SELECT count(*) FROM desk_case WHERE submitted_at > now() - interval '1 day'"))
        found["overdue"] = connection.scalar(text("SELECT count(*) FROM desk_case WHERE overdue"))
        size = connection.scalar(text("SELECT pg_size_pretty(pg_database_size(current_database()))"))
    engine.dispose()
    built = {"params": wanted, "counts": found, "users": users, "size": size,
             "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
    meta.write_text(json.dumps(built, indent=1))
    print(f"database {args.database}: {found} ({size})")
    return built


# ------------------------------------------------------------------------------------------------------ samples


def scope_sql(kind: str, code: str) -> str:
    """The same scope as ``coordination.scope.case_scope`` for an authority (national: everything)."""
    if kind == "ministry":
        return "TRUE"
    return (f"(requester_region_code LIKE '{code}%' OR blocking_region_code LIKE '{code}%' "
            f"OR handling_region_code LIKE '{code}%')")


def load_samples(args, users: dict[str, list[str]], per_user: int = 3000) -> dict[str, dict]:
    """Per account: random visible case ids, the regions just below its own (for the region filter), its total."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(args))
    samples = {}
    with engine.connect() as connection:
        for kind, names in users.items():
            for username in names:
                code = "" if kind == "ministry" else username[len("desk_p"):]
                where = scope_sql(kind, code)
                ids = connection.scalars(text(f"SELECT id FROM desk_case TABLESAMPLE BERNOULLI (5) WHERE {where} "
                                              f"LIMIT {per_user}")).all()
                if len(ids) < 100:
                    ids = connection.scalars(text(f"SELECT id FROM desk_case WHERE {where} ORDER BY random() "
                                                  f"LIMIT {per_user}")).all()
                width = {"ministry": 2, "province": 4, "city": 6}[kind]
                regions = connection.scalars(text(
                    f"SELECT DISTINCT left(handling_region_code, {width}) FROM desk_case WHERE {where} "
                    f"AND length(handling_region_code) >= {width}")).all()
                total = connection.scalar(text(f"SELECT count(*) FROM desk_case WHERE {where}"))
                samples[username] = {"kind": kind, "ids": ids, "regions": regions, "total": total}
    engine.dispose()
    return samples


def accounts(users: dict[str, list[str]], n: int) -> list[str]:
    """User i signs in as: the ministry (i % 5 == 0), a province (1, 2) or a city (3, 4), cycling the regions."""
    chosen, counters = [], defaultdict(int)
    for i in range(n):
        kind = ("ministry", "province", "province", "city", "city")[i % 5]
        names = users[kind]
        chosen.append(names[counters[kind] % len(names)])
        counters[kind] += 1
    return chosen


def a_filter(sample: dict, rnd: random.Random, api: bool) -> dict:
    choice = rnd.choice(("open", "state", "category", "overdue", "region"))
    if choice == "open":
        return {"open_only": "true"} if api else {"state": "open"}
    if choice == "state":
        return {"state": rnd.choice(("submitted", "accepted", "assigned", "feedback"))}
    if choice == "category":
        return {"category": rnd.choice(list(CATEGORIES))}
    if choice == "overdue":
        return {"overdue": "true" if api else "1"}
    return {"region": rnd.choice(sample["regions"])} if sample["regions"] else {}


def request_mix(sample: dict, rnd: random.Random) -> list[tuple[str, str]]:
    """One round of a user's work, shuffled: (endpoint, URL)."""
    round_ = [("health", "/health"), ("queue p1", "/desk"),
              ("queue page 2-10", f"/desk?page={rnd.randint(2, 10)}"),
              ("queue filtered", "/desk?" + urlencode(a_filter(sample, rnd, api=False))),
              ("case page", f"/desk/cases/{rnd.choice(sample['ids'])}"),
              ("case page", f"/desk/cases/{rnd.choice(sample['ids'])}"),
              ("api list p1", "/api/v1/desk/cases"),
              ("api list filtered", "/api/v1/desk/cases?" + urlencode(a_filter(sample, rnd, api=True)
                                                                      | {"page": rnd.randint(1, 3)}))]
    rnd.shuffle(round_)
    return round_


# ------------------------------------------------------------------------------------------------------- server


def start_server(args, workdir: Path, port: int, workers: int, log: Path,
                 source: str | None = None) -> subprocess.Popen:
    """``chainkeeper serve`` on the benchmark database; of the package in ``source`` (a ``src`` folder) when given."""
    env = dict(os.environ, CHAINKEEPER_DATABASE_URL=database_url(args), CHAINKEEPER_DATA_DIR=str(workdir),
               PYTHONUNBUFFERED="1")
    if source:
        env["PYTHONPATH"] = source
    env.pop("CHAINKEEPER_WORKERS", None)
    if not args.tick:
        env["CHAINKEEPER_DESK_TICK_SECONDS"] = "0"
    handle = log.open("wb")
    server = subprocess.Popen([sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", str(workers)], env=env, stdout=handle,
                              stderr=subprocess.STDOUT, cwd=workdir)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"the server did not answer /health within 180 s; see {log}")


# ------------------------------------------------------------------------------------------------------ clients


async def login(base: str, index: int, username: str, timeout: float) -> httpx.AsyncClient:
    """A client with its own cookie jar and loopback address (login is throttled per address), signed in."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{2 + index}")
    client = httpx.AsyncClient(base_url=base, transport=transport, timeout=timeout, follow_redirects=False)
    for _ in range(5):
        response = await client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        if response.status_code == 200:
            return client
        print(f"  ! login of {username} failed: {response.status_code} {response.text[:120]!r}", flush=True)
        await asyncio.sleep(1)
    raise SystemExit(f"login as {username} failed 5 times")


async def user_loop(client: httpx.AsyncClient, sample: dict, rnd: random.Random, stop_at: float,
                    record: list | None, failures: dict) -> None:
    while True:
        for endpoint, url in request_mix(sample, rnd):
            if time.perf_counter() >= stop_at:
                return
            start = time.perf_counter()
            try:
                response = await client.get(url)
                status, body = response.status_code, response.text
            except httpx.TimeoutException:
                status, body = "timeout", ""
            except httpx.HTTPError as error:
                status, body = type(error).__name__, str(error)
            elapsed = (time.perf_counter() - start) * 1000
            if record is not None:
                record.append((endpoint, elapsed, status == 200))
                if status != 200:
                    kinds = failures.setdefault(endpoint, {})
                    kinds[str(status)] = kinds.get(str(status), 0) + 1
                    if sum(sum(k.values()) for k in failures.values()) <= 3:
                        print(f"  ! {endpoint} {url} -> {status} after {elapsed:,.0f} ms {body[:160]!r}", flush=True)


def stats_of(values: list[float], failed: int, wall: float) -> dict:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"count": len(values), "failed": failed, "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "max": max(values), "rate": len(values) / wall}


class Counters:
    """CPU over the measured part: the server's processes, the PostgreSQL backends serving the database (those
    started during the run included), the sessions PostgreSQL started on it, the postmaster's reaped children (every
    database), the whole machine (``/proc/stat``) and this process (the sampler; the Python client)."""

    def __init__(self, args, server_pid: int):
        self.args, self.server_pid = args, server_pid
        self.postmaster = desk_wrk.postmaster_of(server_url(args))

    def start(self) -> None:
        self.server = desk_wrk.tree_cpu(self.server_pid)
        self.sessions = desk_wrk.sessions_created(admin_execute, self.args)
        self.reaped = desk_wrk.reaped_cpu(self.postmaster)
        self.sampler = desk_wrk.BackendSampler(self.postmaster, self.args.database)
        self.sampler.start()
        self.own, self.machine, self.started = os.times(), desk_wrk.machine_cpu(), time.monotonic()

    def stop(self, result: dict) -> dict:
        machine, elapsed, own = desk_wrk.machine_cpu(), time.monotonic() - self.started, os.times()
        result["server_cpu"] = desk_wrk.cpu_between(self.server, desk_wrk.tree_cpu(self.server_pid))
        result["postgres_cpu"], result["backends_seen"] = self.sampler.stop()
        result["postgres_reaped_cpu"] = desk_wrk.reaped_cpu(self.postmaster) - self.reaped
        result["machine_busy"] = machine[0] - self.machine[0]
        result["machine_idle"] = machine[1] - self.machine[1]
        result["measured_seconds"] = elapsed
        result["bench_cpu"] = sum(own[:2]) - sum(self.own[:2])
        time.sleep(1.5)  # backends report a new session to the statistics within a second or so
        result["sessions"] = desk_wrk.sessions_created(admin_execute, self.args) - self.sessions
        return result


async def signed_in(base: str, names: list[str], args) -> list[httpx.AsyncClient]:
    return [await login(base, i, username, args.timeout) for i, username in enumerate(names)]


async def load(port: int, names: list[str], samples: dict, args, seed: int, counters: Counters) -> dict:
    base = f"http://127.0.0.1:{port}"
    clients = await signed_in(base, names, args)
    try:
        rnds = [random.Random(seed * 1000 + i) for i in range(len(clients))]
        stop_at = time.perf_counter() + args.warmup
        await asyncio.gather(*(user_loop(c, samples[u], r, stop_at, None, {})
                               for c, u, r in zip(clients, names, rnds)))
        record, failures = [], {}
        counters.start()
        started, cpu_before = time.perf_counter(), os.times()
        await asyncio.gather(*(user_loop(c, samples[u], r, started + args.seconds, record, failures)
                               for c, u, r in zip(clients, names, rnds)))
        wall = time.perf_counter() - started
        client_cpu = sum(os.times()[:2]) - sum(cpu_before[:2])
        cpu = counters.stop({})
    finally:
        for client in clients:
            await client.aclose()
    by_endpoint, by_route = defaultdict(list), defaultdict(list)
    failed_endpoint, failed_route = defaultdict(int), defaultdict(int)
    for endpoint, elapsed, ok in record:
        by_endpoint[endpoint].append(elapsed)
        by_route[ROUTES[endpoint]].append(elapsed)
        failed_endpoint[endpoint] += not ok
        failed_route[ROUTES[endpoint]] += not ok
    return {"endpoints": {e: stats_of(v, failed_endpoint[e], wall) for e, v in by_endpoint.items()},
            "routes": {r: stats_of(v, failed_route[r], wall) for r, v in by_route.items()},
            "failures": failures, "wall": wall, "requests": len(record), "client_cpu": client_cpu,
            "failed": sum(failed_endpoint.values()), **cpu}


def load_wrk(port: int, names: list[str], samples: dict, args, seed: int, counters: Counters, workdir: Path) -> dict:
    """The same users and mix driven by wrk (see desk_wrk): warm-up run, then the measured run."""
    async def cookies() -> list[str]:
        clients = await signed_in(f"http://127.0.0.1:{port}", names, args)
        jars = ["; ".join(f"{c.name}={c.value}" for c in client.cookies.jar) for client in clients]
        for client in clients:
            await client.aclose()
        return jars

    script = workdir / f"desk_wrk_u{args.users}.lua"
    desk_wrk.write_script(script, asyncio.run(cookies()), [samples[u] for u in names], request_mix, seed)
    if args.warmup:
        desk_wrk.run_wrk(port, script, args.warmup, len(names), args.wrk_threads, args.timeout)
    counters.start()
    result = desk_wrk.run_wrk(port, script, args.seconds, len(names), args.wrk_threads, args.timeout)
    return counters.stop(result)


def cpu_line(result: dict) -> str:
    """Server and PostgreSQL CPU per request of a run, the sessions PostgreSQL started, the whole machine."""
    n = max(result["requests"], 1)
    busy, seconds = result["machine_busy"], result["measured_seconds"]
    client = result["client_cpu"] if result.get("client") == "wrk" else 0.0  # the Python client is this process
    other = busy - result["server_cpu"] - result["postgres_cpu"] - client - result["bench_cpu"]
    return (f"server processes CPU {result['server_cpu']:.1f} s = {result['server_cpu'] * 1000 / n:.1f} ms/request "
            f"({result['server_cpu'] / result['wall']:.0%} of one core); PostgreSQL backends of the database "
            f"{result['postgres_cpu']:.1f} s = {result['postgres_cpu'] * 1000 / n:.1f} ms/request "
            f"({result['backends_seen']} backends seen); sessions started on the database {result['sessions']} "
            f"({result['sessions'] / max(seconds, 1e-9):.1f}/s); ended PostgreSQL backends of any database "
            f"{result['postgres_reaped_cpu']:.1f} s\nwhole machine: busy {busy:.1f} s of {seconds:.1f} s "
            f"({busy / seconds:.2f} cores of {os.cpu_count()}, idle {result['machine_idle']:.1f} s); server + "
            f"PostgreSQL backends = {(result['server_cpu'] + result['postgres_cpu']) * 1000 / n:.1f} ms/request; "
            f"this script {result['bench_cpu']:.1f} s; everything else (other jobs, PostgreSQL's own processes) "
            f"{other:.1f} s")


def print_wrk_run(result: dict) -> None:
    print(f"wrk, whole mix: {result['requests']:,} requests in {result['wall']:.0f} s = "
          f"{result['requests'] / result['wall']:.1f} req/s; median {result['p50']:.1f} ms, p90 {result['p90']:.1f}, "
          f"**p95 {result['p95']:.1f} ms**, p99 {result['p99']:.1f}, max {result['max']:.0f}; "
          f"{result['failed']} failed (status {result['status']}, timeout {result['timeout']}); "
          f"wrk CPU {result['client_cpu']:.1f} s ({result['client_cpu'] / result['wall']:.0%} of one core)\n"
          f"{cpu_line(result)}  p95 < {TARGET_MS:.0f} ms: {verdict(result['p95'], result['failed'])}", flush=True)


def wrk_summary(results: list[dict]) -> str:
    """Medians across wrk runs, one line."""
    med = {key: statistics.median(r[key] for r in results) for key in ("p50", "p95", "p99")}
    rate = statistics.median(r["requests"] / r["wall"] for r in results)
    server = statistics.median(r["server_cpu"] * 1000 / max(r["requests"], 1) for r in results)
    postgres = statistics.median(r["postgres_cpu"] * 1000 / max(r["requests"], 1) for r in results)
    return (f"wrk, whole mix, medians of {len(results)} runs: median {med['p50']:.0f} ms, **p95 {med['p95']:.0f} ms** "
            f"(per run {' / '.join(format(r['p95'], '.0f') for r in results)}), p99 {med['p99']:.0f} ms, "
            f"{rate:.1f} req/s, server CPU {server:.1f} ms/request, PostgreSQL {postgres:.1f} ms/request, "
            f"{sum(r['failed'] for r in results)} failed")


# ------------------------------------------------------------------------------------------------------ reports


def print_run(result: dict) -> None:
    print(f"{'endpoint / route':26} {'count':>6} {'failed':>6} {'req/s':>6} {'median':>8} {'p95':>8} {'p99':>8}  "
          f"p95 < {TARGET_MS:.0f} ms")
    for group, names in (("endpoints", ENDPOINTS), ("routes", ROUTE_ORDER)):
        for name in names:
            s = result[group].get(name)
            if s and not (group == "endpoints" and name == "health"):
                print(f"{name:26} {s['count']:6d} {s['failed']:6d} {s['rate']:6.1f} {s['p50']:8.1f} {s['p95']:8.1f} "
                      f"{s['p99']:8.1f}  {verdict(s['p95'], s['failed'])}")
    print(f"{result['requests']:,} requests in {result['wall']:.0f} s = {result['requests'] / result['wall']:.1f} "
          f"req/s; {result['failed']} failed; load generator CPU {result['client_cpu']:.0f} s "
          f"({result['client_cpu'] / result['wall']:.0%} of one core)\n{cpu_line(result)}", flush=True)


def summary_table(results: list[dict]) -> str:
    """Markdown: per route and endpoint the medians across runs (p95 judged on the median p95)."""
    lines = [("| route / endpoint | requests | failed | req/s | median ms | p95 ms (per run) | **p95 ms** | p99 ms "
              f"| p95 < {TARGET_MS:.0f} ms |"), "|---|---|---|---|---|---|---|---|---|"]
    rows = [("routes", r, f"**{r}**") for r in ROUTE_ORDER] + [
        ("endpoints", e, f"&nbsp;&nbsp;{e}") for e in ENDPOINTS if e != "health"]
    for group, name, label in rows:
        per_run = [r[group][name] for r in results if name in r[group]]
        if not per_run:
            continue
        p95 = statistics.median(s["p95"] for s in per_run)
        failed = sum(s["failed"] for s in per_run)
        lines.append(f"| {label} | {sum(s['count'] for s in per_run):,} | {failed:,} | "
                     f"{statistics.median(s['rate'] for s in per_run):.1f} | "
                     f"{statistics.median(s['p50'] for s in per_run):,.0f} | "
                     f"{' / '.join(format(s['p95'], ',.0f') for s in per_run)} | **{p95:,.0f}** | "
                     f"{statistics.median(s['p99'] for s in per_run):,.0f} | {verdict(p95, failed)} |")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------------ profile


def profile(args, users: dict[str, list[str]], samples: dict) -> None:
    """One request of each page in-process: its SQL with times, EXPLAIN ANALYZE of the queue SQL, cProfile."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from chainkeeper.db import make_engine
    from chainkeeper.web.app import create_app

    engine = make_engine(database_url(args))
    statements: list[list] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        statements.append([statement, parameters, (time.perf_counter() - conn.info["started"].pop()) * 1000])

    app = create_app(engine=engine)
    for kind in ("province", "city", "ministry"):
        username = users[kind][0]
        sample = samples[username]
        rnd = random.Random(1)
        urls = {"queue p1": "/desk", "queue page 5": "/desk?page=5", "queue open": "/desk?state=open",
                "case page": f"/desk/cases/{rnd.choice(sample['ids'])}", "api list p1": "/api/v1/desk/cases"}
        print(f"\n=== {username} ({kind}, {sample['total']:,} visible cases) ===")
        for label, url in urls.items():
            profilers: list[cProfile.Profile] = []

            def start_profiler(frame, event_, arg, profilers=profilers):  # the app's threads (event loop, workers)
                profiler = cProfile.Profile()
                profilers.append(profiler)
                profiler.enable()

            with TestClient(app, base_url="http://127.0.0.1") as client:
                login = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
                assert login.status_code == 200, login.text
                for _ in range(3):  # warm
                    client.get(url)
                statements.clear()
                start = time.perf_counter()
                assert client.get(url).status_code == 200, url
                total = (time.perf_counter() - start) * 1000
                sql = sum(s[2] for s in statements)
                print(f"\n--- {label} {url}: {total:.1f} ms, {len(statements)} SQL statements, {sql:.1f} ms in SQL, "
                      f"{total - sql:.1f} ms outside")
                for statement, parameters, ms in sorted(statements, key=lambda s: -s[2])[:4]:
                    print(f"  {ms:7.1f} ms  {' '.join(statement.split())[:150]}")
                if label in ("queue p1", "queue open"):
                    explain(engine, [s for s in statements if "desk_case" in s[0] and "count(*)" in s[0]][:1] +
                            [s for s in statements if "FROM desk_case" in s[0] and "LIMIT" in s[0]][:1])
            threading.setprofile(start_profiler)  # threads started from now on profile themselves
            try:
                with TestClient(app, base_url="http://127.0.0.1") as client:
                    client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
                    for _ in range(2):
                        client.get(url)
                    for profiler in profilers:  # the threads are idle: forget the login and the warm-up
                        profiler.clear()
                    start = time.perf_counter()
                    for _ in range(20):
                        client.get(url)
                    wall = time.perf_counter() - start
                    for profiler in profilers:
                        profiler.disable()
            finally:
                threading.setprofile(None)
            out = io.StringIO()
            stats = pstats.Stats(*profilers, stream=out)
            stats.sort_stats("cumulative").print_stats(r"chainkeeper|jinja2/environment|sqlalchemy/orm/session|"
                                                       r"fastapi/routing|psycopg/cursor", 14)
            text_ = out.getvalue()
            print(f"  cProfile of 20 requests ({wall * 1000:.0f} ms under the profiler), the app's threads, "
                  f"by cumulative time:\n" + "\n".join(
                      "  " + line for line in text_[text_.index("   ncalls"):].splitlines() if line.strip()))
    engine.dispose()


def explain(engine, statements: list[list]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters, _ in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("  EXPLAIN ANALYZE " + " ".join(statement.split())[:120] + " …")
            for (line,) in cursor.fetchall():
                print("    " + line)
    finally:
        raw.close()


# --------------------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-desk-load"))
    parser.add_argument("--reuse", action="store_true", help="reuse the database if built with the same parameters")
    parser.add_argument("--database-url", help="PostgreSQL server URL whose user may create databases "
                        "(default: CHAINKEEPER_TEST_POSTGRES_URL or the local test server)")
    parser.add_argument("--database", default="ck_desk_load", help="name of the benchmark database (re-created)")
    parser.add_argument("--firms", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--per-day", type=int, default=10_000, help="cases filed in the last 24 hours")
    parser.add_argument("--days", type=int, default=120, help="the older cases span this many days")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="server processes (one set of runs per count)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=120, help="client timeout per request, seconds")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tick", action="store_true", help="keep the desk's scheduler on in the server")
    parser.add_argument("--profile", action="store_true", help="profile one request of each page instead of loading")
    parser.add_argument("--client", choices=("python", "wrk"), default="python",
                        help="load generator: the Python client (per-route figures) or Debian's wrk (compiled: "
                             "leaves the cores to the server; whole-mix percentiles)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads (--client wrk)")
    parser.add_argument("--before", type=Path, help="a src folder of older code (git archive main src | tar -x -C "
                        "DIR): each run of it is followed by one of this code, on the same database")
    args = parser.parse_args()

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["CHAINKEEPER_DATA_DIR"] = str(workdir)  # signing keys and attachments of the demo
    os.environ.pop("CHAINKEEPER_DATABASE_URL", None)
    built = build(args, workdir)
    samples = load_samples(args, built["users"])
    if args.profile:
        profile(args, built["users"], samples)
    else:
        benchmark(args, workdir, built, samples)


def benchmark(args, workdir: Path, built: dict, samples: dict) -> None:
    """``--runs`` load runs per ``--workers`` count (with ``--before``: each run of the old code followed by one of
    this code, alternating); prints each run and the medians."""
    from sqlalchemy import __version__ as sqlalchemy_version

    names = accounts(built["users"], args.users)
    server_version = admin_execute(args, "SELECT current_setting('server_version')")[0][0][0]
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"PostgreSQL {server_version}, SQLAlchemy {sqlalchemy_version}")
    print(f"machine: {machine}\nusers: {', '.join(names)}\nvisible cases: " +
          ", ".join(f"{u} {samples[u]['total']:,}" for u in dict.fromkeys(names)))
    variants = {"before": str(args.before.resolve()), "after": None} if args.before else {"this code": None}
    summaries = []
    for workers in args.workers:
        results: dict[str, list[dict]] = {variant: [] for variant in variants}
        for run in range(args.runs):
            for variant, source in variants.items():
                result = one_run(args, workdir, names, samples, workers, run, source)
                result["variant"] = variant
                results[variant].append(result)
                print(f"\nrun {run + 1}/{args.runs} ({variant}{': ' + source if source else ''}): {workers} "
                      f"worker(s), {args.users} users, {args.seconds:.0f} s, client {args.client}, 1-min load "
                      f"average before {result['load_before']:.1f}, after {result['load_after']:.1f}")
                (print_wrk_run if args.client == "wrk" else print_run)(result)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        (workdir / f"desk_load_results_{args.client}_w{workers}_u{args.users}.json").write_text(json.dumps(
            {"date": stamp, "machine": machine, "database": built, "workers": workers,
             "args": {k: str(v) for k, v in vars(args).items()}, "runs": results}, indent=1))
        summaries.append(f"\n{stamp}; {machine}; {built['counts']['enterprise']:,} enterprises, "
                         f"{built['counts']['desk_case']:,} cases ({built['counts']['open cases']:,} open, "
                         f"{built['counts']['last 24 h']:,} in the last 24 h); {workers} worker(s); "
                         f"{args.users} users × {args.seconds:.0f} s × {args.runs} runs; medians across runs:")
        for variant, found in results.items():
            summaries.append(f"\n{variant}:\n" + (wrk_summary(found) if args.client == "wrk"
                                                    else summary_table(found)) + "\n" + per_run_line(found))
        if args.before:
            summaries.append(ratio_line(results["before"], results["after"]))
    print("\n".join(summaries))


def one_run(args, workdir: Path, names: list[str], samples: dict, workers: int, run: int,
            source: str | None) -> dict:
    """Start a server (of the code in ``source`` when given), load it, stop it; the run's result."""
    port = args.port or free_port()
    load_avg = os.getloadavg()[0]
    log = workdir / f"server-w{workers}-u{args.users}-run{run + 1}{'-before' if source else ''}.log"
    server = start_server(args, workdir, port, workers, log, source)
    counters = Counters(args, server.pid)
    try:
        if args.client == "wrk":
            result = load_wrk(port, names, samples, args, args.seed + run, counters, workdir)
        else:
            result = asyncio.run(load(port, names, samples, args, args.seed + run, counters))
    finally:
        stop_server(server)
    result["load_before"], result["client"], result["load_after"] = load_avg, args.client, os.getloadavg()[0]
    return result


def per_request(result: dict, key: str) -> float:
    return result[key] * 1000 / max(result["requests"], 1)


def per_run_line(results: list[dict]) -> str:
    """Per run: throughput, CPU per request (server, PostgreSQL), sessions started, machine busy, load."""
    def each(value) -> str:
        return " / ".join(value(r) for r in results)
    return (f"per run: {each(lambda r: format(r['requests'] / r['wall'], '.1f'))} req/s; server CPU "
            f"{each(lambda r: format(per_request(r, 'server_cpu'), '.2f'))} ms/request; PostgreSQL backends "
            f"{each(lambda r: format(per_request(r, 'postgres_cpu'), '.2f'))} ms/request; sessions started "
            f"{each(lambda r: str(r['sessions']))}; machine busy "
            f"{each(lambda r: format(r['machine_busy'] / r['measured_seconds'], '.2f'))} cores; load before "
            f"{each(lambda r: format(r['load_before'], '.1f'))}")


def ratio_line(before: list[dict], after: list[dict]) -> str:
    """After against before: medians of the CPU per request and of the sessions started."""
    def med(results: list[dict], value) -> float:
        return statistics.median(value(r) for r in results)
    lines = ["\nafter / before (medians):"]
    for label, value in (("server CPU ms/request", lambda r: per_request(r, "server_cpu")),
                         ("PostgreSQL backends CPU ms/request", lambda r: per_request(r, "postgres_cpu")),
                         ("server + PostgreSQL ms/request",
                          lambda r: per_request(r, "server_cpu") + per_request(r, "postgres_cpu")),
                         ("sessions started per run", lambda r: r["sessions"]),
                         ("req/s", lambda r: r["requests"] / r["wall"])):
        b, a = med(before, value), med(after, value)
        lines.append(f"  {label}: {b:.2f} → {a:.2f} ({a / b:.2f}×)" if b else f"  {label}: {b:.2f} → {a:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
