"""Starting the engine from a reported state: initial stocks in days of use (``initial_stock_days``).

The compiled engine equals the plain reference (``sim_reference``, extended the same way from the authors' model)
to 1e-9 on chains, the diamond and random cyclic networks; a hand-worked chain gives the day an OEM stops.
"""

from __future__ import annotations

import numpy as np
import pytest
from network.test_simulate_reference import CASES, compare

from chainkeeper.network import Shock, SupplyNetwork, limiting_chain, simulate
from chainkeeper.network.errors import LengthMismatchError, ScenarioError
from chainkeeper.network.initial_state import stock_days_per_link


def _initial(case, seed):
    """Reported stocks for about two thirds of the links: 0 to 9 days, some below one day, the rest NaN."""
    rng = np.random.default_rng(seed)
    out = {}
    for s, c, _, _ in case[0]:
        r = rng.random()
        if r < 0.66:
            out[(s, c)] = float(rng.choice([0.0, 0.4, 1.0, 2.5, 5.0, 9.0]))
    return out


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("rationing", ["priority", "proportional", "final_demand_last"])
@pytest.mark.parametrize("orders", ["realised", "keep_initial_target"])
def test_engine_matches_reference_from_a_reported_state(case, rationing, orders):
    compare(CASES[case], initial=_initial(CASES[case], 11), rationing=rationing, orders=orders)


@pytest.mark.parametrize("case", ["diamond", "random1", "random3"])
@pytest.mark.parametrize("stock", ["link", "industry"])
@pytest.mark.parametrize("leontief", ["essential", "all"])
def test_reported_state_matches_reference_stock_and_leontief(case, stock, leontief):
    compare(CASES[case], initial=_initial(CASES[case], 5), stock=stock, leontief=leontief, tau=4.0)


def test_all_nan_initial_stock_is_the_steady_state_start():
    links, industry, ess, x0, shocks = CASES["random2"]
    net = SupplyNetwork.from_edges([l[0] for l in links], [l[1] for l in links], [l[2] for l in links], industry,
                                   ess, inventory_days=[l[3] for l in links])
    plain = simulate(net, shocks, 25, output=np.array(x0), trace=range(len(x0)))
    nan = simulate(net, shocks, 25, output=np.array(x0), trace=range(len(x0)),
                   initial_stock_days=np.full(net.n_links, np.nan))
    assert np.array_equal(plain.trace, nan.trace)


def _oem_chain(stock_days: float):
    """Supplier 0 (industry 0) -> OEM 1 (industry 1); the part is essential; the OEM sells 4 a day, buys 2."""
    net = SupplyNetwork.from_edges([0], [1], [2.0], [0, 1], [[0, 2], [0, 0]])
    return simulate(net, Shock(cut=1.0, firms=[0]), 12, output=np.array([2.0, 4.0]), trace=[1],
                    initial_stock_days={(1, 0): stock_days})


def test_hand_worked_five_days_of_stock_and_a_stopped_sole_supplier():
    """The arithmetic (A = 2 a day of the part, x0 = 4; limit = x0 * S / A, Inoue & Todo / ``proNet.cpp``).

    Day 0: S = 5 A = 10 (the reported stock; day -1's delivery and use were the baseline).  The supplier is
    stopped from day 0, so it delivers nothing from day 1 on.  The OEM makes x0 = 4 while S >= A:
      day 0: S = 10 -> limit 20 -> P = 4 (uses 2)      day 3: S = 4 -> P = 4
      day 1: S = 10 + 0 - 2 = 8 -> P = 4               day 4: S = 2 = A -> limit 4 -> P = 4
      day 2: S = 6 -> P = 4                            day 5: S = 0 -> limit 0 -> P = 0
    So the OEM stops on day 5 (counted from 0), the sixth day after the report: five days of stock are five full
    days of production.
    """
    res = _oem_chain(5.0)
    assert res.trace[:5, 0].tolist() == [4.0] * 5
    assert res.trace[5, 0] == 0.0
    assert res.first_below_90[1] == 5 and res.first_below_50[1] == 5
    assert res.limiting_at_90[1] == 0          # the part's industry bound it


def test_half_a_day_of_stock_runs_the_oem_at_half_then_stops():
    """S = 0.5 A on day 0 -> P = x0 * 0.5 = 2 (below 90%, not below 50%); day 1: S = 1 - 1 = 0 -> P = 0."""
    res = _oem_chain(0.5)
    assert res.trace[:2, 0].tolist() == [2.0, 0.0]
    assert res.first_below_90[1] == 0 and res.first_below_50[1] == 1


def test_initial_stock_by_industry_and_supplier():
    net = SupplyNetwork.from_edges([0, 1, 0], [2, 2, 1], [1.0, 1.0, 1.0], [0, 0, 1], np.full((2, 2), 2))
    days = stock_days_per_link(net, by_industry={(2, 0): 3.0}, by_supplier={(2, 1): 7.0})
    # CSR order: 0 -> 1 (not given), 0 -> 2 (industry 0 of firm 2: 3 days), 1 -> 2 (the supplier's own 7 days)
    assert np.isnan(days[0]) and days[1:].tolist() == [3.0, 7.0]
    with pytest.raises(ScenarioError, match="not in the network"):
        stock_days_per_link(net, by_supplier={(0, 2): 1.0})
    with pytest.raises(ScenarioError, match="input industry 5"):
        stock_days_per_link(net, by_industry={(2, 5): 1.0})
    with pytest.raises(LengthMismatchError):
        simulate(net, [], 2, initial_stock_days=[1.0])
    with pytest.raises(ScenarioError, match=">= 0"):
        simulate(net, [], 2, initial_stock_days=[1.0, -1.0, np.nan])


def test_limiting_chain_walks_back_to_the_stopped_firm():
    """0 -> 1 -> 2 -> 3, each input essential; firm 0 stops: firm 3 falls through 2, then 1, then 0."""
    ess = np.zeros((4, 4), dtype=int)
    ess[0, 1] = ess[1, 2] = ess[2, 3] = 2
    net = SupplyNetwork.from_edges([0, 1, 2], [1, 2, 3], [1.0, 1.0, 1.0], [0, 1, 2, 3], ess)
    res = simulate(net, Shock(cut=1.0, firms=[0]), 20, inventory_days=2)
    assert limiting_chain(net, res, 3) == [2, 1, 0]
    assert limiting_chain(net, res, 0) == []            # held by its own capacity


def test_limiting_chain_stops_at_a_low_stock_with_a_healthy_supplier():
    """Firm 1 reports half a day of its part; the supplier is fine: the stock, not a supplier, is the cause."""
    net = SupplyNetwork.from_edges([0], [1], [2.0], [0, 1], [[0, 2], [0, 0]])
    res = simulate(net, [], 5, output=np.array([2.0, 4.0]), initial_stock_days={(1, 0): 0.5})
    assert res.first_below_90[1] == 0 and res.limiting_at_90[1] == 0
    assert limiting_chain(net, res, 1) == []


def test_stock_days_tomorrow_is_the_next_days_stock_of_the_reference():
    """The evening report (``stock_days_tomorrow``) equals the reference's stock of the next day, per link."""
    from network.sim_reference import reference
    from chainkeeper.network.simulate import iterate_days

    links, industry, ess, x0, shocks = CASES["random1"]
    net = SupplyNetwork.from_edges([l[0] for l in links], [l[1] for l in links], [l[2] for l in links], industry,
                                   ess, inventory_days=[l[3] for l in links])

    def cuts(day):
        return [max([s.cut_on(day) for s in shocks if i in s.firms] + [0.0]) for i in range(len(x0))]

    _, _, _, ref_stock = reference(links, industry, ess, x0, 12, cuts, inventory_days=15.0)
    flow = {(s, c): w for s, c, w, _ in links}
    for st in iterate_days(net, shocks, 11, output=np.array(x0)):
        want = [ref_stock[st.day + 1][(int(s), int(c))] / flow[(int(s), int(c))]
                for s, c in zip(net.supplier, net.customer)]
        assert np.allclose(st.stock_days_tomorrow(), want, rtol=0, atol=1e-9)


def test_evening_stock_of_the_hand_worked_chain():
    """Day 0 of the 5-day chain: 10 in stock, nothing delivered, 2 used -> 8 = 4 days tomorrow."""
    from chainkeeper.network.simulate import iterate_days

    net = SupplyNetwork.from_edges([0], [1], [2.0], [0, 1], [[0, 2], [0, 0]])
    days = [st.stock_days_tomorrow()[0] for st in iterate_days(
        net, Shock(cut=1.0, firms=[0]), 6, output=np.array([2.0, 4.0]), initial_stock_days={(1, 0): 5.0})]
    assert days == [4.0, 3.0, 2.0, 1.0, 0.0, 0.0]
