"""A small policy world: the access fixture's firms and users (Kunshan enterprise user, Jiangsu/Suzhou/Kunshan
authorities), a Zhejiang province user, and a few policies with known answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts_fixture import PASSWORD, build_world
from sqlalchemy import select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.registry.service import get_enterprise
from chainkeeper.sme.policies import service
from chainkeeper.sme.policies.fields import PolicyIn
from chainkeeper.sme.policies.rules import Rule

TODAY = date(2026, 12, 6)


@dataclass
class PolicyWorld:
    engine: object
    world: object
    kunshan_id: int
    ningbo_id: int
    policies: dict[str, int]


def caller(session, username: str) -> Caller:
    """The caller acting as ``username``."""
    user = session.scalar(select(User).where(User.username == username))
    return Caller(principal_of(user), Actor(user.id, username))


POLICIES = [
    PolicyIn(code="N-SMALL", title="小微企业研发费用补贴", issuer="示例部委", region_scope="", industries=["C"],
             size_classes=["small", "micro", "medium"], benefit="研发费用补贴 10%", illustrative=True),
    PolicyIn(code="JS-RD", title="江苏省专精特新企业研发奖励", issuer="江苏省工业和信息化厅（示例）", region_scope="32",
             labels_any=["specialized"], rules=[Rule("rd_ratio_pct", ">=", 3.0)], benefit="奖励 50 万元",
             illustrative=True),
    PolicyIn(code="ZJ-ANY", title="浙江省稳岗补贴", issuer="浙江省（示例）", region_scope="33", benefit="稳岗",
             illustrative=True),
    PolicyIn(code="N-OLD", title="已到期的技改补贴", issuer="示例部委", valid_to=date(2020, 12, 31), benefit="技改",
             illustrative=True),
]


def build(engine) -> PolicyWorld:
    world = build_world(engine)
    with unit_of_work(engine) as session:
        kunshan_id = get_enterprise(session=session, uscc=world.kunshan["uscc"]).id
        ningbo_id = get_enterprise(session=session, uscc=world.ningbo["uscc"]).id
        create_user(session=session, username="zhejiang", password=PASSWORD, display_name="zhejiang",
                    roles={Role.province}, region_code="33")
        create_user(session=session, username="ningbo_user", password=PASSWORD, display_name="ningbo",
                    roles={Role.enterprise}, enterprise_id=ningbo_id, email="ningbo@example.com")
    ids = {}
    with unit_of_work(engine) as session:
        ministry = caller(session, world.users["ministry"])
        for item in POLICIES:
            ids[item.code] = service.save_policy(session=session, caller=ministry, data=item, today=TODAY).id
    return PolicyWorld(engine, world, kunshan_id, ningbo_id, ids)
