"""The ladder part of the demo: the 专精特新 ladder in Jiangsu. The demo economy's Jiangsu SMEs that carry the
专精特新 / 小巨人 labels get the recognitions behind them (taken over as published lists, demo dates: innovative SMEs
2024-06-30, specialised SMEs 2023-12-20 — due for re-review this month — and 2024-12-20, little giants 2024-08-01);
five synthetic Suzhou SMEs (names say 示例) go through the services: one recognised innovative SME with the demo
account ``ladder_sme`` (it self-assesses and applies for 专精特新 in the journey), and applications waiting at the
county (Kunshan), the city (Suzhou), the province (Jiangsu) and the ministry."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import Engine, select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.demo import demo_password
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label
from chainkeeper.registry.uscc import generate
from chainkeeper.sme.ladder import service

IMPORTED = Actor(None, "demo: 江苏省专精特新名单（示例）")
BATCHES = {"innovative": date(2024, 6, 30), "specialized": (date(2023, 12, 20), date(2024, 12, 20)),
           "little_giant": date(2024, 8, 1)}
FIGURES = {  # a Kunshan precision-parts SME, last year (万元, %); score 85 as an innovative SME, 75 as 专精特新
    "employees": 180, "assets_wan": 9000, "revenue_wan": 8000, "rd_expense_wan": 400, "main_share_pct": 85,
    "main_growth_pct": 12, "main_growth_2y_pct": 9, "years_in_niche": 7, "product_field": "six_bases",
    "digital_level": "2", "net_margin_pct": 7, "debt_ratio_pct": 45, "local_points": 10, "ip_class": "own_i",
    "rd_staff_pct": 15, "rd_institution": "provincial", "achievements": ["clean_record", "q_iso9001", "q_brand"]}
GIANT = FIGURES | {"revenue_wan": 12000, "rd_expense_wan": 480, "rd_ratio_prev_pct": 3.5, "market_share_pct": 14,
                   "ip_i_count": 3, "main_share_pct": 88, "main_growth_2y_pct": 7,
                   "achievements": FIGURES["achievements"] + ["info_system", "mgmt_certified", "rd_centre",
                                                              "chain_role", "key_field"]}
FIRMS = [  # name, county, where its application stands (the first is the demo account's enterprise)
    ("昆山示例精密机械有限公司", "320583", "account"), ("昆山示例电子材料有限公司", "320583", "submitted"),
    ("吴江示例光电科技有限公司", "320509", "county_passed"), ("张家港示例传感器有限公司", "320582", "city_passed"),
    ("常熟示例汽车零部件有限公司", "320581", "recommended"),
]
DEMO_ACCOUNTS = [("ladder_sme", "昆山示例精密机械", Role.enterprise)]


def _as_firm(enterprise_id: int) -> Caller:
    """The firm's own caller (its user files the application; a demo stand-in for the firms without an account)."""
    principal = Principal(0, "demo", "示例企业", frozenset({Role.enterprise}), enterprise_id=enterprise_id)
    return Caller(principal, Actor(None, "demo: 示例企业填报", "enterprise"))


def _caller(session, username: str) -> Caller:
    principal = principal_of(session.scalars(select(User).where(User.username == username)).one())
    return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))


def _take_over_lists(engine: Engine) -> int:
    """Recognitions behind the Jiangsu SMEs' 专精特新 / 小巨人 labels of the demo registry (every one also an
    innovative SME first); half the specialised SMEs from the older batch (their re-review comes due now)."""
    with unit_of_work(engine) as session:
        labelled = session.execute(
            select(Enterprise.id, EnterpriseLabel.label).join(EnterpriseLabel).where(
                Enterprise.province_code == "32", Enterprise.size != "large",
                EnterpriseLabel.label.in_((Label.specialized, Label.little_giant)))).all()
        tiers: dict[int, set[Label]] = {}
        for enterprise_id, label in labelled:
            tiers.setdefault(enterprise_id, set()).add(label)
        items = []
        for n, (enterprise_id, labels) in enumerate(sorted(tiers.items())):
            items += [(enterprise_id, "innovative", "province", BATCHES["innovative"]),
                      (enterprise_id, "specialized", "province", BATCHES["specialized"][n % 2])]
            if Label.little_giant in labels:
                items.append((enterprise_id, "little_giant", "ministry", BATCHES["little_giant"]))
        service.register(session=session, actor=IMPORTED, items=items)
        return len(tiers)


def _firms(engine: Engine) -> list[int]:
    rng = random.Random(2022)
    rows = [dict(uscc=generate(county, rng), name=name, county_code=county, industry_code="3484", size="small",
                 labels="", chain="equipment", contact_person="陈静", contact_phone="13951000000")
            for name, county, _stage in FIRMS]
    assert import_rows(engine, "enterprises", rows, source="ladder demo").written
    with unit_of_work(engine) as session:
        ids = dict(session.execute(select(Enterprise.uscc, Enterprise.id).where(
            Enterprise.uscc.in_([r["uscc"] for r in rows]))).all())
    return [ids[r["uscc"]] for r in rows]


def _review_to(session, app_id: int, stage: str) -> None:
    chain = {"submitted": [], "county_passed": ["county"], "city_passed": ["county", "suzhou"],
             "recommended": ["county", "suzhou", "jiangsu"]}[stage]
    app = service.get(session=session, caller=_caller(session, "jiangsu"), application_id=app_id)
    county_user = {"320583": "kunshan"}.get(app.county_code)
    for who in chain:
        if who == "county" and county_user is None:  # no county account in the demo: a county stand-in
            reviewer = Caller(Principal(0, "county", "县级主管部门", frozenset({Role.county}),
                                        region_code=app.county_code), Actor(None, f"demo: {app.county_code} 县级主管部门"))
        else:
            reviewer = _caller(session, county_user if who == "county" else who)
        service.review(session=session, caller=reviewer, application_id=app_id,
                       action="recommend" if who == "jiangsu" else "pass")


def create_demo_ladder(engine: Engine) -> dict[str, int]:
    """The Jiangsu ladder (see the module's docstring). Returns counts for the demo summary."""
    taken_over = _take_over_lists(engine)
    firms = _firms(engine)
    with unit_of_work(engine) as session:
        for username, name, role in DEMO_ACCOUNTS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session=session, username=username, password=demo_password(username), display_name=name,
                            roles={role}, enterprise_id=firms[0])
        service.register(session=session, actor=IMPORTED, items=[
            *[(enterprise_id, "innovative", "province", BATCHES["innovative"]) for enterprise_id in firms],
            (firms[4], "specialized", "province", BATCHES["specialized"][1])])
    with unit_of_work(engine) as session:
        for enterprise_id, (_name, _county, stage) in zip(firms[1:], FIRMS[1:]):
            tier = "little_giant" if stage == "recommended" else "specialized"
            app = service.apply(session=session, caller=_as_firm(enterprise_id), tier=tier,
                                facts=GIANT if tier == "little_giant" else FIGURES)
            if stage != "submitted":
                _review_to(session, app.id, stage)
    return {"ladder enterprises (lists taken over)": taken_over, "ladder applications": len(firms) - 1}
