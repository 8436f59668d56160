"""The board's part of the demo: the 2021 auto-chip shortage — the Changchun OEM (account ``oem``) seeks 32-bit
automotive MCUs and IGBT modules, synthetic chip suppliers in Shanghai, Wuxi, Suzhou and Shenzhen (names say 示例)
list theirs, the OEM writes to the Shanghai supplier (account ``chip_supplier``) who answers, and a Jilin
matchmaking event (对接会, May 2021) records matches and deals — and the 2020 masks: the docking demo's Wuhan mask
producer lists N95 masks, its front-line hospital posts a need, and a Hubei event (February 2020) matches them.
Open posts are dated from the day the demo is loaded (needs due in the weeks ahead); the events keep their dates.
Every step goes through the services, so the audit trail shows it."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine, select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.demo import demo_password
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.docking import catalogue
from chainkeeper.docking.board import events, posts, threads
from chainkeeper.docking.board.posts import PostIn
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise, Product
from chainkeeper.registry.uscc import generate
from chainkeeper.reporting.scope import local_date

CHIP_MAKERS = [  # name, county, listing title, good, capacity a day, lead time (days) — synthetic firms, real places
    ("上海示例车规芯片有限公司", "310115", "32位车规级MCU（车身/发动机控制），AEC-Q100认证", "chip_mcu32", 20000, 28),
    ("无锡示例微电子有限公司", "320214", "32位车规级MCU 现货及排产", "chip_mcu32", 8000, 14),
    ("苏州示例功率器件有限公司", "320505", "车规级IGBT模块（750V/820A）", "chip_igbt", 600, 35),
    ("深圳示例半导体有限公司", "440305", "车规级MCU 国产替代方案", "chip_mcu32", 12000, 42),
]
DEMO_ACCOUNTS = [("chip_supplier", "上海示例车规芯片", Role.enterprise, None, 0)]
"""username, display name, role, region, index of the chip maker it works for."""


def _caller(session, username: str) -> Caller | None:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        return None
    principal = principal_of(user)
    return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))


def _chip_makers(engine: Engine, rng: random.Random) -> list[int]:
    rows = [dict(uscc=generate(county, rng), name=name, county_code=county, industry_code="3973", size="medium",
                 labels="", chain="", contact_person="陈工", contact_phone="13700000000")
            for name, county, *_rest in CHIP_MAKERS]
    assert import_rows(engine, "enterprises", rows, source="board demo").written
    with unit_of_work(engine) as session:
        ids = dict(session.execute(select(Enterprise.uscc, Enterprise.id).where(
            Enterprise.uscc.in_([r["uscc"] for r in rows]))).all())
        for username, name, role, region, firm in DEMO_ACCOUNTS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session=session, username=username, password=demo_password(username), display_name=name,
                            roles={role}, region_code=region, enterprise_id=ids[rows[firm]["uscc"]])
    return [ids[r["uscc"]] for r in rows]


def _mcu_product(session) -> str | None:
    """The registry's automotive MCU product, when the demo economy has one."""
    return session.scalar(select(Product.code).where(Product.name == "车规级MCU芯片").order_by(Product.id).limit(1))


def _chips(session, today: date) -> dict[str, int]:
    """The chip listings, the OEM's needs and the first conversation."""
    mcu = _mcu_product(session)
    for (name, county, title, good, capacity, lead), user in zip(CHIP_MAKERS, ("chip_supplier", None, None, None)):
        caller = _caller(session, user) if user else None
        if caller is None:  # the makers without an account list through a one-off caller bound to the firm
            firm = session.scalar(select(Enterprise.id).where(Enterprise.name == name).order_by(Enterprise.id.desc()))
            caller = _firm_caller(firm)
        posts.create(session=session, caller=caller, kind="listing", data=PostIn(
            title=title, unit="片" if good == "chip_mcu32" else "只", county_code=county, good_code=good,
            product_code=mcu if good == "chip_mcu32" else None, capacity_per_day=capacity, lead_time_days=lead,
            description="2021年汽车芯片短缺期间的示例供应信息"))
    oem = _caller(session, "oem")
    if oem is None:
        return {"board listings": len(CHIP_MAKERS)}
    county = session.get(Enterprise, oem.principal.enterprise_id).county_code
    need = posts.create(session=session, caller=oem, kind="need", data=PostIn(
        title="急需车身控制器用32位车规级MCU", unit="片", county_code=county, good_code="chip_mcu32", product_code=mcu,
        quantity=300000, date_needed=today + timedelta(days=45), description="整车厂因缺芯减产，需稳定供货三个月"))
    posts.create(session=session, caller=oem, kind="need", data=PostIn(
        title="新能源车型IGBT模块", unit="只", county_code=county, good_code="chip_igbt", quantity=12000,
        date_needed=today + timedelta(days=60), visibility="authorities"))
    first = posts.find(session=session, caller=oem, kind="listing", query=posts.Query(product_code="chip_mcu32"))
    shanghai = next(p for p in first if p.title == CHIP_MAKERS[0][2])
    thread = threads.contact(session=session, caller=oem, kind="listing", post_id=shanghai.id,
                             body="我厂每月需30万片，能否排产并先供10万片？")
    supplier = _caller(session, "chip_supplier")
    threads.reply(session=session, caller=supplier, thread_id=thread.id, body="可以，下月起每月供12万片，详细报价随后发出。")
    return {"board listings": len(CHIP_MAKERS), "board needs": 2, "board conversations": 1, "_need": need.id}


def _firm_caller(enterprise_id: int) -> Caller:
    """A caller acting for a demo firm that has no account of its own (the demo's hand, audited as the system)."""
    principal = Principal(0, "board demo", "board demo", frozenset({Role.enterprise}), enterprise_id=enterprise_id)
    return Caller(principal, Actor(None, "board demo", Role.enterprise.value))


def _event(session, organiser: Caller, title: str, held_on: date, place: str, firms: list[int],
           deals: list[tuple[int, int, str, float | None]]) -> None:
    event = events.create(session=session, caller=organiser, title=title, held_on=held_on, place=place,
                          description="示例对接会")
    for firm in firms:
        events.join(session=session, caller=_firm_caller(firm), event_id=event.id)
    for buyer, supplier, subject, value in deals:
        match = events.record_match(session=session, caller=organiser, event_id=event.id, buyer_id=buyer,
                                    supplier_id=supplier, subject=subject)
        if value is not None:
            events.report_deal(session=session, caller=organiser, match_id=match.id, value_wan=value)


def _masks(session, today: date) -> int:
    maker, hospital = _caller(session, "mask_maker"), _caller(session, "hospital")
    if maker is None or hospital is None:
        return 0
    for caller, kind, data in (
            (maker, "listing", dict(title="医用防护口罩（N95）日产九千只", capacity_per_day=9000, lead_time_days=1)),
            (hospital, "need", dict(title="定点救治医院求购N95口罩", quantity=30000,
                                    date_needed=today + timedelta(days=7)))):
        county = session.get(Enterprise, caller.principal.enterprise_id).county_code
        posts.create(session=session, caller=caller, kind=kind, data=PostIn(unit="只", county_code=county,
                                                                            good_code="med_n95", **data))
    return 2


def create_demo_board(engine: Engine, *, seed: int = 2021) -> dict[str, int]:
    """The chips of 2021 and the masks of 2020 on the board, with their events; returns counts for the summary."""
    makers = _chip_makers(engine, random.Random(seed))
    today = local_date(datetime.now(timezone.utc))
    with unit_of_work(engine) as session:
        catalogue.ensure_catalogue(session)
        counts = _chips(session, today)
        counts.pop("_need", None)
        counts["board listings"] = counts.get("board listings", 0) + _masks(session, today)
        jilin, hubei, oem = _caller(session, "jilin"), _caller(session, "hubei"), _caller(session, "oem")
        held = 0
        if jilin is not None and oem is not None:
            buyer = oem.principal.enterprise_id
            _event(session, jilin, "吉林省汽车芯片供需对接会（示例）", date(2021, 5, 20), "长春", [buyer, *makers],
                   [(buyer, makers[0], "32位车规级MCU 月供12万片", 3600.0),
                    (buyer, makers[2], "IGBT模块 全年框架协议", 5400.0), (buyer, makers[3], "MCU 国产替代验证", None)])
            held += 1
        maker, hospital = _caller(session, "mask_maker"), _caller(session, "hospital")
        if hubei is not None and maker is not None and hospital is not None:
            firms = [hospital.principal.enterprise_id, maker.principal.enterprise_id]
            _event(session, hubei, "湖北省防疫物资供需对接会（示例）", date(2020, 2, 8), "武汉", firms,
                   [(firms[0], firms[1], "N95口罩 三万只", 45.0)])
            held += 1
        counts["board events"] = held
    return counts
