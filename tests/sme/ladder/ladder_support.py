"""The ladder tests' world: two Jiangsu SMEs (Kunshan, Wujiang in Suzhou), one Nanjing SME, one Shanghai SME;
the review chain of Kunshan (county), Suzhou (city), Jiangsu (province), the ministry; Shanghai as an outsider."""

from __future__ import annotations

from factories import create_users, enterprise_row, import_registry, new_uscc
from factories import PASSWORD  # noqa: F401 - the tests of this area import it from here
from reporting.support import World

from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work

FIRMS = {"ks": ("昆山示例精密零部件有限公司", "320583"), "wj": ("吴江示例新材料有限公司", "320509"),
         "nj": ("南京示例传感器有限公司", "320115"), "sh": ("上海示例控制系统有限公司", "310115")}
USERS = {
    "ks_user": (Role.enterprise, None, "ks"), "wj_user": (Role.enterprise, None, "wj"),
    "sh_user": (Role.enterprise, None, "sh"),
    "kunshan": (Role.county, "320583", None), "wujiang": (Role.county, "320509", None),
    "suzhou": (Role.city, "3205", None), "nanjing": (Role.city, "3201", None),
    "jiangsu": (Role.province, "32", None), "shanghai": (Role.province, "31", None),
    "ministry": (Role.ministry, None, None), "analyst": (Role.analyst, None, None),
}
FIGURES = {  # a specialised SME's figures (score 75, see test_ladder_rules) plus its size
    "employees": 180, "assets_wan": 9000, "revenue_wan": 8000, "rd_expense_wan": 400, "main_share_pct": 85,
    "main_growth_2y_pct": 9, "main_growth_pct": 12, "years_in_niche": 7, "product_field": "six_bases",
    "digital_level": "2", "net_margin_pct": 7, "debt_ratio_pct": 45, "local_points": 10, "ip_class": "own_i",
    "rd_staff_pct": 15, "rd_institution": "provincial",
    "achievements": ["clean_record", "q_iso9001", "q_brand"],
}


def build_world(engine) -> World:
    ids = import_registry(engine, {key: enterprise_row(name=name, county_code=county, uscc=new_uscc(county),
                                                       size="small", industry_code="3670", chain="auto")
                                   for key, (name, county) in FIRMS.items()})
    with unit_of_work(engine) as session:
        user_ids = create_users(session, USERS, ids)
    return World(ids, user_ids, engine)
