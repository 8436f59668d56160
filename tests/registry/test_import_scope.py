"""Every imported row must lie within what the caller may change (issue 10, finding 1): an authority its region,
an enterprise user itself, the ministry and administrators everything, an analyst nothing; all rows or none."""

import pytest
from accounts_fixture import build_world
from factories import enterprise_row, link_row
from sqlalchemy import select

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise, Product, SupplyLink

KUNSHAN, SUZHOU, JIANGSU = "320583", "3205", "32"


def principal(role: Role, region: str | None = None, enterprise_id: int | None = None) -> Principal:
    return Principal(user_id=99, username=f"t_{role.value}", display_name="t", roles=frozenset({role}),
                     region_code=region, enterprise_id=enterprise_id)


COUNTY = principal(Role.county, KUNSHAN)


@pytest.fixture
def world(engine):
    """Firms in Kunshan, Ningbo and Changchun (linked), plus a Shanghai firm, with one user per role."""
    made = build_world(engine)
    made.shanghai = enterprise_row(name="上海测试有限公司", county_code="310114", contact_person="王芳")
    assert import_rows(engine, "enterprises", [made.shanghai]).written
    return made


def stored(engine, uscc: str) -> Enterprise:
    with unit_of_work(engine) as session:
        return session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))


def issues_of(report) -> set[tuple]:
    assert not report.written
    return {(i.row, i.column, i.code) for i in report.issues}


def test_county_cannot_overwrite_or_rename_a_firm_of_another_region(engine, world):
    row = world.shanghai | {"name": "改名的上海公司", "contact_person": "冒充者", "contact_phone": "13800000000"}
    report = import_rows(engine, "enterprises", [enterprise_row(), row], principal=COUNTY, language="en")
    assert issues_of(report) == {(3, "uscc", "out_of_scope")}
    assert "region 320583" in report.issues[0].message and world.shanghai["uscc"] in report.issues[0].message
    firm = stored(engine, world.shanghai["uscc"])
    assert (firm.name, firm.contact_person) == ("上海测试有限公司", "王芳")


def test_county_cannot_move_its_firm_out_nor_create_one_outside(engine, world):
    moved = world.kunshan | {"county_code": "310114"}
    outside = enterprise_row(county_code="330206")
    report = import_rows(engine, "enterprises", [moved, outside], principal=COUNTY, language="zh_CN")
    assert issues_of(report) == {(2, "county_code", "out_of_scope"), (3, "county_code", "out_of_scope")}
    assert "超出" in report.issues[0].message  # in the caller's language
    assert stored(engine, world.kunshan["uscc"]).county_code == KUNSHAN
    assert stored(engine, outside["uscc"]) is None


@pytest.mark.parametrize("who", [COUNTY, principal(Role.city, SUZHOU), principal(Role.province, JIANGSU),
                                 principal(Role.ministry), principal(Role.admin)])
def test_each_authority_writes_its_region(engine, world, who):
    new, changed = enterprise_row(), world.kunshan | {"contact_person": "李雷"}
    report = import_rows(engine, "enterprises", [new, changed], principal=who)
    assert report.written and (report.created, report.updated) == (1, 1)
    assert stored(engine, world.kunshan["uscc"]).contact_person == "李雷"


def test_province_is_refused_outside_and_analyst_everywhere(engine, world):
    jiangsu = principal(Role.province, JIANGSU)
    assert issues_of(import_rows(engine, "enterprises", [world.ningbo], principal=jiangsu)) == {
        (2, "uscc", "out_of_scope")}
    analyst = principal(Role.analyst)
    report = import_rows(engine, "enterprises", [world.kunshan, enterprise_row()], principal=analyst, language="en")
    assert issues_of(report) == {(2, "uscc", "out_of_scope"), (3, "county_code", "out_of_scope")}
    assert "(nothing)" in report.issues[0].message


def test_enterprise_user_changes_only_itself(engine, world):
    own_id = stored(engine, world.kunshan["uscc"]).id
    firm = principal(Role.enterprise, enterprise_id=own_id)
    assert import_rows(engine, "enterprises", [world.kunshan | {"contact_person": "本人"}], principal=firm).written
    neighbour = enterprise_row()  # same county, another firm
    report = import_rows(engine, "enterprises", [neighbour, world.changchun], principal=firm)
    assert issues_of(report) == {(2, "county_code", "out_of_scope"), (3, "uscc", "out_of_scope")}


def test_links_need_one_end_within_scope(engine, world):
    shanghai_two = enterprise_row(county_code="310115")
    assert import_rows(engine, "enterprises", [shanghai_two]).written
    essential = dict(annual_value="999000000000", essential="1")
    outside = link_row(world.shanghai["uscc"], shanghai_two["uscc"], **essential)
    inbound = link_row(world.shanghai["uscc"], world.kunshan["uscc"])
    report = import_rows(engine, "links", [inbound, outside], principal=COUNTY, dry_run=True, language="en")
    assert issues_of(report) == {(3, "supplier_uscc", "out_of_scope")}
    assert import_rows(engine, "links", [inbound], principal=COUNTY).created == 1


def test_enterprise_user_declares_only_its_own_links(engine, world):
    own_id = stored(engine, world.kunshan["uscc"]).id
    firm = principal(Role.enterprise, enterprise_id=own_id)
    rows = [link_row(world.kunshan["uscc"], world.shanghai["uscc"]),  # it supplies
            link_row(world.shanghai["uscc"], world.kunshan["uscc"]),  # it buys
            link_row(world.ningbo["uscc"], world.shanghai["uscc"])]  # none of its business
    assert issues_of(import_rows(engine, "links", rows, principal=firm)) == {(4, "supplier_uscc", "out_of_scope")}
    assert import_rows(engine, "links", rows[:2], principal=firm).created == 2
    with unit_of_work(engine) as session:
        assert session.scalar(select(SupplyLink).where(SupplyLink.supplier_id != own_id,
                                                       SupplyLink.customer_id != own_id,
                                                       SupplyLink.supplier.has(uscc=world.ningbo["uscc"]),
                                                       SupplyLink.customer.has(uscc=world.shanghai["uscc"]))) is None


def test_products_are_added_by_anyone_who_imports_but_changed_only_nationally(engine, world):
    seat = dict(code="P-SEAT", name="座椅总成", industry_code="3670")
    assert import_rows(engine, "products", [seat], principal=COUNTY).created == 1
    assert import_rows(engine, "products", [seat], principal=COUNTY).updated == 1  # same values: a harmless re-import
    renamed = seat | {"name": "改名"}
    assert issues_of(import_rows(engine, "products", [renamed], principal=COUNTY)) == {(2, "code", "out_of_scope")}
    assert import_rows(engine, "products", [renamed], principal=principal(Role.ministry)).updated == 1
    with unit_of_work(engine) as session:
        assert session.scalar(select(Product.name).where(Product.code == "P-SEAT")) == "改名"
