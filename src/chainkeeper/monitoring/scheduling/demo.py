"""The demo's daily scheduling: the 15 key auto groups and two weeks of daily reports across the Shanghai lockdown.

How the numbers derive from the engine (so that the reports are consistent with what the engine computes, and the
forecast's backtest can check itself against them):

- The registry network is simulated day by day (:func:`chainkeeper.network.iterate_days`) under the demo's April
  2022 story as the analysis workspace keeps it (:data:`chainkeeper.analysis.demo.APRIL_2022`): every Shanghai firm
  loses 90% of its capacity for 30 days from day 0 = 2022-04-01, the authors' priority rationing. Report day
  2022-04-11 is engine day 10, 2022-04-24 is day 23.
- Groups: the 15 OEMs (classes 3611/3612) with the largest baseline output, one group each (about 90% of the OEMs'
  output), every group with its largest essential suppliers (3 per OEM, each supplier in one group) — the "key
  suppliers" that report too. In a smaller demo economy there are fewer OEMs and so fewer groups.
- Baselines: the engine's baseline output ``x0`` (the registry's annual values) over 365 days, in 万元
  (``baseline_output_value``); units at a nominal price per unit (a vehicle 15 万元, a battery pack 5 万元, any other
  part 0.05 万元); normal staff = 1.2 people per 万元 of daily output (at least 30).
- A report of day d: ``output_value`` = baseline × production(d) / x0; ``output_units`` likewise;
  ``capacity_utilisation`` = 100 × capacity(d) / x0 (the share of its normal capacity the plant could run: the
  engine's capacity, which is what the forecast seeds — a plant idle for lack of parts reports low output but its
  capacity unchanged); ``staff_on_site`` = normal staff × capacity share (× 0.95–1.0); ``inventory``: one row per
  essential input industry (its GB/T 4754 class), ``days`` = the customer's stock of that industry's inputs
  (Σ over its supplier links) ÷ their baseline daily use, as the engine holds them at the end of day d, the
  shortest six; ``supplier_uscc`` when a single supplier delivers that input; ``logistics``: blocked in Shanghai
  while it is cut, constrained where an input runs below 7 days, else normal.
- Late and missing: a seeded draw makes about 8% of reports late (submitted after the 17:00 cut-off) and drops
  about 3%; a few problems are written where the numbers call for them (a Shanghai plant's staff, an input below
  3 days naming its supplier industry, a blocked route).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from chainkeeper.analysis.demo import APRIL_2022
from chainkeeper.analysis.loader import RegistryNetwork, load_registry_network
from chainkeeper.auth.service import caller_named
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import service
from chainkeeper.monitoring.scheduling.models import MonitoredGroup, MonitoredMember
from chainkeeper.network import Shock
from chainkeeper.reference.models import Industry
from chainkeeper.reporting import service as reporting
from chainkeeper.reporting.scope import CHINA

FIRST_DAY, LAST_DAY = date(2022, 4, 11), date(2022, 4, 24)
DAY_ZERO = APRIL_2022.on or date(2022, 4, 1)
GROUPS = 15
SUPPLIERS_PER_GROUP = 3
OEM_CLASSES = ("3611", "3612")
UNIT_PRICE = {"3611": 15.0, "3612": 15.0, "3841": 5.0}  # 万元 per unit; any other part 0.05
STAFF_PER_WAN = 1.2
INVENTORY_ROWS = 6
SEED = 2022


@dataclass
class Reporter:
    """A firm that reports: its index in the network, its group and its baseline."""

    index: int
    enterprise_id: int
    group: int  # index of its OEM in ``DemoPlan.oems``
    units: int
    value: float
    staff: int


@dataclass
class DemoPlan:
    """Who reports and what each reported every day (values by (enterprise id, day))."""

    oems: list[int]
    reporters: list[Reporter]
    values: dict[tuple[int, date], dict] = field(default_factory=dict)


def _baseline(loaded: RegistryNetwork, x0: np.ndarray, i: int, group: int) -> Reporter:
    value = float(x0[i]) / 365.0 / 10_000.0
    price = UNIT_PRICE.get(loaded.industries[loaded.network.industry[i]], 0.05)
    return Reporter(i, int(loaded.enterprise_ids[i]), group, int(round(value / price)), round(value, 2),
                    max(30, int(round(value * STAFF_PER_WAN))))


def choose_reporters(loaded: RegistryNetwork, x0: np.ndarray) -> tuple[list[int], list[Reporter]]:
    """The largest OEMs and, for each, its largest essential suppliers not yet taken."""
    net = loaded.network
    industry = np.asarray(net.industry)
    is_oem = np.isin(np.array(loaded.industries)[industry], OEM_CLASSES)
    oems = [int(i) for i in np.argsort(-x0, kind="stable") if is_oem[i]][:GROUPS]
    supplier, customer, weight = np.asarray(net.supplier), np.asarray(net.customer), np.asarray(net.weight)
    essential = np.asarray(net.essential)[industry[supplier], industry[customer]] == 2
    taken = set(oems)
    reporters = [_baseline(loaded, x0, i, g) for g, i in enumerate(oems)]
    for g, oem in enumerate(oems):
        links = np.flatnonzero((customer == oem) & essential)
        for link in links[np.argsort(-weight[links], kind="stable")]:
            if len([r for r in reporters if r.group == g]) > SUPPLIERS_PER_GROUP:
                break
            if int(supplier[link]) not in taken:
                taken.add(int(supplier[link]))
                reporters.append(_baseline(loaded, x0, int(supplier[link]), g))
    return oems, reporters


def _inventory(loaded: RegistryNetwork, state, i: int) -> list[dict]:
    """Days of stock of each essential input industry of firm ``i`` at the end of the day (shortest first)."""
    mdl = state._mdl  # the engine's stock units (one per link, in customer order): customer, supplier, daily use
    units = np.flatnonzero(mdl.unit_cust == i)
    if units.size == 0:
        return []
    stock, use, suppliers = state.stock[units], mdl.unit_a[units], mdl.l_sup[units]
    industries = np.asarray(loaded.network.industry)[suppliers]
    essential = np.asarray(loaded.network.essential)[industries, loaded.network.industry[i]] == 2
    rows = []
    for k in np.unique(industries[essential]):
        inside = essential & (industries == k)
        row = {"input_industry": loaded.industries[int(k)],
               "days": round(float(stock[inside].sum() / max(use[inside].sum(), 1e-12)), 1)}
        if inside.sum() == 1:
            row["supplier_uscc"] = str(loaded.usccs[int(suppliers[inside][0])])
        rows.append(row)
    return sorted(rows, key=lambda row: row["days"])[:INVENTORY_ROWS]


def _values(loaded, state, reporter: Reporter, x0: np.ndarray, rng: np.random.Generator) -> dict:
    i = reporter.index
    level = float(state.production[i] / x0[i]) if x0[i] > 0 else 1.0
    capacity = float(state.capacity[i] / x0[i]) if x0[i] > 0 else 1.0
    inventory = _inventory(loaded, state, i)
    shortest = min((row["days"] for row in inventory), default=99.0)
    logistics = "blocked" if capacity < 0.5 else "constrained" if shortest < 7 else "normal"
    return {"output_units": int(round(reporter.units * level)), "output_value": round(reporter.value * level, 2),
            "capacity_utilisation": round(100.0 * capacity, 1),
            "staff_on_site": int(round(reporter.staff * capacity * rng.uniform(0.95, 1.0))),
            "staff_normal": reporter.staff, "inventory": inventory, "logistics": logistics, "problem": ""}


def simulate_reports(loaded: RegistryNetwork, industry_names: dict[str, str] | None = None) -> DemoPlan:
    """The April story day by day and each reporter's values on every report day."""
    from chainkeeper.network.simulate import iterate_days  # numba on first use, not at start-up

    net = loaded.network
    shock = Shock(cut=APRIL_2022.cut, regions=[int(code) for code in APRIL_2022.regions],
                  duration=APRIL_2022.duration)
    days = (LAST_DAY - DAY_ZERO).days + 1
    rng = np.random.default_rng(SEED)
    plan: DemoPlan | None = None
    for state in iterate_days(net, [shock], days=days, rationing=APRIL_2022.rationing):
        if plan is None:
            x0 = np.asarray(state._mdl.x0)
            plan = DemoPlan(*choose_reporters(loaded, x0))
        day = DAY_ZERO + timedelta(days=state.day)
        if day < FIRST_DAY:
            continue
        for reporter in plan.reporters:
            plan.values[(reporter.enterprise_id, day)] = _values(loaded, state, reporter, x0, rng)
    _write_problems(plan, industry_names or {})
    return plan


def _write_problems(plan: DemoPlan, industry_names: dict[str, str]) -> None:
    """A few problems where the numbers call for one, each reporter on its own day of the fortnight (at most 10):
    a plant stopped by the lockdown asks for its staff and trucks, one whose input runs below 3 days for its
    supplier's restart."""
    written = 0
    for reporter in plan.reporters:
        day = FIRST_DAY + timedelta(days=(reporter.enterprise_id * 7) % 12)
        values = plan.values.get((reporter.enterprise_id, day))
        if values is None or written >= 10:
            continue
        short = [row for row in values["inventory"] if row["days"] < 3]
        if values["logistics"] == "blocked":
            values["problem"] = "园区封控，员工无法返岗，闭环生产只能维持一成产能；请协调员工返岗和货车通行。"
        elif short:
            row = short[0]
            name = industry_names.get(row["input_industry"], row["input_industry"])
            values["problem"] = (f"{name}类物料库存仅剩 {row['days']:g} 天，上游供应商停产，请协调供应商复产保供。")
        else:
            continue
        written += 1


def _group_name(name: str) -> str:
    for suffix in ("股份有限公司", "有限责任公司", "有限公司"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name if name.endswith("集团") else f"{name}集团"


def _moment(day: date, late: bool, rng: np.random.Generator) -> datetime:
    """When the report came: before the 17:00 cut-off, or 1–4 hours after it."""
    hours = 17 + rng.uniform(1, 4) if late else rng.uniform(9, 16.5)
    local = datetime.combine(day, datetime.min.time(), CHINA) + timedelta(hours=float(hours))
    return local.astimezone(timezone.utc)


def write_demo(session: Session, loaded: RegistryNetwork, plan: DemoPlan) -> dict[str, int]:
    """The groups, members and assignments, and every report (the OEM user's own, the ministry's on behalf)."""
    ministry = caller_named(session, "ministry") or service.SYSTEM_CALLER
    oem_user = caller_named(session, "oem")
    service.ensure_daily_type(session)
    members: dict[int, list] = {}
    for reporter in plan.reporters:
        members.setdefault(reporter.group, []).append(reporter)
    for g, oem in enumerate(plan.oems):
        group = MonitoredGroup(name=_group_name(loaded.names[oem]), region_code="", chain_code="auto",
                               created_by=ministry.actor.user_id)
        group.members = [MonitoredMember(enterprise_id=r.enterprise_id, baseline_output_units=r.units,
                                         baseline_output_value=r.value, baseline_staff=r.staff)
                         for r in members.get(g, [])]
        session.add(group)
        reporting.assign(session=session, caller=ministry, type_code=service.TYPE_CODE, group_name=group.name,
                         since=FIRST_DAY, enterprise_ids=[r.enterprise_id for r in members.get(g, [])])
    session.flush()
    rng = np.random.default_rng(SEED + 1)
    count = 0
    for (enterprise_id, day), values in sorted(plan.values.items(), key=lambda item: (item[0][1], item[0][0])):
        draw = rng.uniform()
        own = oem_user is not None and oem_user.principal.enterprise_id == enterprise_id
        if draw < 0.03 and not own:
            continue  # a missing report
        caller = oem_user if own else ministry
        reporting.submit(session=session, caller=caller, type_code=service.TYPE_CODE, enterprise_id=enterprise_id,
                         report_date=day, values=values, channel="web" if own else "api",
                         now=_moment(day, draw > 0.92, rng))
        count += 1
    return {"key groups": len(plan.oems), "daily reports": count}


def create_demo_scheduling(engine: Engine) -> dict[str, int]:
    """Simulate the April story and record the key groups and their two weeks of daily reports."""
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
        names = dict(session.execute(select(Industry.code, Industry.name)).all())
    plan = simulate_reports(loaded, names)
    with unit_of_work(engine) as session:
        return write_demo(session, loaded, plan)
