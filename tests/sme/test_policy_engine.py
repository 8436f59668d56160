"""The numpy engine gives the reference evaluator's answers, pair by pair, on random libraries and enterprises."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chainkeeper.sme.policies.engine import Enterprises, failures, match_counts, qualifying
from chainkeeper.sme.policies.rules import FACTS, LABELS, NEAR_MISS, PolicyRule, Profile, Rule, evaluate

DAY = date(2026, 12, 6)
COUNTIES = ["320583", "320506", "330206", "110105", "440305"]
INDUSTRIES = ["3670", "36", "C", "3911", "5211", "6510", "0111"]

profiles = st.builds(
    Profile, enterprise_id=st.integers(1, 10**6), county_code=st.sampled_from(COUNTIES),
    industry_code=st.sampled_from(INDUSTRIES), size=st.sampled_from(["large", "medium", "small", "micro", None]),
    labels=st.frozensets(st.sampled_from(sorted(LABELS)), max_size=3),
    founded_on=st.one_of(st.none(), st.dates(date(1990, 1, 1), DAY)),
    facts=st.dictionaries(st.sampled_from(sorted(FACTS)), st.sampled_from([0.0, 1.0, 2.5, 3.0, 50.0, 300.0]),
                          max_size=4))
rules = st.builds(
    PolicyRule, policy_id=st.just(1), region_scope=st.sampled_from(["", "32", "3205", "320583", "33"]),
    industries=st.lists(st.sampled_from(["C", "36", "3670", "52", "G", "65"]), max_size=2).map(tuple),
    size_classes=st.lists(st.sampled_from(["large", "medium", "small", "micro"]), max_size=3).map(tuple),
    labels_any=st.lists(st.sampled_from(sorted(LABELS)), max_size=2).map(tuple),
    min_age_years=st.one_of(st.none(), st.sampled_from([0.0, 2.0, 5.5])),
    max_age_years=st.one_of(st.none(), st.sampled_from([3.0, 10.0])),
    rules=st.lists(st.builds(Rule, st.sampled_from(sorted(FACTS)), st.sampled_from([">=", "<=", ">", "<", "="]),
                             st.sampled_from([0.0, 2.5, 3.0, 100.0])), max_size=3).map(tuple),
    valid_from=st.one_of(st.none(), st.just(DAY - timedelta(days=30)), st.just(DAY + timedelta(days=1))),
    valid_to=st.one_of(st.none(), st.just(DAY), st.just(DAY - timedelta(days=1))))


@settings(max_examples=150, deadline=None)
@given(st.lists(profiles, min_size=1, max_size=12), rules)
def test_engine_equals_the_reference(firms, rule):
    columns = Enterprises.build(firms)
    rows, failed = failures(columns, rule, DAY)
    by_row = dict(zip(rows.tolist(), failed.tolist()))
    for row, profile in enumerate(firms):
        expected = evaluate(rule, profile, DAY)
        if not expected.in_scope:
            assert row not in by_row
        else:
            assert by_row[row] == len(expected.missing), (profile, rule)
    assert sorted(qualifying(columns, rule, DAY).tolist()) == sorted(
        p.enterprise_id for p in firms if evaluate(rule, p, DAY).qualifies)


def test_counts_by_hand():
    firms = [Profile(1, "320583", "3670", "small", facts={"rd_ratio_pct": 4}),
             Profile(2, "330206", "3670", "large"),
             Profile(3, "320506", "5211", "micro")]
    library = [PolicyRule(1, region_scope="32", industries=("C",)),  # firm 1 qualifies, firm 3 misses one
               PolicyRule(2, size_classes=("small", "micro"), rules=(Rule("rd_ratio_pct", ">=", 3),)),  # 1; 3 near
               PolicyRule(3, valid_to=date(2020, 1, 1))]  # expired: nobody
    qualified, near = match_counts(Enterprises.build(firms), library, DAY)
    assert qualified.tolist() == [2, 0, 0]
    assert near.tolist() == [0, 1, 2]  # firm 2: policy 2 misses size and R&D (2 ≤ NEAR_MISS); firm 3: both
    assert NEAR_MISS == 2
