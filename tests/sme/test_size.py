"""The size self-test against hand-worked cases from the 2017 standard's table, and its boundaries as properties."""

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkeeper.coordination.messages import error_text
from chainkeeper.registry.models import SizeClass
from chainkeeper.sme.size import SizeTestError, SizeVerdict, classify, standard

L, M, S, MI = SizeClass.large, SizeClass.medium, SizeClass.small, SizeClass.micro


@pytest.mark.parametrize(("code", "employees", "revenue", "assets", "expected", "sector"), [
    # 工业 X≥1000 & Y≥40000 large; 300/2000 medium; 20/300 small
    ("3670", 1000, 40000, None, L, "industry"),
    ("3670", 999, 40000, None, M, "industry"),  # employees one short of large: drops a class
    ("C", 300, 2000, None, M, "industry"),
    ("C", 299, 1_000_000, None, S, "industry"),  # huge revenue but 299 persons: small
    ("06", 20, 300, None, S, "industry"),
    ("44", 19, 300, None, MI, "industry"),  # any indicator below small: micro
    ("4411", 5000, 299.99, None, MI, "industry"),
    # 建筑业 revenue and assets
    ("E", None, 80000, 80000, L, "construction"),
    ("4710", None, 80000, 79999, M, "construction"),
    ("48", None, 6000, 5000, M, "construction"),
    ("49", None, 5999, 5000, S, "construction"),
    ("50", None, 300, 299, MI, "construction"),
    # 批发业 X 200/20/5, Y 40000/5000/1000
    ("51", 200, 40000, None, L, "wholesale"), ("5111", 20, 5000, None, M, "wholesale"),
    ("51", 19, 5000, None, S, "wholesale"), ("51", 5, 999, None, MI, "wholesale"),
    # 零售业 X 300/50/10, Y 20000/500/100
    ("52", 300, 20000, None, L, "retail"), ("5211", 50, 500, None, M, "retail"),
    ("52", 10, 100, None, S, "retail"), ("52", 9, 20000, None, MI, "retail"),
    # 交通运输业 (incl. 装卸搬运 5910) X 1000/300/20, Y 30000/3000/200
    ("5910", 300, 3000, None, M, "transport"), ("54", 20, 2999, None, S, "transport"),
    # 仓储业 X 200/100/20, Y 30000/1000/100
    ("5920", 200, 30000, None, L, "warehousing"), ("5941", 100, 1000, None, M, "warehousing"),
    ("5960", 99, 1000, None, S, "warehousing"),
    # 邮政业 X 1000/300/20, Y 30000/2000/100
    ("60", 300, 2000, None, M, "postal"), ("60", 300, 1999, None, S, "postal"),
    # 住宿业 / 餐饮业 X 300/100/10, Y 10000/2000/100
    ("61", 100, 2000, None, M, "accommodation"), ("62", 300, 10000, None, L, "catering"),
    ("62", 10, 99, None, MI, "catering"),
    # 信息传输业 X 2000/100/10, Y 100000/1000/100
    ("63", 2000, 100000, None, L, "information_transmission"), ("64", 1999, 100000, None, M, "information_transmission"),
    # 软件和信息技术服务业 X 300/100/10, Y 10000/1000/50
    ("65", 10, 50, None, S, "software"), ("6511", 10, 49, None, MI, "software"),
    # 房地产开发经营 Y 200000/1000/100, Z 10000/5000/2000
    ("7010", None, 200000, 10000, L, "real_estate_development"), ("7010", None, 1000, 4999, S, "real_estate_development"),
    # 物业管理 X 1000/300/100, Y 5000/1000/500
    ("7020", 300, 1000, None, M, "property_management"), ("7020", 99, 5000, None, MI, "property_management"),
    # 租赁和商务服务业 X 300/100/10, Z 120000/8000/100
    ("L", 300, None, 120000, L, "leasing_business"), ("7211", 100, None, 7999, S, "leasing_business"),
    # 其他未列明行业 X 300/100/10 (only employees)
    ("M", 300, None, None, L, "other"), ("8514", 100, None, None, M, "other"), ("7030", 10, None, None, S, "other"),
    ("90", 9, None, None, MI, "other"),
    # 农、林、牧、渔业 Y 20000/500/50 (only revenue)
    ("A", None, 20000, None, L, "agriculture"), ("0111", None, 499, None, S, "agriculture"),
    ("05", None, 49.5, None, MI, "agriculture"),
])
def test_hand_worked_cases(code, employees, revenue, assets, expected, sector):
    verdict = classify(industry_code=code, employees=employees, revenue_wan=revenue, assets_wan=assets)
    assert (verdict.size, verdict.sector) == (expected, sector)
    assert verdict.is_sme is (expected is not L)


def test_reasons_explain_each_indicator_in_both_languages():
    verdict = classify(industry_code="3670", employees=250, revenue_wan=50000, assets_wan=None)
    assert verdict.size is S
    assert verdict.explain("en") == [
        "Industry 3670 belongs to the standard's row “Industry”",
        "Employees 250: at least 20, the lower bound of the small class",
        "Revenue 50,000 (10,000 yuan): at least 40,000, the lower bound of the large class",
        "Every indicator reaches the small class and not all reach a higher one: small",
    ]
    zh = verdict.explain("zh_CN")
    assert "工业" in zh[0] and "250" in zh[1] and "小型" in zh[1] and "大型" in zh[2]


def test_micro_reason_names_the_small_bound():
    verdict = classify(industry_code="52", employees=3, revenue_wan=800, assets_wan=None)
    assert verdict.explain("en")[1] == "Employees 3: below 10, the lower bound of the small class, so micro"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"industry_code": "C", "employees": None, "revenue_wan": 10, "assets_wan": None}, "employees"),
    ({"industry_code": "E", "employees": 5, "revenue_wan": 10, "assets_wan": None}, "assets_wan"),
    ({"industry_code": "A", "employees": 5, "revenue_wan": None, "assets_wan": 9}, "revenue_wan"),
    ({"industry_code": "C", "employees": -1, "revenue_wan": 10, "assets_wan": None}, "employees"),
    ({"industry_code": "", "employees": 1, "revenue_wan": 1, "assets_wan": 1}, "industry_code"),
    ({"industry_code": "66", "employees": 1, "revenue_wan": 1, "assets_wan": 1}, "industry_code"),  # finance
    ({"industry_code": "53", "employees": 1, "revenue_wan": 1, "assets_wan": 1}, "industry_code"),  # railway
    ({"industry_code": "7040", "employees": 1, "revenue_wan": 1, "assets_wan": 1}, "industry_code"),
    ({"industry_code": "59", "employees": 1, "revenue_wan": 1, "assets_wan": 1}, "industry_code"),  # too coarse
])
def test_errors_name_the_field(kwargs, field):
    with pytest.raises(SizeTestError) as caught:
        classify(**kwargs)
    assert caught.value.details[0]["field"] == field
    assert error_text(caught.value, "zh_CN") != str(caught.value)  # translated


def test_other_row_needs_no_revenue():
    assert classify(industry_code="73", employees=50, revenue_wan=None, assets_wan=None).size is S


def test_data_file_covers_every_division_of_its_sections_and_no_code_twice():
    raw = json.loads((resources.files("chainkeeper.sme.size") / "data" / "size_standard_2017.json").read_text("utf-8"))
    assert raw["document"] == "国统字〔2017〕213号" and len(raw["sectors"]) == 16
    seen = [code for row in raw["sectors"] for code in row["codes"]] + raw["not_covered"]["codes"]
    assert not [c for c in seen if any(o != c and c.startswith(o) for o in seen)]  # no code inside another
    assert len(seen) == len(set(seen))
    reference = (resources.files("chainkeeper.reference") / "data" / "gbt4754-2017.csv").read_text("utf-8")
    divisions = {line.split(",")[0] for line in reference.splitlines()[1:] if line.split(",")[2] == "2"}
    covered = {c[:2] for c in seen}
    assert divisions <= covered  # every division is either in a row or explicitly not covered
    for row in raw["sectors"]:
        for t in row["thresholds"]:
            assert t["large"] > t["medium"] > t["small"] > 0


SECTOR_CODES = {s.key: s.codes[0] for s in standard().sectors}


@st.composite
def case(draw):
    sector = draw(st.sampled_from(standard().sectors))
    values = {}
    for t in sector.thresholds:
        bound = draw(st.sampled_from([t.large, t.medium, t.small]))
        values[t.indicator] = draw(st.sampled_from([bound, bound - 1, bound - 0.01, bound + 1, 0]))
    values = {k: max(v, 0) for k, v in values.items()}
    return sector, values


def _by_hand(sector, values):
    """The class by the note's wording: a class needs every lower bound; otherwise drop one; micro if any is short."""
    for size in (L, M, S):
        if all(values[t.indicator] >= getattr(t, size.value) for t in sector.thresholds):
            return size
    return MI


@settings(max_examples=400, deadline=None)
@given(case())
def test_boundaries_follow_the_standards_note(drawn):
    sector, values = drawn
    verdict = classify(industry_code=SECTOR_CODES[sector.key], employees=values.get("employees"),
                       revenue_wan=values.get("revenue_wan"), assets_wan=values.get("assets_wan"))
    assert isinstance(verdict, SizeVerdict)
    assert verdict.size is _by_hand(sector, values)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(standard().sectors), st.data())
def test_more_of_every_indicator_never_makes_an_enterprise_smaller(sector, data):
    base = {t.indicator: data.draw(st.floats(0, 3 * t.large, allow_nan=False)) for t in sector.thresholds}
    more = {k: v + data.draw(st.floats(0, 1e6, allow_nan=False)) for k, v in base.items()}
    order = [L, M, S, MI]
    code = SECTOR_CODES[sector.key]
    small = classify(industry_code=code, employees=base.get("employees"), revenue_wan=base.get("revenue_wan"),
                     assets_wan=base.get("assets_wan"))
    big = classify(industry_code=code, employees=more.get("employees"), revenue_wan=more.get("revenue_wan"),
                   assets_wan=more.get("assets_wan"))
    assert order.index(big.size) <= order.index(small.size)


@given(st.sampled_from(standard().sectors))
def test_exactly_at_each_lower_bound_is_that_class(sector):
    for size in (L, M, S):
        values = {t.indicator: getattr(t, size.value) for t in sector.thresholds}
        verdict = classify(industry_code=SECTOR_CODES[sector.key], employees=values.get("employees"),
                           revenue_wan=values.get("revenue_wan"), assets_wan=values.get("assets_wan"))
        assert verdict.size is size
