"""The picture's arithmetic on hand-made numbers with known answers."""

import pytest

from chainkeeper.monitoring.scheduling.figures import (
    MemberDay, behind, by_chain, by_group, by_region, figures, output_series,
)


def member(enterprise_id, province, city, chain="auto", groups=(1,), units=100, value=100.0, staff=100, **report):
    """A member with a baseline; ``report`` holds what it reported (none: a missing report)."""
    return MemberDay(enterprise_id, f"E{enterprise_id}", province, city, chain, groups, units, value, staff,
                     reported=bool(report), **report)


def reported(units, value, on_site, normal=100):
    return {"output_units": units, "output_value": value, "staff_on_site": on_site, "staff_normal": normal}


@pytest.fixture
def day_rows():
    return [
        member(1, "31", "3101", value=400.0, **reported(0, 0.0, 10, 200)),  # Shanghai OEM stopped
        member(2, "32", "3205", value=100.0, **reported(80, 60.0, 90)),  # Suzhou supplier at 60%
        member(3, "32", "3202", value=100.0, **reported(100, 100.0, 100)),  # Wuxi supplier, full
        member(4, "22", "2201", chain="", groups=(2,), value=200.0, **reported(50, 150.0, 80)),
        member(5, "32", "3205", value=300.0),  # no report
    ]


def test_rates_over_reporting_members(day_rows):
    f = figures(day_rows)
    assert (f.members, f.reported, f.missing, f.resumed) == (5, 4, 1, 3)
    assert f.resumption_rate == pytest.approx(3 / 4)
    # Σ output value 0 + 60 + 100 + 150 = 310 over Σ baseline 400 + 100 + 100 + 200 = 800 (the missing one's 300 left out)
    assert f.attainment_rate == pytest.approx(310 / 800)
    assert f.output_index == pytest.approx(38.75)
    assert f.staff_return_rate == pytest.approx((10 + 90 + 100 + 80) / (200 + 100 + 100 + 100))


def test_nobody_reported_gives_no_rate():
    f = figures([member(1, "31", "3101")])
    assert (f.resumption_rate, f.attainment_rate, f.staff_return_rate, f.output_index) == (None, None, None, None)
    assert figures([]).members == 0


def test_by_region_province_then_city(day_rows):
    provinces = {part.key: part for part in by_region(day_rows)}
    assert sorted(provinces) == ["22", "31", "32"]
    jiangsu = provinces["32"]
    assert (jiangsu.figures.members, jiangsu.figures.reported, jiangsu.figures.resumed) == (3, 2, 2)
    assert jiangsu.figures.attainment_rate == pytest.approx(160 / 200)
    cities = {city.key: city.figures for city in jiangsu.children}
    assert cities["3205"].attainment_rate == pytest.approx(0.6) and cities["3205"].missing == 1
    assert cities["3202"].attainment_rate == pytest.approx(1.0)
    assert provinces["31"].figures.resumption_rate == 0


def test_by_chain_and_group(day_rows):
    chains = {part.key: part.figures for part in by_chain(day_rows)}
    assert chains[""].attainment_rate == pytest.approx(0.75)
    assert chains["auto"].attainment_rate == pytest.approx(160 / 600)
    groups = {part.key: part.figures for part in by_group(day_rows, [2, 1])}
    assert list(groups) == ["2", "1"] and groups["2"].output_index == pytest.approx(75.0)


def test_output_series_per_group_and_day():
    days = [{1: 100.0}, {1: 25.0, 2: None}, {}]  # enterprise 2 reported no output value: 0 against its baseline
    members = [(1, (1,), 100.0), (2, (1, 2), 100.0)]
    assert output_series(days, members, [1, 2, 3]) == ({1: [100.0, 12.5, None], 2: [None, 0.0, None],
                                                        3: [None, None, None]}, [100.0, 12.5, None])


def test_the_enterprises_behind_each_figure(day_rows):
    assert [row.enterprise_id for row in behind(day_rows, "resumption", "stopped")] == [1]
    assert [row.enterprise_id for row in behind(day_rows, "resumption")][0] == 1  # stopped ones first
    assert [row.enterprise_id for row in behind(day_rows, "reported", "missing")] == [5]
    assert [row.enterprise_id for row in behind(day_rows, "attainment")] == [1, 4, 2, 3]  # own 达产率 by units
    assert [row.enterprise_id for row in behind(day_rows, "staff")][:2] == [1, 4]
    with pytest.raises(ValueError):
        behind(day_rows, "profit")


def test_a_member_own_attainment_prefers_units():
    row = member(1, "31", "3101", units=200, value=100.0, **reported(50, 90.0, 10))
    assert row.attainment == pytest.approx(0.25)
    value_only = member(2, "31", "3101", units=0, value=100.0, **reported(0, 40.0, 10))
    assert value_only.attainment == pytest.approx(0.4) and value_only.resumed
