"""The daily allocation on hand-worked instances, degenerate days and random ones (hypothesis).

Points lie on the equator so that distances are easy: one degree of longitude is 111.195 km (6371 km · π / 180).
The base instance — two producers, three hospitals, a class that must be served first:

    producer A at 0°, 100 available        hospital H1 at 1°, class 1, needs 120
    producer B at 10°, 60 available        hospital H2 at 9°, class 2, needs 50
                                           hospital H3 at 5°, class 3, needs 40

Stage 1 (class 1): H1 can take A's 100 and 20 of B's 60 → 120 served (all of it).
Stage 2 (class 2): 160 − 120 = 40 left, all within reach of H2 → 40 served (10 short).
Stage 3 (class 3): nothing left → 0 served (40 short).
Transport: H1 takes A's 100 (1° each) and 20 from B (9° each); H2 takes B's other 40 (1° each):
    100·1 + 20·9 + 40·1 = 320° = 35,582.4 km·units. The other split of the same totals (A→H2 20, B→H1 40) costs
    every unit of A sent to H2 instead (8° further than to H1) frees a unit of B for H1 (8° further than to H2),
    so each such swap adds 16°: the answer is unique.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainkeeper.docking.allocation import Demand, Fixed, Supply, allocate

DEG = 6371.0 * math.pi / 180


def base(h1=120.0, lot2=0.0):
    supplies = [Supply("A", 100, (0, 0)), Supply("B", 60, (10, 0))]
    demands = [Demand("H1", h1, 1, (1, 0)), Demand("H2", 50, 2, (9, 0), min_lot=lot2), Demand("H3", 40, 3, (5, 0))]
    return supplies, demands


def lines_of(answer):
    return {(line.supply_id, line.demand_id): line for line in answer.lines}


def test_two_producers_three_hospitals_by_hand():
    answer = allocate(*base())
    assert answer.status == "optimal"
    lines = lines_of(answer)
    assert {key: line.quantity for key, line in lines.items()} == {("A", "H1"): 100, ("B", "H1"): 20,
                                                                   ("B", "H2"): 40}
    assert answer.served_by_class == {1: 120, 2: 40, 3: 0}
    assert answer.transport_km_units == pytest.approx(320 * DEG, abs=0.5)
    assert (lines["A", "H1"].why.code, lines["A", "H1"].why_not_more.code) == ("nearest", "producer_exhausted")
    assert (lines["B", "H1"].why.code, lines["B", "H1"].why_not_more.code) == ("nearer_exhausted", "need_met")
    assert lines["B", "H1"].why.params["producers"] == ["A"]
    assert (lines["B", "H2"].why.code, lines["B", "H2"].why_not_more.code) == ("nearest", "producer_exhausted")
    short = {s.demand_id: s for s in answer.shortfalls}
    assert {k: s.unmet for k, s in short.items()} == {"H2": 10, "H3": 40}
    assert short["H3"].reason.code == "stock_exhausted" and short["H3"].reason.params["classes"] == [1, 2]


def test_the_first_class_is_served_first_even_when_it_costs_more_transport():
    # One producer next to a class-3 clinic and far from a class-1 hospital: all 30 go the long way.
    answer = allocate([Supply("P", 30, (0, 0))], [Demand("far", 30, 1, (20, 0)), Demand("near", 30, 3, (0, 0))])
    assert {line.demand_id: line.quantity for line in answer.lines} == {"far": 30}
    assert answer.served_by_class == {1: 30, 3: 0}
    assert answer.lines[0].why.code == "only_producer"


def test_lexicographic_class_two_before_three_then_distance():
    # P1 (20) can reach everyone; class 2 takes it all although class 3 is nearer.
    supplies = [Supply("P1", 20, (0, 0)), Supply("P2", 5, (3, 0), allowed=frozenset({"c3"}))]
    demands = [Demand("c2", 20, 2, (2, 0)), Demand("c3", 20, 3, (0, 0))]
    answer = allocate(supplies, demands)
    assert {(l.supply_id, l.demand_id): l.quantity for l in answer.lines} == {("P1", "c2"): 20, ("P2", "c3"): 5}
    assert answer.served_by_class == {2: 20, 3: 5}


def test_requisitioned_output_goes_only_where_allowed():
    supplies = [Supply("R", 50, (0, 0), allowed=frozenset({"H3"}))]
    demands = [Demand("H1", 50, 1, (0, 0)), Demand("H3", 10, 3, (1, 0))]
    answer = allocate(supplies, demands)
    assert {l.demand_id: l.quantity for l in answer.lines} == {"H3": 10}
    assert {s.demand_id: s.reason.code for s in answer.shortfalls} == {"H1": "no_eligible_producer"}


def test_fixed_lines_hold_and_the_rest_is_reoptimised_around_them():
    supplies, demands = base()
    answer = allocate(supplies, demands, [Fixed("B", "H3", 30)])
    lines = lines_of(answer)
    # B keeps 30 for H3; class 1 still gets 120 (A 100 + B 20); class 2 gets B's last 10.
    assert {k: l.quantity for k, l in lines.items()} == {("A", "H1"): 100, ("B", "H1"): 20, ("B", "H2"): 10,
                                                         ("B", "H3"): 30}
    assert lines["B", "H3"].fixed and lines["B", "H3"].why.code == "fixed"
    assert answer.served_by_class == {1: 120, 2: 10, 3: 30}


@pytest.mark.parametrize(("fixed", "code"), [([Fixed("B", "H3", 70)], "fixed_over_stock"),
                                             ([Fixed("A", "H3", 30), Fixed("B", "H3", 20)], "fixed_over_need"),
                                             ([Fixed("Z", "H3", 1)], "fixed_unknown")])
def test_impossible_fixed_lines_are_refused_with_the_reason(fixed, code):
    answer = allocate(*base(), fixed)
    assert (answer.status, answer.message.code, answer.lines) == ("fixed_infeasible", code, [])


def test_minimum_lot_makes_it_a_mip():
    # H2 takes lots of at least 50: B has only 40 left after class 1, so H2 gets nothing and H3 gets the 40.
    answer = allocate(*base(lot2=50))
    assert {(l.supply_id, l.demand_id): l.quantity for l in answer.lines} == {("A", "H1"): 100, ("B", "H1"): 20,
                                                                              ("B", "H3"): 40}
    short = {s.demand_id: s.reason.code for s in answer.shortfalls}
    assert short["H2"] == "lot_size"


def test_a_need_below_its_lot_is_served_whole():
    answer = allocate([Supply("P", 100, (0, 0))], [Demand("h", 30, 1, (1, 0), min_lot=50)])
    assert [l.quantity for l in answer.lines] == [30]


@pytest.mark.parametrize(("supplies", "demands", "status"), [
    ([], [Demand("h", 10, 1)], "no_stock"),
    ([Supply("P", 0, (0, 0))], [Demand("h", 10, 1)], "no_stock"),
    ([Supply("P", 10, (0, 0))], [], "no_needs"),
    ([Supply("P", 10, (0, 0))], [Demand("h", 0, 1)], "no_needs"),
])
def test_degenerate_days_get_a_clear_answer(supplies, demands, status):
    answer = allocate(supplies, demands)
    assert answer.status == status and answer.message.code == status
    if status == "no_stock":
        assert [(s.unmet, s.reason.code) for s in answer.shortfalls] == [(10, "no_stock")]


def test_one_producer_all_demand_in_one_class():
    demands = [Demand(f"h{i}", 10, 2, (i, 0)) for i in range(5)]
    answer = allocate([Supply("P", 25, (0, 0))], demands)
    assert answer.served_by_class == {2: 25}
    assert {l.demand_id: l.quantity for l in answer.lines} == {"h0": 10, "h1": 10, "h2": 5}  # nearest first
    assert all(l.why.code == "only_producer" for l in answer.lines)


def test_unknown_places_cost_nothing_but_still_get_served():
    answer = allocate([Supply("P", 5)], [Demand("h", 10, 1)])
    assert [(l.quantity, l.distance_km) for l in answer.lines] == [(5, 0.0)]


# --- properties ---------------------------------------------------------------------------------------------------

points = st.tuples(st.integers(-5, 5), st.integers(-5, 5))
supplies_st = st.lists(st.tuples(st.integers(0, 40), points), min_size=1, max_size=4)
demands_st = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 3), points), min_size=1, max_size=5)


def build(supply_rows, demand_rows):
    return ([Supply(f"s{i}", a, p) for i, (a, p) in enumerate(supply_rows)],
            [Demand(f"d{j}", q, c, p) for j, (q, c, p) in enumerate(demand_rows)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supplies_st, demands_st)
def test_never_more_than_available_nor_more_than_needed(supply_rows, demand_rows):
    supplies, demands = build(supply_rows, demand_rows)
    answer = allocate(supplies, demands)
    assert answer.status in ("optimal", "no_stock", "no_needs")
    for supply in supplies:
        assert sum(l.quantity for l in answer.lines if l.supply_id == supply.id) <= supply.available + 1e-6
    for demand in demands:
        assert sum(l.quantity for l in answer.lines if l.demand_id == demand.id) <= demand.quantity + 1e-6
    assert all(l.quantity == int(l.quantity) for l in answer.lines)  # whole data, whole answer (network LP)
    # nothing is left idle while a reachable need is open
    total = min(sum(s.available for s in supplies), sum(d.quantity for d in demands))
    assert answer.served == pytest.approx(total)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(supplies_st, demands_st, st.integers(0, 3), st.integers(1, 30))
def test_priorities_are_never_inverted(supply_rows, demand_rows, which, extra):
    supplies, demands = build(supply_rows, demand_rows)
    answer = allocate(supplies, demands)
    # class 1 gets as much as it would if it were alone
    alone = allocate(supplies, [d for d in demands if d.priority == 1])
    assert answer.served_by_class.get(1, 0) == pytest.approx(alone.served_by_class.get(1, 0))
    # raising a class-1 need never reduces class-1 service
    j = which % len(demands)
    raised = list(demands)
    raised[j] = Demand(demands[j].id, demands[j].quantity + extra, 1, demands[j].point)
    again = allocate(supplies, raised)
    before = sum(l.quantity for l in answer.lines if demands[[d.id for d in demands].index(l.demand_id)].priority == 1)
    assert again.served_by_class.get(1, 0) >= before - 1e-6


def test_a_directed_quantity_is_a_floor_not_a_cap():
    supplies, demands = base()
    answer = allocate(supplies, demands, [Fixed("B", "H3", 10, at_least=True)])
    lines = lines_of(answer)
    assert lines["B", "H3"].quantity == 10 and answer.served_by_class == {1: 120, 2: 30, 3: 10}
