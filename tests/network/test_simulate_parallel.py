"""The daily kernels on several threads (``_sim_parallel``): the same numbers as one thread, and the reference.

Small networks normally run on one thread (``MIN_PARALLEL_LINKS``); these tests lower the threshold and force
several workers, so every firm range, the thread pool and the demand sum in CSR order are exercised.
"""

from __future__ import annotations

import numpy as np
import pytest
from network.test_simulate_reference import CASES, compare

from chainkeeper.network import Shock, simulate
from chainkeeper.network import _sim_parallel as par
from chainkeeper.network.generators import power_law_network
from chainkeeper.network.simulate import RATIONING_RULES


@pytest.fixture
def threads(monkeypatch):
    """Set the worker count the engine uses, on networks of any size."""
    monkeypatch.setattr(par, "MIN_PARALLEL_LINKS", 0)

    def use(k: int) -> None:
        monkeypatch.setattr(par, "default_workers", lambda: k)

    return use


def _run(net, rationing, stock="link"):
    shock = [Shock(cut=0.9, regions=[int(net.region[0])], duration=12, recovery="linear"),
             Shock(cut=1.0, firms=[3, 5, 8], start=4, duration=6)]
    return simulate(net, shock, days=25, rationing=rationing, stock=stock, check_stability=False,
                    trace=range(0, net.n_firms, 97))


@pytest.mark.parametrize("rationing", list(RATIONING_RULES))
@pytest.mark.parametrize("stock", ["link", "industry"])
def test_threads_give_bitwise_the_same_result(threads, rationing, stock):
    net = power_law_network(3000, mean_out_degree=5.0, seed=4, inventory_days=True)
    threads(1)
    one = _run(net, rationing, stock)
    threads(3)                       # 12 ranges on 3 threads
    many = _run(net, rationing, stock)
    assert one.production.min() < 0.95 * one.baseline_output.sum()   # the shock bites
    for field in ("production", "trace", "final_demand_served", "min_level", "total_loss", "limiting_industry"):
        assert np.array_equal(getattr(one, field), getattr(many, field)), field


@pytest.mark.parametrize("case", ["diamond", "random1", "random2", "random3"])
@pytest.mark.parametrize("rationing", list(RATIONING_RULES))
def test_threaded_engine_matches_the_plain_reference(threads, case, rationing):
    threads(2)
    compare(CASES[case], rationing=rationing)


def test_split_balances_links_and_covers_every_firm():
    ptr = np.concatenate(([0], np.cumsum([100, 0, 0, 1, 1, 1, 1, 50, 2, 2])))
    bounds = par.split(ptr, 4)
    assert bounds[0] == 0 and bounds[-1] == ptr.shape[0] - 1
    assert (np.diff(bounds) > 0).all()
    assert par.split(np.zeros(1, dtype=np.int64), 4).tolist() == [0]     # no firms: one empty range
    assert par.split(ptr, 1).tolist() == [0, 10]


def test_customer_order_of_the_links_is_the_full_lexicographic_sort():
    """The model's link layout (by customer, input industry, supplier) from the cheaper sort on ``in_order``."""
    from chainkeeper.network._sim_model import SimModel

    for seed in (3, 8):
        net = power_law_network(4000, mean_out_degree=6.0, seed=seed, inventory_days=True)
        expected = np.lexsort((net.supplier, net.industry[net.supplier], net.customer))
        assert np.array_equal(SimModel(net, None, 15.0, "essential", "link").link_of, expected)


def test_guided_ranges_shrink_and_cover_every_firm():
    """The day's ranges (lane simdays): large first, small last, every firm in exactly one range."""
    ptr = np.concatenate(([0], np.cumsum(np.random.default_rng(2).integers(0, 40, 5000))))
    for workers in (2, 3, 4):
        bounds = par.guided(ptr, workers)
        assert bounds[0] == 0 and bounds[-1] == ptr.shape[0] - 1 and (np.diff(bounds) > 0).all()
        work = np.diff((ptr + np.arange(ptr.shape[0]))[bounds])
        assert work[0] > 4 * work[-1]                       # the last ranges are much smaller than the first
        assert bounds.shape[0] - 1 <= 6 * workers            # and there are few of them
