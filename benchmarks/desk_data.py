"""The desk benchmark's database (``desk_load.py``, step 1): the demo registry of ``--firms`` enterprises, then
``--cases`` generated cases and their timelines written with COPY, and the authority users; reused when built with
the same parameters."""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the registry benchmark's helpers


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


def fold_counts(url: str) -> int:
    """Fold the desk's counter deltas (``case_counts.compact_counts``, the desk's tick) and vacuum their table, as
    the running desk would: ``--writes`` runs leave a delta row per filed case and region prefix, and with the tick off
    beside the benchmark they would pile up from run to run (issue 15). Returns the rows folded away."""
    from sqlalchemy import text

    from chainkeeper.coordination.case_counts import compact_counts
    from chainkeeper.db import make_engine

    engine = make_engine(url)
    try:
        folded = compact_counts(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE desk_case_count"))
        return folded
    finally:
        engine.dispose()


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

    from chainkeeper.coordination.case_counts import compact_counts
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
    start = time.perf_counter()
    folded = compact_counts(engine)  # the triggers left a delta row per case and region prefix, as the tick would fold
    print(f"{folded:,} counter deltas folded in {time.perf_counter() - start:.0f} s", flush=True)
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
