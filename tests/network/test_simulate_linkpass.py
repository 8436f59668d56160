"""The day in supplier order (``_sim_linkpass``, ``stock="link"``): bitwise the customer-order kernels.

``simulate.SUPPLIER_ORDER = False`` runs the customer-order kernels (``_sim_kernels``: the engine before issue 15's
lane ``simfold``, still used by ``stock="industry"``) on the same network; every output of ``simulate`` and every
quantity a ``DayState`` shows must be the same to the last bit, under every rationing and order rule, on one
thread and on several.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from chainkeeper.network import Shock, simulate
from chainkeeper.network import _sim_parallel as par
from chainkeeper.network.generators import power_law_network
from chainkeeper.network.simulate import RATIONING_RULES, iterate_days

sim_module = importlib.import_module("chainkeeper.network.simulate")
ORDER_RULES = ["realised", "keep_initial_target", "ignore_negative_gap", "demand"]
SHOCKS = [Shock(cut=0.9, regions=[0], duration=12, recovery="linear"),
          Shock(cut=1.0, firms=[3, 5, 8], start=4, duration=6)]


@pytest.fixture(scope="module")
def net():
    return power_law_network(3000, mean_out_degree=5.0, seed=4, inventory_days=True)


def _both(monkeypatch, run):
    monkeypatch.setattr(sim_module, "SUPPLIER_ORDER", False)
    before = run()
    monkeypatch.setattr(sim_module, "SUPPLIER_ORDER", True)
    return before, run()


def _fields(res):
    return {f: getattr(res, f) for f in res.__dataclass_fields__ if isinstance(getattr(res, f), np.ndarray)}


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("rationing", list(RATIONING_RULES))
@pytest.mark.parametrize("orders", ORDER_RULES)
def test_every_output_is_bitwise_the_customer_order_engine(monkeypatch, net, workers, rationing, orders):
    monkeypatch.setattr(par, "MIN_PARALLEL_LINKS", 0)
    monkeypatch.setattr(par, "default_workers", lambda: workers)
    leontief = "all" if orders in ("demand", "ignore_negative_gap") else "essential"
    before, after = _both(monkeypatch, lambda: simulate(
        net, SHOCKS, days=30, rationing=rationing, orders=orders, leontief=leontief, check_stability=False,
        trace=range(0, net.n_firms, 41)))
    assert before.production.min() < 0.99 * before.baseline_output.sum()      # the shock bites
    for name, value in _fields(before).items():
        other = getattr(after, name)
        assert value.dtype == other.dtype and np.array_equal(value, other, equal_nan=value.dtype.kind == "f"), name
    assert before.warnings == after.warnings


@pytest.mark.parametrize("rationing", ["priority", "priority_final_demand_last", "proportional"])
def test_every_day_state_is_bitwise_the_customer_order_engine(monkeypatch, net, rationing):
    """Deliveries per link are not stored under the priority rules: what ``DayState`` shows is computed back."""
    start = np.where(np.arange(net.n_links) % 3 == 0, 0.5, np.nan)     # a reported state: some links short
    keys = ("production", "demand", "input_limit", "final_demand_served", "orders", "deliveries", "stock")

    def run():
        days = []
        for st in iterate_days(net, SHOCKS, days=20, rationing=rationing, initial_stock_days=start):
            days.append({k: getattr(st, k).copy() for k in keys} | {"tomorrow": st.stock_days_tomorrow()})
        return days

    before, after = _both(monkeypatch, run)
    for day, (b, a) in enumerate(zip(before, after)):
        for k in b:
            assert np.array_equal(b[k], a[k]), (day, k)
