"""The docking tests' world: mask producers in Wuhan and Changsha, hospitals in Wuhan, coordinators (the ministry,
Hubei, Hunan) and enterprise users, the catalogue seeded and the producers' report type defined."""

from __future__ import annotations

from datetime import date

from factories import create_users, enterprise_row, import_registry, new_uscc
from factories import PASSWORD  # noqa: F401 - the tests of this area import it from here
from reporting.support import World

from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.docking import catalogue, producers
from chainkeeper.docking.needs import NeedIn
from chainkeeper.reporting import service as reporting

DAY = date(2020, 2, 10)
FIRMS = {"wuhan_maker": ("武汉示例防护用品有限公司", "420112"), "changsha_maker": ("长沙示例医疗器械有限公司", "430104"),
         "jinyintan": ("武汉示例传染病医院", "420105"), "xiaogan_hospital": ("孝感示例中心医院", "420902")}
USERS = {  # username → (role, region, firm)
    "ministry": (Role.ministry, None, None), "analyst": (Role.analyst, None, None),
    "hubei": (Role.province, "42", None), "hunan": (Role.province, "43", None), "wuhan_city": (Role.city, "4201", None),
    "maker_user": (Role.enterprise, None, "wuhan_maker"), "changsha_user": (Role.enterprise, None, "changsha_maker"),
    "hospital_user": (Role.enterprise, None, "jinyintan"),
}


def build_world(engine) -> World:
    ids = import_registry(engine, {key: enterprise_row(name=name, county_code=county, uscc=new_uscc(county))
                                   for key, (name, county) in FIRMS.items()})
    with unit_of_work(engine) as session:
        user_ids = create_users(session, USERS, ids)
        catalogue.ensure_catalogue(session)
    world = World(ids, user_ids, engine)
    with unit_of_work(engine) as session:
        producers.ensure_producer_type(session=session, caller=world.caller("ministry"))
        producers.enlist(session=session, caller=world.caller("ministry"), since=date(2020, 1, 20),
                         enterprise_ids=[ids["wuhan_maker"], ids["changsha_maker"]])
    return world


def report(world: World, firm: str, day: date, *rows: tuple, who: str | None = None) -> None:
    """A producer's daily report: rows (good, capacity, output, finished_stock, committed, capacity_tomorrow)."""
    values = {"goods": [dict(zip(("good", "capacity", "output", "finished_stock", "committed",
                                  "capacity_tomorrow"), row)) for row in rows]}
    with unit_of_work(world.engine) as session:
        reporting.submit(session=session, caller=world.caller(who or "ministry"), type_code=producers.TYPE_CODE,
                         enterprise_id=world.ids[firm], report_date=day, values=values, channel="web")


def need(good="med_n95", quantity=100, priority=1, county="420105", **extra) -> NeedIn:
    return NeedIn(good_code=good, quantity=quantity, date_needed=DAY, priority=priority, county_code=county,
                  contact_name="王医生", contact_phone="027-8888 0000", **extra)
