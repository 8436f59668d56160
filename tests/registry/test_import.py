"""Import of enterprises, products and links: every error is reported with its place and nothing is written."""

import openpyxl
import pytest
from factories import enterprise_row, link_row, new_uscc, write_csv
from sqlalchemy import func, select

from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_file, import_rows
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, SupplyLink


def count(engine, model) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def only_issue(report):
    assert not report.written
    assert len(report.issues) == 1, [i.describe("en") for i in report.issues]
    return report.issues[0]


def test_enterprises_from_chinese_headers_in_gbk(engine, tmp_path):
    rows = [enterprise_row(labels="专精特新、关键节点企业"), enterprise_row(size="大型", industry_code="3611")]
    path = tmp_path / "企业.csv"
    header = ["统一社会信用代码", "企业名称", "区县代码", "行业代码", "企业规模", "企业标签", "重点产业链", "联系人", "联系电话"]
    write_csv(path, rows, encoding="gbk", header=header)
    report = import_file(engine, "enterprises", path)
    assert report.written and report.created == 2
    with unit_of_work(engine) as session:
        stored = session.scalar(select(Enterprise).where(Enterprise.uscc == rows[0]["uscc"]))
        assert stored.province_code == "32" and stored.city_code == "3205"
        assert stored.chain_code == "auto" and not stored.chain_set_by_hand
        assert stored.label_codes == ["key_node", "specialized"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings_are_detected(engine, tmp_path, encoding):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row(name="蘇州恆達汽車零部件有限公司")], encoding=encoding)
    assert import_file(engine, "enterprises", path).written
    with unit_of_work(engine) as session:
        assert session.scalar(select(Enterprise.name)) == "蘇州恆達汽車零部件有限公司"


def test_unreadable_encoding_is_one_clear_error(engine, tmp_path):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row()], encoding="utf-16")
    issue = only_issue(import_file(engine, "enterprises", path, language="en"))
    assert issue.code == "encoding" and issue.file == "e.csv" and "UTF-8" in issue.message
    assert count(engine, Enterprise) == 0


def test_missing_column_names_the_column(engine, tmp_path):
    path = tmp_path / "e.csv"
    rows = [{k: v for k, v in enterprise_row().items() if k != "industry_code"}]
    write_csv(path, rows)
    issue = only_issue(import_file(engine, "enterprises", path, language="en"))
    assert (issue.row, issue.column, issue.code) == (1, "industry_code", "missing_column")
    assert "行业代码" in issue.message


@pytest.mark.parametrize("field, value, code", [
    ("uscc", "91350100M000100Y44", "uscc_check"),
    ("uscc", "123", "uscc"),
    ("county_code", "329999", "region"),
    ("county_code", "3205", "region"),  # a prefecture is not a county
    ("industry_code", "9999", "industry"),
    ("industry_code", "36", "industry"),  # a division is not a class
    ("size", "huge", "size"),
    ("labels", "unicorn", "label"),
    ("chain", "shipbuilding", "chain"),
    ("contact_phone", "call me", "phone"),
    ("name", "", "required"),
])
def test_bad_enterprise_cell_is_reported_where_it_is(engine, field, value, code):
    rows = [enterprise_row(), enterprise_row(**{field: value}), enterprise_row()]
    issue = only_issue(import_rows(engine, "enterprises", rows, source="e.csv", language="en"))
    assert (issue.file, issue.row, issue.column, issue.code) == ("e.csv", 3, field, code)
    assert count(engine, Enterprise) == 0


def test_check_character_message_gives_the_expected_character(engine):
    report = import_rows(engine, "enterprises", [enterprise_row(uscc="91350100M000100Y44")], language="zh_CN")
    assert "3" in report.issues[0].message and "校验" in report.issues[0].message


def test_duplicate_uscc_in_one_file_names_the_first_row(engine):
    row = enterprise_row()
    issue = only_issue(import_rows(engine, "enterprises", [row, enterprise_row(), row], language="en"))
    assert issue.row == 4 and issue.code == "duplicate" and "row 2" in issue.message


def test_every_bad_row_is_reported(engine):
    rows = [enterprise_row(size="x"), enterprise_row(), enterprise_row(industry_code="0000", county_code="1")]
    report = import_rows(engine, "enterprises", rows)
    assert sorted((i.row, i.column) for i in report.issues) == [(2, "size"), (4, "county_code"), (4, "industry_code")]


def test_reimport_is_idempotent_and_updates(engine, tmp_path):
    rows = [enterprise_row(labels="leading"), enterprise_row()]
    path = tmp_path / "e.csv"
    write_csv(path, rows)
    first, second = import_file(engine, "enterprises", path), import_file(engine, "enterprises", path)
    assert (first.created, first.updated, second.created, second.updated) == (2, 0, 0, 2)
    assert count(engine, Enterprise) == 2 and count(engine, EnterpriseLabel) == 1
    rows[0] = rows[0] | {"name": "改名后的公司", "labels": "key_node;little_giant", "chain": "ic"}
    write_csv(path, rows)
    assert import_file(engine, "enterprises", path).updated == 2
    with unit_of_work(engine) as session:
        stored = session.scalar(select(Enterprise).where(Enterprise.uscc == rows[0]["uscc"]))
        assert stored.name == "改名后的公司" and stored.label_codes == ["key_node", "little_giant"]
        assert stored.chain_code == "ic" and stored.chain_set_by_hand


def test_dry_run_writes_nothing(engine):
    report = import_rows(engine, "enterprises", [enterprise_row()], dry_run=True)
    assert report.ok and report.rows == 1 and not report.written
    assert count(engine, Enterprise) == 0


def test_xlsx_import(engine, tmp_path):
    path = tmp_path / "e.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = [enterprise_row(), enterprise_row(industry_code=3611)]  # a number cell, as Excel stores it
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    workbook.save(path)
    assert import_file(engine, "enterprises", path).created == 2


@pytest.fixture
def two_firms(engine):
    supplier, customer = enterprise_row(), enterprise_row(county_code="220102", industry_code="3611", size="large")
    assert import_rows(engine, "enterprises", [supplier, customer]).written
    return supplier["uscc"], customer["uscc"]


def test_links_import_and_reimport(engine, two_firms, tmp_path):
    supplier, customer = two_firms
    path = tmp_path / "links.csv"
    header = ["供应商统一社会信用代码", "客户统一社会信用代码", "产品代码", "年供货额(元)", "交货周期(天)", "库存天数", "是否关键投入"]
    write_csv(path, [link_row(supplier, customer, annual_value="1,250,000.50", essential="是")], header=header)
    assert import_file(engine, "links", path).created == 1
    assert import_file(engine, "links", path).updated == 1
    with unit_of_work(engine) as session:
        link = session.scalar(select(SupplyLink))
        assert link.annual_value == 1250000.5 and link.essential and link.inventory_days == 7


@pytest.mark.parametrize("change, column, code", [
    ({"annual_value": "-5"}, "annual_value", "negative"),
    ({"inventory_days": "-1"}, "inventory_days", "negative"),
    ({"annual_value": "abc"}, "annual_value", "number"),
    ({"annual_value": "nan"}, "annual_value", "number"),
    ({"essential": "maybe"}, "essential", "boolean"),
    ({"product_code": "P-NOPE"}, "product_code", "unknown_product"),
])
def test_bad_link_cell(engine, two_firms, change, column, code):
    supplier, customer = two_firms
    issue = only_issue(import_rows(engine, "links", [link_row(supplier, customer, **change)], language="en"))
    assert (issue.row, issue.column, issue.code) == (2, column, code)
    assert count(engine, SupplyLink) == 0


def test_self_link_unknown_enterprise_and_duplicate(engine, two_firms):
    supplier, customer = two_firms
    rows = [
        link_row(supplier, customer),
        link_row(supplier, supplier),
        link_row(new_uscc(), customer),
        link_row(supplier, customer),
    ]
    report = import_rows(engine, "links", rows, language="en")
    found = {(i.row, i.code) for i in report.issues}
    assert found == {(3, "self_link"), (4, "unknown_enterprise"), (5, "duplicate")}
    assert count(engine, SupplyLink) == 0


def test_links_with_products(engine, two_firms):
    supplier, customer = two_firms
    assert import_rows(engine, "products", [dict(code="P-SEAT", name="座椅总成", industry_code="3670")]).written
    rows = [link_row(supplier, customer, product_code="P-SEAT"), link_row(supplier, customer)]
    assert import_rows(engine, "links", rows).created == 2  # same pair, different product: two links
    assert import_rows(engine, "links", rows).updated == 2


def test_unsupported_file_type(engine, tmp_path):
    path = tmp_path / "e.json"
    path.write_text("{}")
    assert only_issue(import_file(engine, "enterprises", path)).code == "format"


def test_reimport_with_changed_values_rewrites_only_the_changed_link(engine, two_firms):
    supplier, customer = two_firms
    other = enterprise_row()
    assert import_rows(engine, "enterprises", [other]).written
    rows = [link_row(supplier, customer), link_row(other["uscc"], customer)]
    assert import_rows(engine, "links", rows).created == 2
    rows[1] = rows[1] | {"annual_value": "42", "essential": "0", "inventory_days": ""}
    report = import_rows(engine, "links", rows)
    assert (report.created, report.updated) == (0, 2)
    with unit_of_work(engine) as session:
        values = {link.supplier.uscc: (link.annual_value, link.essential, link.inventory_days)
                  for link in session.scalars(select(SupplyLink))}
    assert values == {supplier: (1_000_000, True, 7), other["uscc"]: (42, False, None)}
