"""Minimum lots by branch and bound (``docking/lotbranch.py``): against an oracle that tries every lot pair both ways
(0, or at least its lot, as fixed lines of the plain LP), on a case where rounding the LP's broken shipment is wrong,
and at its limit of LP solves (an answer that says how far it may be from the optimum, or HiGHS's MIP)."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainkeeper.docking import lotbranch
from chainkeeper.docking.allocation import Demand, Fixed, Supply, allocate

from docking.test_allocation_fast import assert_lots_kept, assert_same_answer


def lexicographic_key(answer, classes):
    return tuple(-round(answer.served_by_class.get(c, 0.0), 6) for c in classes) + (answer.transport_km_units,)


def oracle(supplies, demands):
    """The lot day's lexicographic optimum by enumeration: each lot pair fixed to 0 or to at least its lot, the rest
    the plain LP (no lots); the best of all those answers (classes in order, then transport)."""
    lot_pairs = [(s, d) for d in demands if min(d.min_lot, d.quantity) > 0 for s in supplies if s.available > 1e-6]
    plain = [Demand(d.id, d.quantity, d.priority, d.point) for d in demands]
    classes = sorted({d.priority for d in demands})
    best = None
    for choice in itertools.product((False, True), repeat=len(lot_pairs)):
        fixed = [Fixed(s.id, d.id, min(d.min_lot, d.quantity) if up else 0, at_least=up)
                 for (s, d), up in zip(lot_pairs, choice)]
        answer = allocate(supplies, plain, fixed)
        if answer.status == "optimal" and (best is None or
                                           lexicographic_key(answer, classes) < lexicographic_key(best, classes)):
            best = answer
    return best


def test_rounding_the_broken_shipment_down_would_cost_class_one():
    # The LP serves d0 (class 1, 26, lot 20) with s1's 20 and 6 from s0, s0's 23 others to d1 (class 2). Rounding
    # the 6 down to 0 (the nearer end) leaves class 1 at 20; the answer keeping the lots serves d0 all 26 from s0
    # and sends s1's 20 to d1: class 1 gets its 26, class 2 still 23.
    supplies = [Supply("s0", 29, (6, 8)), Supply("s1", 20, (0, 3))]
    demands = [Demand("d0", 26, 1, (7, 6), min_lot=20), Demand("d1", 44, 2, (8, 7))]
    answer = allocate(supplies, demands)
    assert answer.served_by_class == {1: 26, 2: 23}
    assert {(l.supply_id, l.demand_id): l.quantity for l in answer.lines} == {
        ("s0", "d0"): 26, ("s0", "d1"): 3, ("s1", "d1"): 20}
    assert answer.gap == 0
    assert_same_answer(answer, oracle(supplies, demands))
    assert_same_answer(answer, allocate(supplies, demands, method="staged"))


points = st.tuples(st.integers(-6, 6), st.integers(-6, 6))
lot_day = st.tuples(
    st.lists(st.tuples(st.integers(5, 60), points), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(5, 50), st.integers(1, 3), points, st.sampled_from([10, 15, 30])), min_size=1,
             max_size=2),
    st.lists(st.tuples(st.integers(1, 50), st.integers(1, 3), points), max_size=3))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lot_day)
def test_the_lot_search_gives_the_best_of_every_lot_choice(day):
    supply_rows, lot_rows, plain_rows = day
    supplies = [Supply(f"s{i}", a, p) for i, (a, p) in enumerate(supply_rows)]
    demands = [Demand(f"l{j}", q, c, p, lot) for j, (q, c, p, lot) in enumerate(lot_rows)]
    demands += [Demand(f"d{j}", q, c, p) for j, (q, c, p) in enumerate(plain_rows)]
    answer = allocate(supplies, demands)
    assert_same_answer(answer, oracle(supplies, demands))
    assert_lots_kept(answer, demands)


def many_lots_day():
    rng = np.random.default_rng(7)
    supplies = [Supply(f"s{i}", float(rng.integers(40, 120)), tuple(rng.uniform(0, 8, 2))) for i in range(8)]
    demands = [Demand(f"d{j}", float(rng.integers(20, 90)), int(rng.integers(1, 4)), tuple(rng.uniform(0, 8, 2)),
                      30 if j % 2 else 0) for j in range(24)]
    return supplies, demands


def test_at_its_count_of_lp_solves_the_search_hands_over_and_the_answer_does_not_change(monkeypatch):
    # The limit is a count of LP solves, not seconds: the same day stops at the same place on any machine. Reached,
    # HiGHS's MIP (binaries on the broken lots) finishes the stage; ``gap`` stays 0 (HiGHS reached its own gap).
    supplies, demands = many_lots_day()
    full = allocate(supplies, demands)
    assert full.gap == 0
    assert_same_answer(full, allocate(supplies, demands, method="staged"))
    for limit in (1, 3, 10, 30):
        monkeypatch.setattr(lotbranch, "NODE_LIMIT", limit)
        cut_short = allocate(supplies, demands)
        assert cut_short.status == "optimal"
        assert_lots_kept(cut_short, demands)
        assert cut_short.served_by_class == pytest.approx(full.served_by_class, abs=1e-5)
        excess = (cut_short.transport_km_units - full.transport_km_units) / full.transport_km_units
        assert -2e-4 <= excess <= cut_short.gap + 2e-4
        assert allocate(supplies, demands).lines == cut_short.lines  # the same answer each time


def class_stages_day():
    """A day whose lots cost class 1 part of what the LP serves it, so that the classes are solved stage by stage
    (the transport stage keeping the LP's class totals has no answer keeping the lots)."""
    supplies = [Supply(f"s{i}", a, p) for i, (a, p) in enumerate(
        [(18, (-3, -4)), (50, (5, 1)), (11, (-5, -2)), (31, (2, 0)), (23, (-4, 2)), (46, (-6, -5))])]
    demands = [Demand(f"d{j}", q, c, p, lot) for j, (q, c, p, lot) in enumerate(
        [(25, 2, (5, 0), 17), (24, 2, (1, -4), 25), (39, 3, (4, -3), 12), (34, 2, (3, 5), 12), (47, 1, (-6, 6), 30),
         (18, 1, (-2, -6), 30)])]
    return supplies, demands


def test_a_priority_class_stage_stopped_at_the_limit_is_finished_by_the_exact_mip(monkeypatch):
    # A class stage is never left approximate: a search stopped by its limit hands the stage to HiGHS's MIP, even
    # when it holds an answer keeping the lots; the class totals are the staged MIP's at every limit.
    supplies, demands = class_stages_day()
    exact = allocate(supplies, demands, method="staged")
    searches = []
    real = lotbranch.branch_and_bound

    def watched(lp, lower, upper, lot, *, gap, **options):
        search = real(lp, lower, upper, lot, gap=gap, **options)
        searches.append((gap == 0.0, search))  # the class stages search with gap 0, transport within MIP_GAP
        return search

    monkeypatch.setattr(lotbranch, "branch_and_bound", watched)
    stopped_class_stages = 0
    for limit in (2, 3, 4, 5, 8, 2_000):
        monkeypatch.setattr(lotbranch, "NODE_LIMIT", limit)
        searches.clear()
        answer = allocate(supplies, demands)
        assert answer.status == "optimal" and answer.gap == 0
        assert_lots_kept(answer, demands)
        assert answer.served_by_class == pytest.approx(exact.served_by_class, abs=1e-5)
        assert answer.served_by_class == {1: 65, 2: 83, 3: 0}
        stopped_class_stages += sum(class_stage and search.x is None and not search.infeasible
                                    for class_stage, search in searches)
    assert stopped_class_stages  # the limits above do stop class stages


def test_no_answer_keeping_the_lots_is_reported_infeasible():
    # One pair, lot 10, upper bound 6: the lot cannot be shipped, 0 ships nothing — the LP minimum (of −x) would
    # want 6, so only x = 0 is left; with x ≥ 1 required by the LP's rows, nothing at all.
    def lp(lower, upper):
        if upper[0] < 1:
            return None
        return -float(upper[0]), np.array([float(upper[0])])

    search = lotbranch.branch_and_bound(lp, np.zeros(1), np.array([6.0]), np.array([10.0]), gap=0.0)
    assert (search.x, search.infeasible) == (None, True)
