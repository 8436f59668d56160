"""The docking part of the demo: the 2020 medical-supplies story, a week (3–9 February 2020) of daily scheduling of
N95 masks and protective suits. Real cities — Wuhan's and Hubei's front-line hospitals first (class 1), the rest of
Hubei (class 2), other provinces (class 3) — with synthetic producers and hospitals (names say 示例). Every step
goes through the services (reports through the reporting framework, needs reviewed, plans run and published,
shipments and receipts confirmed), so the audit trail and the pages show the week as it would have been."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Engine, select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.demo import demo_password
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.docking import catalogue, needs, plans, producers, requisitions
from chainkeeper.docking.needs import NeedIn
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.uscc import generate
from chainkeeper.reporting import service as reporting

FIRST_DAY, DAYS = date(2020, 2, 3), 7
GOODS = {"med_n95": 1.0, "med_suit": 0.12}  # the suits' scale against the masks'
PRODUCERS = [  # name, county, daily N95 capacity on day 1 (synthetic; real places of the industry)
    ("武汉示例防护用品有限公司", "420106", 9000), ("仙桃示例无纺布制品有限公司", "429004", 30000),
    ("长垣示例卫生材料有限公司", "410783", 40000), ("进贤示例医疗器械有限公司", "360124", 25000),
    ("长沙示例医疗用品有限公司", "430104", 15000), ("广州示例防护科技有限公司", "440113", 20000),
    ("张家港示例医疗用品有限公司", "320582", 12000), ("寿光示例卫生用品有限公司", "370783", 10000),
]
HOSPITALS = [  # name, county, priority class, daily N95 need (synthetic hospitals in real cities)
    ("武汉示例定点救治医院（东西湖）", "420112", 1, 30000), ("武汉示例定点救治医院（蔡甸）", "420114", 1, 25000),
    ("武汉示例定点救治医院（江夏）", "420115", 1, 25000), ("武汉示例综合医院（江汉）", "420103", 1, 20000),
    ("孝感示例中心医院", "420902", 2, 12000), ("黄冈示例中心医院", "421102", 2, 12000),
    ("荆州示例中心医院", "421002", 2, 8000), ("襄阳示例中心医院", "420602", 2, 6000),
    ("温州示例人民医院", "330302", 3, 6000), ("信阳示例中心医院", "411502", 3, 5000),
    ("长沙示例第一医院", "430104", 3, 4000),
]
DEMO_ACCOUNTS = [("hubei", "湖北省经信厅", Role.province, "42", None), ("mask_maker", "武汉示例防护用品", Role.enterprise,
                  None, 0), ("hospital", "武汉示例定点救治医院", Role.enterprise, None, "h0")]


def _firms(engine: Engine, rng: random.Random) -> tuple[list[int], list[int]]:
    rows = [dict(uscc=generate(county, rng), name=name, county_code=county, industry_code="2770", size="medium",
                 labels="", chain="", contact_person="张伟", contact_phone="13900000000")
            for name, county, _cap in PRODUCERS]
    rows += [dict(uscc=generate(county, rng), name=name, county_code=county, industry_code="8411", size="large",
                  labels="", chain="", contact_person="李医生", contact_phone="13800000000")
             for name, county, _cls, _need in HOSPITALS]
    assert import_rows(engine, "enterprises", rows, source="docking demo").written
    with unit_of_work(engine) as session:
        ids = dict(session.execute(select(Enterprise.uscc, Enterprise.id).where(
            Enterprise.uscc.in_([r["uscc"] for r in rows]))).all())
    ordered = [ids[r["uscc"]] for r in rows]
    return ordered[:len(PRODUCERS)], ordered[len(PRODUCERS):]


def _caller(session, username: str) -> Caller:
    principal = principal_of(session.scalars(select(User).where(User.username == username)).one())
    return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))


def _accounts(engine: Engine, makers: list[int], hospitals: list[int]) -> None:
    with unit_of_work(engine) as session:
        for username, name, role, region, firm in DEMO_ACCOUNTS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                enterprise = makers[firm] if firm == 0 else hospitals[0] if firm == "h0" else None
                create_user(session=session, username=username, password=demo_password(username), display_name=name,
                            roles={role}, region_code=region, enterprise_id=enterprise)


def _report_day(session, ministry: Caller, makers: list[int], day: date, n: int, rng: random.Random) -> None:
    for (name, county, capacity), enterprise_id in zip(PRODUCERS, makers):
        ramp = 1 + 0.12 * n  # output rose every day of February 2020
        rows = []
        for good, scale in GOODS.items():
            cap = round(capacity * scale * ramp)
            output = round(cap * rng.uniform(0.8, 1.0))
            rows.append({"good": good, "capacity": cap, "output": output, "finished_stock": round(output * 0.2),
                         "committed": round(output * 0.1), "capacity_tomorrow": round(cap * 1.12)})
        reporting.submit(session=session, caller=ministry, type_code=producers.TYPE_CODE, enterprise_id=enterprise_id,
                         report_date=day, values={"goods": rows}, channel="web")


def _needs_day(session, hubei: Caller, ministry: Caller, hospitals: list[int], day: date, n: int) -> None:
    for (name, county, cls, daily), enterprise_id in zip(HOSPITALS, hospitals):
        for good, scale in GOODS.items():
            poster = hubei if county.startswith("42") else ministry
            need = needs.post(session=session, caller=poster, data=NeedIn(
                good_code=good, quantity=round(daily * scale * (1 + 0.05 * n)), date_needed=day + timedelta(days=1),
                priority=cls, county_code=county, contact_name="李医生", contact_phone="13800000000",
                demander_name=name, enterprise_id=enterprise_id, min_lot=1000 * scale if cls == 3 else 0))
            if n < DAYS - 1 or cls < 3:  # the last day's class-3 needs stay waiting for review
                needs.review(session=session, caller=hubei if county.startswith("42") else ministry,
                             need_id=need.id, approve=True)


def create_demo_docking(engine: Engine, *, seed: int = 2020) -> dict[str, int]:
    """The week: producers report, needs are posted and approved, the ministry runs and publishes each day's
    allocation of each good (fixing one line by hand on the third day), lines are shipped and received the next
    day; the last day's plans stay drafts for the coordinator to review. Returns counts for the demo summary."""
    rng = random.Random(seed)
    makers, hospitals = _firms(engine, rng)
    _accounts(engine, makers, hospitals)
    with unit_of_work(engine) as session:
        catalogue.ensure_catalogue(session)
        ministry = _caller(session, "ministry")
        producers.ensure_producer_type(session=session, caller=ministry)
        producers.enlist(session=session, caller=ministry, enterprise_ids=makers, since=FIRST_DAY)
        requisitions.requisition(session=session, caller=_caller(session, "hubei"), enterprise_id=makers[1],
                                 good_code="med_n95", since=FIRST_DAY, reason="仙桃产能由湖北省统一调拨")
    counts = {"docking plans": 0, "docking lines": 0}
    for n in range(DAYS):
        day = FIRST_DAY + timedelta(days=n)
        with unit_of_work(engine) as session:
            ministry, hubei = _caller(session, "ministry"), _caller(session, "hubei")
            _report_day(session, ministry, makers, day, n, rng)
            _needs_day(session, hubei, ministry, hospitals, day, n)
        for good in GOODS:
            with unit_of_work(engine) as session:
                plan = plans.run(session=session, caller=_caller(session, "ministry"), day=day, good_code=good)
                if n == 2 and good == "med_n95" and plan.lines:
                    first = plan.lines[0]
                    plans.fix_line(session=session, caller=_caller(session, "ministry"), plan_id=plan.id,
                                   producer_id=first.producer_id, need_id=first.need_id, quantity=first.quantity)
                if n < DAYS - 1:
                    plans.publish(session=session, caller=_caller(session, "ministry"), plan_id=plan.id)
                counts["docking plans"] += 1
                counts["docking lines"] += len(plan.lines)
        if n > 0:
            _confirm(engine, FIRST_DAY + timedelta(days=n - 1))
    return counts


def _confirm(engine: Engine, day: date) -> None:
    """Yesterday's lines to the front line (class 1): shipped by the producers, received by the hospitals (a few
    short by 2%); the other lines stay open for the pages to show."""
    with unit_of_work(engine) as session:
        ministry = _caller(session, "ministry")
        for plan in plans.plans_of_day(session=session, caller=ministry, day=day):
            for line in [item for item in plan.lines if item.need.priority == 1]:
                plans.confirm_shipment(session=session, caller=ministry, line_id=line.id)
                plans.confirm_receipt(session=session, caller=ministry, line_id=line.id,
                                      quantity=round(line.quantity * (0.98 if line.id % 7 == 0 else 1.0)))
