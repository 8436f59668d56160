"""Properties of every simulated day, on random small networks under every rule (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkeeper.network import Shock, SupplyNetwork
from chainkeeper.network.simulate import ORDER_RULES, RATIONING_RULES, iterate_days

TOL = 1e-9


@st.composite
def networks(draw):
    n = draw(st.integers(2, 7))
    k = draw(st.integers(1, 3))
    adj = draw(st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=n, max_size=n))
    pairs = [(i, j) for i in range(n) for j in range(n) if adj[i][j] and i != j] or [(0, 1)]
    w = draw(st.lists(st.floats(0.1, 10.0), min_size=len(pairs), max_size=len(pairs)))
    days = draw(st.lists(st.sampled_from([1.0, 2.0, 3.5, 8.0]), min_size=len(pairs), max_size=len(pairs)))
    industry = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    ess = draw(st.lists(st.lists(st.integers(0, 2), min_size=k, max_size=k), min_size=k, max_size=k))
    net = SupplyNetwork.from_edges([p[0] for p in pairs], [p[1] for p in pairs], w, industry, ess,
                                   inventory_days=days)
    extra = np.array(draw(st.lists(st.floats(0.0, 2.0), min_size=n, max_size=n)))
    return net, np.maximum(net.s_out, net.s_in) * (1.0 + extra)


options = st.fixed_dictionaries({
    "rationing": st.sampled_from(list(RATIONING_RULES)), "orders": st.sampled_from(list(ORDER_RULES)),
    "stock": st.sampled_from(["link", "industry"]), "leontief": st.sampled_from(["essential", "all"]),
    "tau": st.sampled_from([1.0, 3.0, 6.0]),
})


@settings(max_examples=150, deadline=None)
@given(case=networks(), opts=options, cut=st.floats(0.05, 1.0), firm=st.integers(0, 6),
       duration=st.integers(1, 12))
def test_every_day_respects_capacity_demand_and_conservation(case, opts, cut, firm, duration):
    net, out = case
    shock = Shock(cut=cut, firms=[firm % net.n_firms], duration=duration)
    final = out - net.s_out
    for day in iterate_days(net, shock, 25, output=out, **opts):
        x, scale = day.production, out.max()
        assert (x >= -TOL * scale).all() and (x <= day.capacity + TOL * scale).all()
        assert (x <= day.demand + TOL * scale).all()
        shipped = np.bincount(net.supplier, weights=day.deliveries, minlength=net.n_firms)
        np.testing.assert_allclose(shipped + day.final_demand_served, x, rtol=1e-9, atol=TOL * scale)
        assert (day.deliveries >= -TOL * scale).all() and (day.deliveries <= day.orders + TOL * scale).all()
        assert (day.final_demand_served <= final + TOL * scale).all()
        assert (day.stock >= 0).all()
        assert (day.orders >= 0).all()


@settings(max_examples=60, deadline=None)
@given(case=networks(), opts=options)
def test_without_a_shock_every_firm_produces_exactly_its_baseline(case, opts):
    net, out = case
    for day in iterate_days(net, [], 60, output=out, **opts):
        assert (day.production == np.maximum(out, net.s_out)).all()
        assert (day.deliveries == net.weight).all()
