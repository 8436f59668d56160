"""Issue 11, findings 1-8: each reproduced by a test that failed on the earlier engine and passes now."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import chainkeeper.network as cn
from chainkeeper.network import Shock, SupplyNetwork, simulate
from chainkeeper.network import rationing as rat
from chainkeeper.network.generators import power_law_network


# attribute access at call time, so that each test fails on its own against the earlier engine
def stability(*a, **k):
    return cn.stability(*a, **k)


def iterate_days(*a, **k):
    return importlib.import_module("chainkeeper.network.simulate").iterate_days(*a, **k)


def ration_priority(*a, **k):
    return rat.ration_priority(*a, **k)


def ration_least_fulfilled_first(*a, **k):
    return rat.ration_least_fulfilled_first(*a, **k)



def cyclic_network(n, m, k=4, seed=1, fd_share=1.5):
    """Random directed network (cycles everywhere), all inputs essential; output = max(s_out, s_in) * (1 + U·fd)."""
    rng = np.random.default_rng(seed)
    pairs = set()
    while len(pairs) < m:
        s, c = rng.integers(0, n, 2)
        if s != c:
            pairs.add((int(s), int(c)))
    pairs = sorted(pairs)
    w = rng.lognormal(0, 1, m)
    ind = rng.integers(0, k, n)
    net = SupplyNetwork.from_edges([p[0] for p in pairs], [p[1] for p in pairs], w, ind, np.full((k, k), 2))
    out = np.maximum(net.s_out, net.s_in) * (1 + fd_share * np.random.default_rng(100 + seed).random(n))
    return net, out


# ---------------------------------------------------------------- finding 1: orders on realised production
@pytest.mark.parametrize("rule", ["priority", "proportional"])
def test_no_shock_power_law_2000_stays_exactly_at_baseline_for_a_year(rule):
    net = power_law_network(2000, seed=3)
    res = simulate(net, [], days=365, rationing=rule)
    base = res.baseline_output
    assert np.abs(res.production / base.sum() - 1).max() <= 1e-9      # was 0.479 / 0.765 of baseline on day 364
    assert res.min_level.min() >= 1 - 1e-9                              # every firm, every day (x <= capacity = x0)
    assert (res.first_below_90 == -1).all()


def test_cyclic_network_recovers_after_the_shocks_end():
    """50 firms, 200 links, four shocked firms: demand compounded to 1e16 x baseline under demand-based orders."""
    net, out = cyclic_network(50, 200, seed=4)
    res = simulate(net, Shock(cut=0.8, firms=[0, 1, 2, 3], duration=15), days=120, output=out)
    assert res.production[-1] == pytest.approx(out.sum(), rel=1e-9)
    assert res.final_demand_served[-1] == pytest.approx((out - net.s_out).sum(), rel=1e-9)
    demand_peak = max(float((st.demand / out).max()) for st in iterate_days(
        net, Shock(cut=0.8, firms=[0, 1, 2, 3], duration=15), 120, output=out))
    assert demand_peak < 1 + 15 / 6 + 1e-9      # orders follow realised production: at most (1 + n/tau) x


# ------------------------------------------------------------- finding 2: priority rationing is Inoue-Todo's
def diamond():
    """A -> {B1, B2} -> C; B1 and B2 one industry; A also sells to final demand."""
    return SupplyNetwork.from_edges([0, 0, 1, 2], [1, 2, 3, 3], [1.0, 1.0, 1.0, 1.0], [0, 1, 1, 2],
                                    [[0, 2, 0], [0, 0, 2], [0, 0, 0]])


def test_diamond_priority_treats_the_two_customers_alike():
    """A cut by half for 10 days: the old rule starved one B and made the other alternate every other day."""
    out = np.array([3.0, 1.0, 1.0, 2.5])
    res = simulate(diamond(), Shock(cut=0.5, firms=[0], duration=10), days=60, output=out, inventory_days=3,
                   trace=[1, 2])
    np.testing.assert_array_equal(res.trace[:, 0], res.trace[:, 1])     # served alike, every day
    assert res.trace.min() == pytest.approx(0.5) and res.production[-1] == pytest.approx(out.sum(), rel=1e-12)
    old = simulate(diamond(), Shock(cut=0.5, firms=[0], duration=10), days=60, output=out, inventory_days=3,
                   trace=[1, 2], rationing="least_fulfilled_first")
    turns = (old.trace[:, 0] == 1.0) != (old.trace[:, 1] == 1.0)
    assert turns.sum() >= 4                                              # the earlier rule: one full, one short


def test_priority_is_the_authors_soothing_rule_on_one_supplier():
    # orders 4 and 4 against pre-shock orders 2 and 4; final demand 2 (ratio 1); output 6.
    # Rounds: the lowest ratio is 1 (second firm, final demand); serving all three up to 1 needs 8 > 6, so
    # everyone gets 6 / 8 = 0.75 of the pre-shock order: 1.5, 3.0 and 1.5.
    d, fd = ration_priority(np.array([6.0]), np.array([4.0, 4.0]), np.array([0, 2]), np.array([2.0]),
                            np.array([2.0, 4.0]))
    np.testing.assert_allclose(d, [1.5, 3.0])
    np.testing.assert_allclose(fd, [1.5])


# --------------------------------------------------------------------- finding 3: a stock per supplier link
def test_shortfall_is_reordered_from_the_supplier_that_failed():
    """C buys from B1 and B2 (one industry); B1 stops: C reorders from B1 only, B2 sees its usual order."""
    net = SupplyNetwork.from_edges([0, 1], [2, 2], [1.0, 1.0], [0, 0, 1], [[0, 2], [0, 0]])
    for st in iterate_days(net, Shock(cut=1.0, firms=[0], duration=5), 8, output=np.array([1.0, 1.0, 2.0]),
                           inventory_days=5):
        assert st.orders[1] == pytest.approx(1.0, rel=1e-12)           # B2 -> C unchanged every day
        if 1 <= st.day <= 5:
            assert st.orders[0] > 1.0                                   # the gap is on the B1 link
    legacy = [st.orders[1] for st in iterate_days(net, Shock(cut=1.0, firms=[0], duration=5), 3,
                                                    output=np.array([1.0, 1.0, 2.0]), inventory_days=5,
                                                    stock="industry")]
    assert legacy[-1] > 1.0                                              # the option keeps the earlier rule


# ------------------------------------------------------------- finding 4: leontief="all" binds every input
def test_leontief_all_binds_inputs_rated_irrelevant_or_non_essential():
    for rating in (0, 1):
        net = SupplyNetwork.from_edges([0], [1], [1.0], [0, 1], [[0, rating], [0, 0]])
        res = simulate(net, Shock(cut=1.0, firms=[0]), days=10, inventory_days=3, leontief="all")
        assert res.first_below_50[1] == 3                                # runs dry on day 3 whatever the rating
        assert res.limiting_industry[1] == 0
        ess = simulate(net, Shock(cut=1.0, firms=[0]), days=10, inventory_days=3)
        assert ess.first_below_50[1] == -1                               # the default binds essential inputs only


# -------------------------------------------------------------------- finding 5: precision of rationing
def test_rationing_has_no_running_sum_across_suppliers():
    ptr = np.array([0, 2, 4])
    orders = np.array([1e20, 3e20, 4.0, 2.0])                            # supplier 0 asked huge amounts
    out = np.array([1e20, 0.0])                                          # supplier 1 makes nothing
    for d, _ in (ration_priority(out, orders, ptr, np.zeros(2), np.array([1.0, 1.0, 4.0, 2.0])),
                 ration_least_fulfilled_first(out, orders, ptr, np.zeros(2), np.array([0.5, 0.1, 0.2, 0.3]))):
        assert d[2] == 0.0 and d[3] == 0.0                               # was 2.95e20 shipped from nothing
        assert d[:2].sum() == pytest.approx(1e20, rel=1e-15)


# ------------------------------------------------------------------------------- finding 6: stability
def test_instability_is_detected_for_15_day_targets_only():
    """60 firms, 260 links, 4 industries: the order gain 1 + n/tau = 3.5 around the cycles exceeds one."""
    net, out = cyclic_network(60, 260)
    verdicts = {d: stability(net, output=out, inventory_days=d, tau=6) for d in (5, 9, 15)}
    assert verdicts[5].verdict == "stable" and verdicts[9].verdict == "stable"
    assert verdicts[15].verdict == "unstable" and verdicts[15].spectral_radius > 1.1
    assert verdicts[15].order_gain == pytest.approx(3.5)
    res = simulate(net, [], days=5, output=out, inventory_days=15)
    assert res.warning_codes == ("unstable",) and res.stability.verdict == "unstable"
    assert simulate(net, [], days=5, output=out, inventory_days=9).warnings == ()


@pytest.mark.parametrize("rule", ["priority", "proportional"])
def test_stable_configuration_returns_to_baseline_after_the_shock(rule):
    net, out = cyclic_network(60, 260)
    res = simulate(net, Shock(cut=0.3, industries=[0], duration=30), days=200, output=out, inventory_days=9,
                   rationing=rule)
    assert res.stability.verdict == "stable"
    assert res.production[20] < 0.99 * out.sum()
    assert res.production[-1] == pytest.approx(out.sum(), rel=1e-9)


# ------------------------------------------------------------------- finding 7: restart after a stop
def test_firms_locked_at_zero_are_reported_and_the_authors_order_option_restarts_them():
    net, out = cyclic_network(60, 260)
    shock = Shock(cut=0.8, firms=[0, 1, 2, 3], duration=15)
    res = simulate(net, shock, days=120, output=out, inventory_days=5, rationing="proportional")
    assert res.locked_firms.size >= 50                                   # the economy collapses for good
    assert set(res.locked_reason) <= {"no_input", "no_demand"} and "no_input" in set(res.locked_reason)
    assert (res.locked_industry[res.locked_reason == "no_input"] >= 0).all()
    assert "locked_firms" in res.warning_codes
    assert res.production[-1] < 0.05 * out.sum()
    keep = simulate(net, shock, days=120, output=out, inventory_days=5, rationing="proportional",
                    orders="keep_initial_target")
    assert keep.locked_firms.size == 0
    assert keep.production[-1] == pytest.approx(out.sum(), rel=1e-6)


def test_locked_chain_by_hand():
    """S -> F, F sells to consumers. S stops for 6 days, F's 3-day stock empties on day 3; F orders against
    its zero production, so it never reorders and S, with no other buyer, is never asked again."""
    net = SupplyNetwork.from_edges([0], [1], [1.0], [0, 1], [[0, 2], [0, 0]])
    res = simulate(net, Shock(cut=1.0, firms=[0], duration=6), days=30, output=np.array([1.0, 2.0]),
                   inventory_days=3)
    assert res.first_below_50.tolist() == [0, 3]
    assert res.locked_firms.tolist() == [0, 1]
    assert res.locked_reason.tolist() == ["no_demand", "no_input"]
    assert res.locked_industry.tolist() == [-1, 0]
    keep = simulate(net, Shock(cut=1.0, firms=[0], duration=6), days=30, output=np.array([1.0, 2.0]),
                    inventory_days=3, orders="keep_initial_target")
    assert keep.locked_firms.size == 0 and keep.production[-1] == pytest.approx(3.0)


# --------------------------------------------------- finding 8: several short suppliers, several customers
def test_priority_with_two_short_suppliers_hand_computed():
    ptr = np.array([0, 2, 5])
    orders = np.array([4.0, 4.0, 3.0, 1.0, 2.0])
    base = np.array([2.0, 4.0, 3.0, 2.0, 1.0])
    final = np.array([2.0, 1.0])
    d, fd = ration_priority(np.array([6.0, 5.0]), orders, ptr, final, base)
    # supplier 0: ratios 2, 1 and final demand 1: all up to 1 needs 2 + 4 + 2 = 8 > 6 -> level 0.75.
    # supplier 1: ratios 1, 0.5, 2, final demand 1.  Up to 0.5 for everyone needs 0.5 * 7 = 3.5 < 5: the
    # second link is served in full (1.0); up to 1 for the others needs 1 + 3 + 1 + 1 = 6 > 5 ->
    # level (5 - 1) / (3 + 1 + 1) = 0.8: 2.4, 1.0, 0.8 and 0.8 for final demand.
    np.testing.assert_allclose(d, [1.5, 3.0, 2.4, 1.0, 0.8], rtol=1e-15)
    np.testing.assert_allclose(fd, [1.5, 0.8], rtol=1e-15)
    d, fd = ration_priority(np.array([6.0, 3.0]), orders, ptr, final, base)
    # supplier 1 with 3: everyone up to 3 / 7 of the pre-shock order (below the smallest ratio 0.5)
    np.testing.assert_allclose(d[2:], [9 / 7, 6 / 7, 3 / 7], rtol=1e-15)
    np.testing.assert_allclose(fd[1], 3 / 7, rtol=1e-15)


def test_an_economy_settling_below_its_baseline_is_reported():
    """5-day targets, priority: every firm stays at 52% after the shock, bound by stocks refilled only at that level."""
    net, out = cyclic_network(60, 260)
    res = simulate(net, Shock(cut=0.8, firms=[0, 1, 2, 3], duration=15), days=150, output=out, inventory_days=5)
    assert res.locked_firms.size == 0 and 0.4 < res.production[-1] / out.sum() < 0.6
    warn = dict(zip(res.warning_codes, res.warnings))["not_recovered"]
    assert warn.params["firms_below"] >= 50 and warn.params["level"] == pytest.approx(res.production[-1] / out.sum())
    healthy = simulate(net, Shock(cut=0.8, firms=[0, 1, 2, 3], duration=15), days=150, output=out, inventory_days=9)
    assert "not_recovered" not in healthy.warning_codes


def test_an_order_at_its_floor_is_zero_not_minus_a_rounding_error_with_industry_stocks():
    """Issue 15 (found by the property test): a stopped customer's order from each supplier of an industry is the
    industry's floor split by baseline share, ``a_ij - (a_ij / A_j) * A_j``, which rounds to -1.4e-17 here."""
    from chainkeeper.network.simulate import iterate_days

    net = SupplyNetwork.from_edges([0, 1], [2, 2], [0.1, 0.7], [0, 0, 1], [[0, 2], [0, 0]])
    days = list(st.orders.min() for st in iterate_days(net, Shock(cut=1.0, firms=[2], duration=5), 12,
                                                          stock="industry"))
    assert min(days) == 0.0
