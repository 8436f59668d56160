"""Day-by-day propagation: chain timing, steady state, rationing, scenarios."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkeeper.network import ScenarioError, Shock, SupplyNetwork, capacity_schedule, simulate
from chainkeeper.network.generators import power_law_network
from chainkeeper.network.rationing import ration_least_fulfilled_first, ration_priority, ration_proportional

CHAIN_ESS = [[0, 2, 0], [0, 0, 2], [0, 0, 0]]


def chain(inv_b=15.0, inv_c=10.0):
    """A -> B -> C, every input essential; C sells to final demand."""
    return SupplyNetwork.from_edges([0, 1], [1, 2], [2.0, 2.0], [0, 1, 2], CHAIN_ESS,
                                    inventory_days=[inv_b, inv_c])


@pytest.mark.parametrize("inv_b, inv_c", [(15.0, 10.0), (3.0, 7.0), (20.0, 1.0)])
def test_chain_runs_dry_on_the_day_the_arithmetic_says(inv_b, inv_c):
    res = simulate(chain(inv_b, inv_c), Shock(cut=1.0, firms=[0]), days=40, trace=[0, 1, 2])
    # B uses one day of stock per day: full output on days 0..inv_b-1, nothing on day inv_b;
    # C then lives on its own stock for inv_c more days.
    b, c = int(inv_b), int(inv_b + inv_c)
    assert res.first_below_90.tolist() == [0, b, c]
    assert res.first_below_50.tolist() == [0, b, c]
    np.testing.assert_allclose(res.trace[:b, 1], 2.0)
    np.testing.assert_allclose(res.trace[b:, 1], 0.0, atol=1e-12)
    np.testing.assert_allclose(res.trace[:c, 2], 2.0)
    assert res.min_level.tolist() == [0.0, 0.0, 0.0]
    assert res.limiting_industry.tolist() == [-1, 0, 1]  # A: capacity; B: input from A; C: from B
    assert res.total_loss[2] == pytest.approx(2.0 * (40 - c))


def test_no_shock_nothing_changes_for_100_days():
    net = power_law_network(300, mean_out_degree=4, seed=7, inventory_days=True)
    rng = np.random.default_rng(0)
    output = np.maximum(net.s_out, net.s_in) * (1 + rng.random(net.n_firms))
    for rule in ("priority", "proportional"):
        res = simulate(net, [], days=100, output=output, rationing=rule)
        np.testing.assert_allclose(res.production, output.sum(), rtol=1e-12)
        np.testing.assert_allclose(res.production_by_region, res.production_by_region[:1].repeat(100, 0),
                                   rtol=1e-10)
        assert (res.first_below_90 == -1).all()
        assert np.abs(res.total_loss).max() < 1e-8 * output.max()
        assert res.min_level.min() > 1 - 1e-12


def test_rationing_hand_worked():
    out_ptr = np.array([0, 2, 3])
    orders = np.array([4.0, 4.0, 1.0])   # supplier 0 -> two firms; supplier 1 -> one firm
    output = np.array([6.0, 5.0])
    final = np.array([2.0, 4.0])
    d, fd = ration_proportional(output, orders, out_ptr, final)
    np.testing.assert_allclose(d, [2.4, 2.4, 1.0])   # 6/10 of each order; supplier 1 serves all
    np.testing.assert_allclose(fd, [1.2, 4.0])
    # the earlier chainkeeper rule, renamed (it is not the Inoue-Todo rule)
    d, fd = ration_least_fulfilled_first(output, orders, out_ptr, final, fulfilment=np.array([0.9, 0.2, 1.0]))
    np.testing.assert_allclose(d, [2.0, 4.0, 1.0])   # least fulfilled (0.2) first, final last
    np.testing.assert_allclose(fd, [0.0, 4.0])
    d, fd = ration_least_fulfilled_first(np.array([9.0, 5.0]), orders, out_ptr, final, np.ones(3))
    np.testing.assert_allclose(d, [4.0, 4.0, 1.0])
    np.testing.assert_allclose(fd, [1.0, 4.0])
    # Inoue-Todo (authors' -R 2): pre-shock orders 4, 2, 1: ratios 1, 2 and final demand 1 at supplier 0;
    # all up to ratio 1 needs 4 + 2 + 2 = 8 > 6, so each gets 6/8 of its pre-shock order
    d, fd = ration_priority(output, orders, out_ptr, final, baseline_orders=np.array([4.0, 2.0, 1.0]))
    np.testing.assert_allclose(d, [3.0, 1.5, 1.0])
    np.testing.assert_allclose(fd, [1.5, 4.0])


@settings(max_examples=30, deadline=None)
@given(out=st.floats(0, 20), o=st.lists(st.floats(0, 5), min_size=3, max_size=3),
       fdem=st.floats(0, 5), key=st.lists(st.floats(0, 1), min_size=3, max_size=3))
def test_rationing_conserves_output(out, o, fdem, key):
    ptr = np.array([0, 3])
    orders = np.array(o)
    for d, fd in (ration_proportional(np.array([out]), orders, ptr, np.array([fdem])),
                  ration_least_fulfilled_first(np.array([out]), orders, ptr, np.array([fdem]), np.array(key)),
                  ration_priority(np.array([out]), orders, ptr, np.array([fdem]), np.array(key) + 0.1)):
        assert (d >= 0).all() and (d <= orders + 1e-12).all() and 0 <= fd[0] <= fdem + 1e-12
        assert d.sum() + fd[0] == pytest.approx(min(out, orders.sum() + fdem), abs=1e-9)


def test_priority_differs_from_proportional_under_shortage():
    # supplier 0 serves two customers in different industries; half capacity for 30 days
    net = SupplyNetwork.from_edges([0, 0], [1, 2], [1.0, 1.0], [0, 1, 1], [[0, 2], [0, 0]],
                                   inventory_days=[2.0, 8.0])
    prop = simulate(net, Shock(cut=0.5, firms=[0], duration=30), days=30, rationing="proportional")
    prio = simulate(net, Shock(cut=0.5, firms=[0], duration=30), days=30, rationing="priority")
    # stock of firm 1: 2 -> 1.5 -> 1.0 -> 0.5 (gets 0.5, uses 1 per day): 50% output on day 3.  Firm 2 (8 days)
    # no longer falls below 90%: orders follow realised production, so firm 1, halved, asks for less and
    # leaves more to firm 2 (the earlier demand-based orders kept asking for the full amount).
    assert prop.first_below_90[1] == 3 and prop.first_below_90[2] == -1
    assert not np.allclose(prop.production, prio.production)


def test_region_shock_recovery_paths():
    net = power_law_network(400, mean_out_degree=4, seed=3)
    region = int(net.region[0])
    results = {}
    for rec in ("step", "linear", "exponential"):
        res = simulate(net, Shock(cut=0.9, regions=[region], duration=20, recovery=rec), days=40)
        hit = net.region == region
        assert res.first_below_90[hit].max() == 0  # all hit on day 0
        results[rec] = res.production.sum()
        base = res.baseline_output.sum()
        assert res.production[0] < base and res.production[-1] == pytest.approx(base, rel=0.05)
        r_idx = np.searchsorted(res.region_codes, region)
        assert res.production_by_region[0, r_idx] < 0.2 * res.production_by_region[-1, r_idx]
        np.testing.assert_allclose(res.production_by_region.sum(1), res.production)
        np.testing.assert_allclose(res.production_by_industry.sum(1), res.production)
    # linear and exponential recover earlier than a step at day 20
    assert results["step"] < results["linear"] and results["step"] < results["exponential"]


def test_capacity_schedule_and_shock_validation():
    net = SupplyNetwork.from_edges([0], [1], [1.0], [0, 1], [[0, 2], [0, 0]], region=[5, 6])
    cut = capacity_schedule(net, [Shock(cut=0.3, regions=[6]), Shock(cut=0.5, industries=[1], start=2)])
    assert cut(0).tolist() == [0.0, 0.3] and cut(2).tolist() == [0.0, 0.5]
    s = Shock(cut=1.0, firms=[0], duration=10, recovery="exponential")
    assert s.cut_on(0) == 1.0 and s.cut_on(10) == 0.0 and s.cut_on(9) == pytest.approx(100 ** -0.9)
    for bad in (dict(cut=0.0, firms=[0]), dict(cut=0.5), dict(cut=0.5, firms=[0], recovery="linear"),
                dict(cut=0.5, firms=[0], duration=0), dict(cut=0.5, firms=[0], recovery="sudden")):
        with pytest.raises(ScenarioError):
            Shock(**bad)
    with pytest.raises(ScenarioError):
        simulate(net, Shock(cut=0.5, firms=[9]), days=2)
    nr = SupplyNetwork.from_edges([0], [1], [1.0], [0, 1], [[0, 2], [0, 0]])
    with pytest.raises(ScenarioError):
        simulate(nr, Shock(cut=0.5, regions=[1]), days=2)


def test_value_added_and_output_option():
    net = chain()
    res = simulate(net, [], days=3, output=np.array([2.0, 3.0, 4.0]))
    # value added = x0 - inputs: 2 - 0, 3 - 2, 4 - 2
    assert res.value_added[0] == pytest.approx(2.0 + 1.0 + 2.0)
    with pytest.raises(Exception):
        simulate(net, [], days=3, output=np.array([1.0, 3.0, 4.0]))  # below sales to firms
