"""The arrears tests' world: a small Kunshan supplier (the creditor), a large Suzhou manufacturer (the debtor), a
medium Shanghai firm, a large Changchun OEM; the ministry, Jiangsu, Shanghai, Suzhou and the enterprises' users."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from factories import PASSWORD, create_users, enterprise_row, import_registry, new_uscc  # noqa: F401
from reporting.support import World

from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.sme.arrears import service
from chainkeeper.sme.arrears.models import Kind
from chainkeeper.sme.arrears.rules import DebtorLevel, DebtorType
from chainkeeper.sme.arrears.service import ComplaintIn, StepIn

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 9, 1, 10, tzinfo=CST)
FIRMS = {"supplier": ("昆山示例精密零件有限公司", "320583", "small"),
         "debtor": ("苏州示例重工集团有限公司", "320505", "large"),
         "shanghai_sme": ("上海示例电子有限公司", "310115", "medium"),
         "oem": ("长春示例汽车有限公司", "220106", "large")}
USERS = {
    "ministry": (Role.ministry, None, None), "analyst": (Role.analyst, None, None),
    "jiangsu": (Role.province, "32", None), "shanghai": (Role.province, "31", None),
    "suzhou": (Role.city, "3205", None), "jilin": (Role.province, "22", None),
    "sme_user": (Role.enterprise, None, "supplier"), "debtor_user": (Role.enterprise, None, "debtor"),
    "other_sme": (Role.enterprise, None, "shanghai_sme"), "oem_user": (Role.enterprise, None, "oem"),
}


def build_world(engine) -> World:
    ids = import_registry(engine, {key: enterprise_row(name=name, county_code=county, uscc=new_uscc(county),
                                                       size=size)
                                   for key, (name, county, size) in FIRMS.items()})
    with unit_of_work(engine) as session:
        user_ids = create_users(session, USERS, ids)
    return World(ids, user_ids, engine)


def arrears(world: World, **changes) -> ComplaintIn:
    """The supplier's complaint against the Suzhou manufacturer: 120,000 yuan for parts delivered 2025-05-10."""
    base = dict(kind=Kind.arrears, debtor_name=FIRMS["debtor"][0], debtor_type=DebtorType.state_owned,
                debtor_level=DebtorLevel.local, debtor_region_code="320505", amount=Decimal("120000.00"),
                delivered_what="精密冲压件 12,000 件", debtor_enterprise_id=world.ids["debtor"],
                contract_no="HT-2025-0417", signed_on=date(2025, 4, 17), delivered_on=date(2025, 5, 10),
                evidence="合同.pdf\n送货单.pdf", consent_publish=True)
    return ComplaintIn(**(base | changes))


def file(world: World, who: str = "sme_user", now: datetime = NOW, **changes):
    with unit_of_work(world.engine) as session:
        return service.file(session=session, caller=world.caller(who), data=arrears(world, **changes), now=now).id


def step(world: World, who: str, complaint_id: int, action, now: datetime = NOW, **inputs):
    with unit_of_work(world.engine) as session:
        c = service.act(session=session, caller=world.caller(who), complaint_id=complaint_id,
                        step=StepIn(action, **inputs), now=now)
        return c.state
