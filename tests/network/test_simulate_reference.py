"""The compiled engine equals the plain-loop reference (``sim_reference``) to 1e-9 on small networks.

Chains, a diamond and random cyclic networks; every rationing rule, order rule, stock layout and Leontief rule.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from network.sim_reference import reference

from chainkeeper.network import Shock, SupplyNetwork
from chainkeeper.network.simulate import ORDER_RULES, RATIONING_RULES, iterate_days

TOL = 1e-9


def chain_case():
    links = [(0, 1, 2.0, 4.0), (1, 2, 2.0, 3.0)]
    return links, [0, 1, 2], [[0, 2, 0], [0, 0, 2], [0, 0, 0]], [3.0, 3.0, 4.0], \
        [Shock(cut=0.5, firms=[0], duration=8)]


def diamond_case():
    """A -> {B1, B2} -> C; B1 and B2 in one industry, B1 stopped for 10 days, A cut by half on days 2-7."""
    links = [(0, 1, 1.0, 5.0), (0, 2, 1.0, 5.0), (1, 3, 1.0, 5.0), (2, 3, 1.0, 5.0)]
    return links, [0, 1, 1, 2], [[0, 2, 0], [0, 0, 2], [0, 0, 0]], [3.0, 1.5, 1.5, 2.5], \
        [Shock(cut=1.0, firms=[1], duration=10), Shock(cut=0.5, firms=[0], start=2, duration=6)]


def random_case(seed, n=9, k=3, density=0.3):
    """A random network with cycles, final demand everywhere, mixed essentiality and stock targets."""
    rng = np.random.default_rng(seed)
    links = []
    for s, c in itertools.permutations(range(n), 2):
        if rng.random() < density:
            links.append((s, c, float(rng.lognormal(0, 0.7)), float(rng.choice([2.0, 4.0, 6.5]))))
    industry = [int(v) for v in rng.integers(0, k, n)]
    ess = [[int(v) for v in row] for row in rng.integers(1, 3, (k, k))]
    s_out, s_in = np.zeros(n), np.zeros(n)
    for s, c, w, _ in links:
        s_out[s] += w
        s_in[c] += w
    x0 = [float(v) for v in np.maximum(s_out, s_in) * (1.1 + rng.random(n))]
    shocks = [Shock(cut=0.8, firms=[0, 1], duration=6), Shock(cut=0.4, firms=[2], start=3, duration=5)]
    return links, industry, ess, x0, shocks


CASES = {"chain": chain_case(), "diamond": diamond_case(), "random1": random_case(1), "random2": random_case(2),
         "random3": random_case(3, n=7, density=0.45)}


def compare(case, days=30, tau=6.0, initial=None, **opts):
    """Engine against reference; ``initial``: optional (supplier, customer) -> days of stock on day 0."""
    links, industry, ess, x0, shocks = case
    net = SupplyNetwork.from_edges([l[0] for l in links], [l[1] for l in links], [l[2] for l in links],
                                   industry, ess, inventory_days=[l[3] for l in links])
    def cuts(day):
        return [max([s.cut_on(day) for s in shocks if i in s.firms] + [0.0]) for i in range(len(x0))]

    ref_p, ref_fc, ref_deliv, _ = reference(links, industry, ess, x0, days, cuts, inventory_days=15.0, tau=tau,
                                            initial_stock=initial, **opts)
    if initial is not None:
        opts["initial_stock_days"] = [initial.get((int(s), int(c)), np.nan)
                                      for s, c in zip(net.supplier, net.customer)]
    scale = max(x0)
    worst = 0.0
    for st in iterate_days(net, shocks, days, output=np.array(x0), tau=tau, **opts):
        t = st.day
        worst = max(worst, np.abs(st.production - ref_p[t]).max(), np.abs(st.final_demand_served - ref_fc[t]).max())
        ref_d = np.array([ref_deliv[t][(int(s), int(c))] for s, c in zip(net.supplier, net.customer)])
        worst = max(worst, np.abs(st.deliveries - ref_d).max())
    assert worst <= TOL * scale, f"engine and reference differ by {worst / scale:.3g} of the largest output"
    return ref_p


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("rationing", list(RATIONING_RULES))
@pytest.mark.parametrize("orders", list(ORDER_RULES))
def test_engine_matches_reference(case, rationing, orders):
    ref_p = compare(CASES[case], rationing=rationing, orders=orders)
    assert min(min(day) / x for day in ref_p for x in [max(CASES[case][3])]) < 0.99  # the shock bites


@pytest.mark.parametrize("case", ["diamond", "random1", "random3"])
@pytest.mark.parametrize("stock", ["link", "industry"])
@pytest.mark.parametrize("leontief", ["essential", "all"])
@pytest.mark.parametrize("rationing", ["priority", "proportional", "least_fulfilled_first"])
def test_engine_matches_reference_stock_and_leontief(case, stock, leontief, rationing):
    compare(CASES[case], stock=stock, leontief=leontief, rationing=rationing, tau=4.0)


def test_long_run_matches_reference_on_a_cyclic_network():
    compare(random_case(7, n=10, density=0.35), days=120, rationing="priority")
