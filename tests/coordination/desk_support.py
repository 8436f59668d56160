"""The desk's test world: a Changchun OEM whose Kunshan and Ningbo suppliers stop, and real users per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from factories import enterprise_row, link_row

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.coordination.models import CaseCategory
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import get_enterprise
from chainkeeper.core.caller import Caller

PASSWORD = "correct-horse-42"
MONDAY = datetime(2022, 4, 18, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shanghai, a working Monday

USERS = {  # username → (role, region, enterprise key)
    "oem": (Role.enterprise, None, "changchun"),
    "supplier": (Role.enterprise, None, "kunshan"),
    "jilin": (Role.province, "22", None),
    "jiangsu": (Role.province, "32", None),
    "suzhou": (Role.city, "3205", None),
    "kunshan": (Role.county, "320583", None),
    "zhejiang": (Role.province, "33", None),
    "ministry": (Role.ministry, None, None),
    "analyst": (Role.analyst, None, None),
    "admin": (Role.admin, None, None),
}


@dataclass
class Desk:
    """Enterprise ids by key, users by name."""

    ids: dict[str, int]
    usccs: dict[str, str]
    user_ids: dict[str, int]
    engine: object

    def caller(self, username: str) -> Caller:
        """The caller for a test user, read back from the database (its real roles and bindings)."""
        with unit_of_work(self.engine) as session:
            principal: Principal = principal_of(session.get(User, self.user_ids[username]))
        return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))


def build_desk(engine) -> Desk:
    """Import the firms and links and create the users (with e-mail addresses)."""
    rows = {"changchun": enterprise_row(name="长春整车有限公司", county_code="220104", industry_code="3612", size="large"),
            "kunshan": enterprise_row(name="昆山线束有限公司", county_code="320583", industry_code="3670"),
            "ningbo": enterprise_row(name="宁波座椅有限公司", county_code="330206", industry_code="3670"),
            "wuxi": enterprise_row(name="无锡芯片有限公司", county_code="320214", industry_code="3973")}
    assert import_rows(engine, "enterprises", list(rows.values())).written
    links = [link_row(rows["kunshan"]["uscc"], rows["changchun"]["uscc"], inventory_days="3", essential="1"),
             link_row(rows["ningbo"]["uscc"], rows["changchun"]["uscc"], inventory_days="10"),
             link_row(rows["wuxi"]["uscc"], rows["kunshan"]["uscc"], inventory_days="5")]
    assert import_rows(engine, "links", links).written
    with unit_of_work(engine) as session:
        ids = {key: get_enterprise(session=session, uscc=row["uscc"]).id for key, row in rows.items()}
        user_ids = {}
        for username, (role, region, firm) in USERS.items():
            user = create_user(session=session, username=username, password=PASSWORD, display_name=username,
                               roles={role}, enterprise_id=ids.get(firm), region_code=region,
                               email=f"{username}@example.gov.cn")
            session.flush()
            user_ids[username] = user.id
    return Desk(ids, {key: row["uscc"] for key, row in rows.items()}, user_ids, engine)


def parts_case(desk: Desk, session, *, by: str = "oem", blocking: str = "kunshan", now: datetime = MONDAY,
               category: CaseCategory = CaseCategory.parts_supply, **extra):
    """The OEM (or an authority for it) reports that a supplier cannot deliver."""
    data = NewCase(category=category, title="线束断供", blocked="昆山线束停产", help_wanted="协调复产",
                   blocking_uscc=desk.usccs[blocking], requester_id=desk.ids["changchun"], **extra)
    return file_case(session=session, caller=desk.caller(by), data=data, now=now)
