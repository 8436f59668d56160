"""The ladder's scoring tables and minimums, worked by hand from annexes 1–3 of 工信部企业〔2022〕63号."""

from datetime import date

import pytest

from chainkeeper.errors import ValidationFailed
from chainkeeper.sme.ladder.facts import validate
from chainkeeper.sme.ladder.rules import assess, valid_until

INNOVATIVE = {"ip_class": "i", "revenue_wan": 5000, "rd_expense_wan": 200, "main_growth_pct": 12,
              "debt_ratio_pct": 40, "main_share_pct": 90, "achievements": ["clean_record"]}
SPECIALIZED = {"revenue_wan": 8000, "rd_expense_wan": 400, "main_share_pct": 85, "main_growth_2y_pct": 9,
               "years_in_niche": 7, "product_field": "six_bases", "digital_level": "2", "net_margin_pct": 7,
               "debt_ratio_pct": 45, "local_points": 10, "ip_class": "own_i", "rd_staff_pct": 15,
               "rd_institution": "provincial", "achievements": ["clean_record", "q_iso9001", "q_brand"]}
LITTLE_GIANT = {"revenue_wan": 12000, "rd_expense_wan": 480, "rd_ratio_prev_pct": 3.5, "years_in_niche": 6,
                "main_share_pct": 88, "main_growth_2y_pct": 7, "debt_ratio_pct": 52, "market_share_pct": 14,
                "ip_i_count": 3, "achievements": ["clean_record", "info_system", "mgmt_certified", "q_brand",
                                                  "rd_centre", "chain_role", "key_field"]}


def points(result) -> dict[str, float]:
    return {line.code: line.points for group in result.groups for line in group.lines}


def test_innovative_score_line_by_line():
    result = assess("innovative", INNOVATIVE)
    # IP class I: 10; R&D 200/5000 = 4% → 3%–5%: 15; growth 12% → 10%–15%: 15; debt 40% → 55%以下: 10;
    # not a strategic emerging field: 5; main business 90% → 70%以上: 20.
    assert points(result) == {"i_ip": 10, "i_rd_ratio": 15, "i_growth": 15, "i_debt": 10, "i_field": 5,
                              "i_main_share": 20}
    assert [(g.code, g.points) for g in result.groups] == [("innovation", 25), ("growth", 25),
                                                           ("specialisation", 25)]
    assert result.score == 75 and result.passed and result.failures == ()


@pytest.mark.parametrize("ratio,expected", [(5, 20), (4.99, 15), (3, 15), (2, 10), (1, 5), (0.99, 0)])
def test_innovative_rd_bands_include_their_lower_figure(ratio, expected):
    facts = INNOVATIVE | {"revenue_wan": 1000, "rd_expense_wan": ratio * 10}
    assert points(assess("innovative", facts))["i_rd_ratio"] == expected


@pytest.mark.parametrize("debt,expected", [(55, 10), (55.01, 5), (75, 5), (75.01, 0)])
def test_debt_bands_include_their_upper_figure(debt, expected):
    assert points(assess("innovative", INNOVATIVE | {"debt_ratio_pct": debt}))["i_debt"] == expected


def test_a_group_below_its_minimum_fails_even_at_sixty():
    # innovation 15 (no IP, R&D 3%) < 20 although the total is 15 + 30 + 30 = 75
    facts = INNOVATIVE | {"ip_class": "none", "rd_expense_wan": 150, "main_growth_pct": 20,
                          "achievements": ["clean_record", "strategic_emerging"]}
    result = assess("innovative", facts)
    assert result.score == 75 and not result.passed
    assert [g.code for g in result.groups if not g.met] == ["innovation"]


def test_a_direct_condition_passes_without_the_score():
    facts = {"revenue_wan": 100, "achievements": ["clean_record", "honour_hitech"]}
    result = assess("innovative", facts)
    assert result.score < 60 and result.direct_met and result.passed


def test_specialized_score_and_minimums():
    result = assess("specialized", SPECIALIZED)
    # professional: 85% → 5, growth 9% → 8, 7 years → 3 (one per full 2), six bases → 3 = 19
    # refined: level 2 → 3, two quality items 6 capped at 5, margin 7% → 6, debt 45% → 5 = 19; local 10
    # innovation: own class I → 8, R&D 400万 → 8 (ratio 5% → 4; the better counts), staff 15% → 3, provincial → 8 = 27
    assert [(g.code, g.points) for g in result.groups] == [("specialisation", 19), ("refinement", 19),
                                                           ("distinctiveness", 10), ("innovation", 27)]
    assert result.score == 75 and result.passed


def test_specialized_needs_rd_of_a_million_and_three_percent():
    result = assess("specialized", SPECIALIZED | {"rd_expense_wan": 239.99, "revenue_wan": 8000})  # 2.9999%
    assert not result.passed
    assert [c.code for c in result.conditions if not c.met] == ["rd_min"]
    assert result.failures[0].zh.startswith("上年度研发费用总额不低于100万元")


def test_specialized_revenue_below_ten_million_needs_equity():
    small = SPECIALIZED | {"revenue_wan": 900, "rd_expense_wan": 100}
    assert "revenue_or_equity" in [c.code for c in assess("specialized", small).conditions if not c.met]
    assert assess("specialized", small | {"equity_2y_wan": 2000}).conditions[3].met


def test_little_giant_all_six_groups():
    assert assess("little_giant", LITTLE_GIANT).passed
    short = assess("little_giant", LITTLE_GIANT | {"market_share_pct": 9.99})
    assert not short.passed and [c.code for c in short.conditions if not c.met] == ["lg_distinct"]


def test_little_giant_rd_depends_on_revenue():
    # 8,000万 revenue: 50–100 million band needs 6% in both years; 480/8000 = 6% but 5.9% the year before
    mid = LITTLE_GIANT | {"revenue_wan": 8000, "rd_ratio_prev_pct": 5.9}
    assert not assess("little_giant", mid).passed
    assert assess("little_giant", mid | {"rd_ratio_prev_pct": 6}).passed
    # the innovation direct route (national award, top 3) passes without the R&D conditions
    assert assess("little_giant", mid | {"achievements": LITTLE_GIANT["achievements"] + ["award_nat_top3"]}).passed


def test_validity_is_three_years():
    assert valid_until(date(2023, 7, 1)) == date(2026, 7, 1)
    assert valid_until(date(2024, 2, 29)) == date(2027, 2, 28)


def test_bad_figures_name_the_field():
    with pytest.raises(ValidationFailed) as caught:
        validate({"debt_ratio_pct": "abc"})
    assert caught.value.template == "{label}: enter a number" and caught.value.params["label"] == "上年度资产负债率"
    with pytest.raises(ValidationFailed):
        validate({"revenue_wan": -1})
    with pytest.raises(ValidationFailed):
        validate({"digital_level": "9"})
    with pytest.raises(ValidationFailed):
        validate({"achievements": ["bribed_the_judge"]})
    assert validate({"main_growth_pct": "-3.5"})["main_growth_pct"] == -3.5
