"""The desk's test world: a Changchun OEM whose Kunshan and Ningbo suppliers stop, and real users per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from factories import caller_of, create_users, enterprise_row, import_registry, link_row
from factories import PASSWORD  # noqa: F401 - the tests of this area import it from here

from chainkeeper.auth.roles import Role
from chainkeeper.coordination.models import CaseCategory
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.db import unit_of_work
from chainkeeper.core.caller import Caller

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
        return caller_of(self.engine, self.user_ids[username])


def build_desk(engine) -> Desk:
    """Import the firms and links and create the users (with e-mail addresses)."""
    rows = {"changchun": enterprise_row(name="长春整车有限公司", county_code="220104", industry_code="3612", size="large"),
            "kunshan": enterprise_row(name="昆山线束有限公司", county_code="320583", industry_code="3670"),
            "ningbo": enterprise_row(name="宁波座椅有限公司", county_code="330206", industry_code="3670"),
            "wuxi": enterprise_row(name="无锡芯片有限公司", county_code="320214", industry_code="3973")}
    links = [link_row(rows["kunshan"]["uscc"], rows["changchun"]["uscc"], inventory_days="3", essential="1"),
             link_row(rows["ningbo"]["uscc"], rows["changchun"]["uscc"], inventory_days="10"),
             link_row(rows["wuxi"]["uscc"], rows["kunshan"]["uscc"], inventory_days="5")]
    ids = import_registry(engine, rows, links)
    with unit_of_work(engine) as session:
        user_ids = create_users(session, USERS, ids, email_domain="example.gov.cn")
    return Desk(ids, {key: row["uscc"] for key, row in rows.items()}, user_ids, engine)


def parts_case(desk: Desk, session, *, by: str = "oem", blocking: str = "kunshan", now: datetime = MONDAY,
               category: CaseCategory = CaseCategory.parts_supply, **extra):
    """The OEM (or an authority for it) reports that a supplier cannot deliver."""
    data = NewCase(category=category, title="线束断供", blocked="昆山线束停产", help_wanted="协调复产",
                   blocking_uscc=desk.usccs[blocking], requester_id=desk.ids["changchun"], **extra)
    return file_case(session=session, caller=desk.caller(by), data=data, now=now)
