"""The computations on hand-made series whose answers are worked out by hand."""

import pytest

from chainkeeper.monitoring.indicators.compute import (
    Point, contribution_shares, contributions, cumulative_yoy_from_levels, cumulative_yoy_from_monthly, gap, rank,
    yoy_from_levels)


def test_yoy_from_levels_needs_the_same_month_a_year_before_with_the_same_months_combined():
    levels = [Point("2021-02", 200.0, 2), Point("2021-03", 100.0), Point("2021-04", 80.0),
              Point("2022-02", 210.0, 2), Point("2022-03", 105.0), Point("2022-04", 60.0), Point("2022-05", 90.0)]
    got = {p.period: (p.value, p.combined_months) for p in yoy_from_levels(levels)}
    assert got == {"2022-02": (5.0, 2), "2022-03": (5.0, 1), "2022-04": (-25.0, 1)}


def test_yoy_from_levels_skips_a_zero_base_and_a_base_combined_differently():
    levels = [Point("2021-02", 100.0), Point("2022-02", 150.0, 2), Point("2021-03", 0.0), Point("2022-03", 5.0)]
    assert yoy_from_levels(levels) == []


def test_cumulative_from_levels_sums_the_year_to_date():
    # 2021: Jan-Feb 200, Mar 100, Apr 100 ; 2022: Jan-Feb 220, Mar 90, Apr 60
    levels = [Point("2021-02", 200.0, 2), Point("2021-03", 100.0), Point("2021-04", 100.0),
              Point("2022-02", 220.0, 2), Point("2022-03", 90.0), Point("2022-04", 60.0)]
    got = {p.period: p.value for p in cumulative_yoy_from_levels(levels)}
    assert got == {"2022-02": 10.0, "2022-03": pytest.approx(3.333333, abs=1e-6), "2022-04": -7.5}


def test_cumulative_from_levels_needs_every_month_of_both_years():
    levels = [Point("2021-01", 1.0), Point("2021-03", 1.0), Point("2022-01", 1.0), Point("2022-02", 1.0),
              Point("2022-03", 1.0)]
    assert [p.period for p in cumulative_yoy_from_levels(levels)] == ["2022-01"]  # 2021-02 is missing


def test_cumulative_from_monthly_rates_weights_by_last_years_levels():
    # base 2021: Jan-Feb 200, Mar 100, Apr 100; growth 2022: +10, -10, -30
    # Mar: (220 + 90) / 300 - 1 = 3.3333 % ; Apr: (220 + 90 + 70) / 400 - 1 = -5 %
    rates = [Point("2022-02", 10.0, 2), Point("2022-03", -10.0), Point("2022-04", -30.0)]
    base = [Point("2021-02", 200.0, 2), Point("2021-03", 100.0), Point("2021-04", 100.0)]
    got = {p.period: p.value for p in cumulative_yoy_from_monthly(rates, base)}
    assert got == {"2022-02": 10.0, "2022-03": pytest.approx(10 / 3, abs=1e-6), "2022-04": -5.0}


def test_cumulative_from_monthly_rates_is_not_guessed_without_a_base():
    rates = [Point("2022-02", 10.0, 2), Point("2022-03", -10.0)]
    assert [p.period for p in cumulative_yoy_from_monthly(rates, [Point("2021-03", 1.0)])] == []


def test_contributions_are_weight_shares_times_growth_and_add_up_to_the_total():
    parts = {"31": (-60.0, 2.0), "22": (-40.0, 1.0), "44": (5.0, 7.0)}
    got = contributions(parts)
    assert got == {"31": -12.0, "22": -4.0, "44": 3.5}
    assert sum(got.values()) == pytest.approx(-12.5)
    assert contribution_shares(got) == {"31": 96.0, "22": 32.0, "44": -28.0}
    assert contribution_shares({"a": 1.0, "b": -1.0}) == {"a": None, "b": None}


def test_rank_highest_first_ties_share_a_place():
    got = [(r.rank, r.key) for r in rank({"31": -61.5, "22": -37.9, "11": 2.0, "12": 2.0, "32": -1.0})]
    assert got == [(1, "11"), (1, "12"), (3, "32"), (4, "22"), (5, "31")]
    assert [r.key for r in rank({"a": 1.0, "b": 2.0}, descending=False)] == ["a", "b"]


def test_gap_in_points():
    assert gap(-61.5, -2.9) == pytest.approx(-58.6)
    assert gap(4.0, 6.0) == -2.0
    assert gap(None, 1.0) is None
