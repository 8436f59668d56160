"""The file shapes, read without a database: orientations, labels, months, missing values, Jan–Feb, duplicates."""

import csv
from importlib import resources

import pytest

from chainkeeper.monitoring.indicators.catalogue import BY_CODE
from chainkeeper.monitoring.indicators.parsing import Names, parse_grid
from chainkeeper.monitoring.indicators.periods import BadMonth, parse_month

REFERENCE = resources.files("chainkeeper.reference").joinpath("data")


@pytest.fixture(scope="module")
def names():
    def table(name):
        return {r["code"]: r["name"] for r in csv.DictReader(REFERENCE.joinpath(name).read_text("utf-8").splitlines())}
    return Names.build(table("provinces.csv"), table("gbt4754-2017.csv"))


def read(rows, names, indicator="iva_yoy", **kwargs):
    parsed = parse_grid(enumerate(rows, start=1), BY_CODE[indicator], names, **kwargs)
    return parsed, [(o.region_code, o.industry_code, o.period, o.value, o.combined_months)
                    for o in parsed.observations]


def test_months_as_rows_with_a_region_per_column(names):
    rows = [["数据库：分省月度数据"], ["指标：规模以上工业增加值同比增长(%)"], ["时间", "北京市", "上海", "310000"],
            ["2022年4月", "1.0", "--", ""], ["2022年5月", "2.0", "—", "#N/A"], ["数据来源：国家统计局"]]
    parsed, got = read(rows, names)
    assert parsed.problems == [] and got == [("11", "", "2022-04", 1.0, 1), ("11", "", "2022-05", 2.0, 1)]


def test_industry_divisions_as_rows_and_an_explicit_jan_feb_label(names):
    rows = [["行业", "2022年1-2月", "2022年3月"], ["汽车制造业", "7.2", "-1.0"], ["36 汽车制造业", "", ""]]
    parsed, got = read(rows, names, region="00")
    assert got == [("00", "36", "2022-02", 7.2, 2), ("00", "36", "2022-03", -1.0, 1)]


def test_the_pmi_is_never_combined(names):
    rows = [["指标", "2022年2月", "2022年3月"], ["制造业采购经理指数(%)", "50.2", "49.5"]]
    _parsed, got = read(rows, names, indicator="pmi", region="00")
    assert got[0] == ("00", "", "2022-02", 50.2, 1)


def test_the_same_month_twice_is_named_with_both_rows(names):
    rows = [["地区", "2022年4月"], ["上海市", "-1"], ["上海", "-2"]]
    parsed, _got = read(rows, names)
    assert [(p.row, p.code, p.params["other"]) for p in parsed.problems] == [(3, "duplicate", 2)]


def test_a_metadata_line_naming_another_indicator_refuses_the_file(names):
    rows = [["指标：制造业采购经理指数(%)"], ["地区", "2022年4月"], ["上海市", "-1"]]
    parsed, _got = read(rows, names)
    assert [p.code for p in parsed.problems] == ["other_indicator"]


def test_a_single_series_needs_its_region(names):
    rows = [["指标名称", "某指标"], ["2022-04", "1"]]
    parsed, _got = read(rows, names)
    assert [p.code for p in parsed.problems] == ["no_region"]
    parsed, got = read([["地区：吉林省"], *rows], names)
    assert got == [("22", "", "2022-04", 1.0, 1)]


@pytest.mark.parametrize("text, period, combined", [
    ("2022年4月", "2022-04", 1), ("2022年04月份", "2022-04", 1), ("2022年1—2月", "2022-02", 2),
    ("2022-04", "2022-04", 1), ("2022/4", "2022-04", 1), ("2022.04", "2022-04", 1), ("2022-04-30", "2022-04", 1),
    ("2022/4/30 00:00:00", "2022-04", 1), ("2022M04", "2022-04", 1),
])
def test_months_as_published(text, period, combined):
    assert parse_month(text) == (period, combined)


@pytest.mark.parametrize("text", ["2022年13月", "2022年1-3月", "2022-00"])
def test_month_like_labels_that_are_not_months(text):
    with pytest.raises(BadMonth):
        parse_month(text)
