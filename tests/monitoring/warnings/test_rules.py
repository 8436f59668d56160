"""The early-warning rules on hand-made series whose answers are worked out by hand in the comments."""

import math

import numpy as np
import pytest

from chainkeeper.monitoring.warnings.rules import (
    NotEnoughData, RuleError, below, below_national, check_parameters, evaluate, inventory_level, inventory_levels,
    mom_drop, price_rise, robust_z, stl_residual,
)

# the national 2022 monthly YoY growth of industrial value added above designated size (NBS); January is published
# together with February (None), so March is compared with January–February
NATIONAL_2022 = [("2022-01", None), ("2022-02", 7.5), ("2022-03", 5.0), ("2022-04", -2.9), ("2022-05", 0.7),
                 ("2022-06", 3.9)]


def test_below_fires_only_where_growth_is_under_the_threshold():
    found = below(NATIONAL_2022, threshold=0.0)
    assert [(f.period, f.value) for f in found] == [("2022-04", -2.9)]
    assert found[0].figures == {"threshold": 0.0, "gap": -2.9}
    # the explanation carries the series without the missing January, the threshold line and the marked period
    assert found[0].explanation["series"][0] == ["2022-02", 7.5]
    assert found[0].explanation["lines"] == [{"name": "threshold", "value": 0.0}]
    assert found[0].explanation["mark"] == "2022-04"
    # at 1% May's +0.7 falls below as well
    assert [f.period for f in below(NATIONAL_2022, threshold=1.0)] == ["2022-04", "2022-05"]


def test_a_missing_figure_is_skipped_never_read_as_zero():
    assert below([("2022-01", None), ("2022-02", float("nan"))], threshold=1.0) == []


def test_mom_drop_compares_with_the_previous_published_figure():
    # Feb 7.5 → Mar 5.0 is a drop of 2.5; Mar 5.0 → Apr −2.9 a drop of 7.9; Apr → May a rise
    assert [(f.period, f.figures["drop"]) for f in mom_drop(NATIONAL_2022, points=2)] == [("2022-03", 2.5),
                                                                                        ("2022-04", 7.9)]
    assert [f.period for f in mom_drop(NATIONAL_2022, points=5)] == ["2022-04"]
    assert mom_drop(NATIONAL_2022, points=5, at="2022-04")[0].figures["previous_period"] == "2022-03"
    with pytest.raises(NotEnoughData):
        mom_drop(NATIONAL_2022, points=5, at="2022-02")  # nothing before it


def test_below_national_by_a_gap():
    # Shanghai's April 2022 −61.5 is 58.6 points behind the national −2.9; Jiangsu's −1.7 is ahead
    shanghai = [("2022-03", -7.5), ("2022-04", -61.5)]
    found = below_national(shanghai, national=NATIONAL_2022, gap=5)
    assert [(f.period, f.figures["behind"]) for f in found] == [("2022-03", 12.5), ("2022-04", 58.6)]
    assert found[1].explanation["floor"][-1] == ["2022-04", -7.9]  # national − gap, drawn as the floor
    assert below_national([("2022-04", -1.7)], national=NATIONAL_2022, gap=5) == []
    assert below_national([("2022-07", -9.0)], national=NATIONAL_2022, gap=5) == []  # no national figure yet
    with pytest.raises(NotEnoughData):
        below_national([("2022-07", -9.0)], national=NATIONAL_2022, gap=5, at="2022-07")


def _steady(n, start="2020-01"):
    """n months of growth around 5 with a spread of 1 (median 5, MAD 1): 4, 6, 5, 3, 7, 5, 4, 6 repeated."""
    year, month = int(start[:4]), int(start[5:])
    values = [4, 6, 5, 3, 7, 5, 4, 6]
    return [(f"{year + (month - 1 + i) // 12:04d}-{(month - 1 + i) % 12 + 1:02d}", float(values[i % 8]))
            for i in range(n)]


def test_robust_z_against_the_median_and_mad_of_the_points_before():
    series = _steady(8) + [("2020-09", -3.0)]
    [finding] = robust_z(series, k=3.5, min_history=8)
    # median 5, MAD 1 → sigma 1.4826; z = (−3 − 5) / 1.4826 = −5.396
    assert finding.period == "2020-09"
    assert finding.figures["median"] == 5.0 and finding.figures["sigma"] == pytest.approx(1.4826)
    assert finding.figures["z"] == pytest.approx(-8 / 1.4826)
    low, high = finding.explanation["band"][-1][1:]
    assert (low, high) == (pytest.approx(5 - 3.5 * 1.4826), pytest.approx(5 + 3.5 * 1.4826))
    # a value of 0 is z = −3.37: inside k = 3.5, beyond k = 3
    assert robust_z(_steady(8) + [("2020-09", 0.0)], k=3.5) == []
    assert len(robust_z(_steady(8) + [("2020-09", 0.0)], k=3.0)) == 1
    # direction: a jump up does not fire a "low" rule
    assert robust_z(_steady(8) + [("2020-09", 15.0)], direction="low") == []
    assert robust_z(_steady(8) + [("2020-09", 15.0)], direction="high")[0].figures["z"] > 3.5


def test_robust_z_says_not_enough_data_rather_than_warning():
    short = _steady(5) + [("2020-06", -30.0)]
    assert robust_z(short, min_history=8) == []
    with pytest.raises(NotEnoughData) as refused:
        robust_z(short, min_history=8, at="2020-06")
    assert (refused.value.needed, refused.value.available) == (8, 5)


def _seasonal(years, outlier_at=None, size=0.0):
    """A monthly series: trend + a 12-month season of amplitude 5 + a small deterministic wiggle."""
    values = []
    for i in range(years * 12):
        value = 100 + 0.3 * i + 5 * math.sin(2 * math.pi * i / 12) + 0.4 * math.sin(1.7 * i) + 0.3 * math.cos(2.9 * i)
        values.append(value + (size if i == outlier_at else 0.0))
    return [(f"{2015 + i // 12}-{i % 12 + 1:02d}", v) for i, v in enumerate(values)]


def test_stl_residual_finds_the_break_in_a_seasonal_series():
    series = _seasonal(4, outlier_at=47, size=-12.0)  # December of the fourth year falls 12 below its pattern
    [finding] = stl_residual(series, k=3.0, at="2018-12")
    assert finding.period == "2018-12" and finding.figures["z"] < -3.0
    assert finding.figures["residual"] == pytest.approx(-12.0, abs=2.5)
    assert len(finding.explanation["band"]) == 48 and finding.explanation["interpolated"] == []
    # the same month without the break: the season is expected, nothing fires
    assert stl_residual(_seasonal(4), k=3.0, at="2018-12") == []


def test_stl_residual_refuses_a_short_history_and_fills_january():
    with pytest.raises(NotEnoughData) as refused:
        stl_residual(_seasonal(2), at="2016-12")
    assert refused.value.needed == 37  # three cycles of 12 months and the judged one
    assert stl_residual(_seasonal(2)) == []  # every period: none can be judged, no warning
    gappy = [(p, None if p.endswith("-01") else v) for p, v in _seasonal(4, outlier_at=47, size=-12.0)]
    [finding] = stl_residual(gappy, at="2018-12")
    # the series starts in February 2015 (its first figure); the later Januaries are filled between their neighbours
    assert finding.explanation["interpolated"] == ["2016-01", "2017-01", "2018-01"]


def test_stl_residual_judges_each_month_with_what_was_known_then():
    series = _seasonal(5, outlier_at=47, size=-12.0)
    early = stl_residual(series[:48], at="2018-12")
    late = stl_residual(series, at="2018-12")
    assert early and late and early[0].figures["z"] == late[0].figures["z"]


def test_inventory_lights():
    assert [inventory_level(d, red=3, yellow=7, blue=15) for d in (0, 2.99, 3, 6.99, 7, 14.9, 15)] == \
        ["red", "red", "yellow", "yellow", "blue", "blue", None]
    assert inventory_level(2, red=3) == "red" and inventory_level(5, red=3) is None  # the parts red light
    days = [("2022-04-11", 12.0), ("2022-04-12", 8.0), ("2022-04-13", 5.0), ("2022-04-14", 2.0)]
    found = inventory_levels(days, red=3, yellow=7, blue=10)
    assert [(f.period, f.level) for f in found] == [("2022-04-12", "blue"), ("2022-04-13", "yellow"),
                                                    ("2022-04-14", "red")]
    assert found[-1].figures["limit"] == 3.0
    assert [line["name"] for line in found[-1].explanation["lines"]] == ["red", "yellow", "blue"]
    with pytest.raises(RuleError) as wrong:
        inventory_levels(days, red=7, yellow=3)
    assert wrong.value.parameter == "yellow"


def test_price_rise_over_n_periods():
    prices = [("2022-01", 100.0), ("2022-02", 104.0), ("2022-03", 109.0), ("2022-04", 112.0)]
    # March against January: +9%; April against February: 112 / 104 = +7.7%, under 8
    assert [(f.period, f.figures["rise_percent"]) for f in price_rise(prices, percent=8, periods=2)] == \
        [("2022-03", 9.0)]
    assert [f.period for f in price_rise(prices, percent=10, periods=3)] == ["2022-04"]
    assert price_rise(prices, percent=5, periods=1) == []  # 4%, 4.8%, 2.8% a month


def test_bad_parameters_are_named():
    with pytest.raises(RuleError) as wrong:
        check_parameters("below", {"threshold": "abc"})
    assert wrong.value.parameter == "threshold"
    with pytest.raises(RuleError) as wrong:
        check_parameters("robust_z", {"k": 3, "colour": "red"})
    assert wrong.value.parameter == "colour"
    with pytest.raises(RuleError):
        check_parameters("below", {})
    with pytest.raises(RuleError):
        evaluate("sideways", [], {})
    assert check_parameters("inventory_levels", {"red": 3, "yellow": "", "inputs": ["31"]}) == {"red": 3,
                                                                                               "inputs": ["31"]}


def test_a_period_given_twice_is_refused():
    with pytest.raises(RuleError):
        below([("2022-04", 1.0), ("2022-04", 2.0)], threshold=0)


def test_objects_with_period_and_value_are_series_too():
    class Point:
        def __init__(self, period, value):
            self.period, self.value = period, value

    assert [f.period for f in below([Point("2022-04", -2.9), Point("2022-05", np.float64(0.7))], threshold=0)] == \
        ["2022-04"]
