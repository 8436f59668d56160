"""The compiled set-up and tail of simulate (``_sim_layout``, ``_sim_outcome._tail_sums``) against the numpy
construction they replace: the same arrays, bit for bit (lane simlast, issue 15)."""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pytest

from chainkeeper.network import Shock
from chainkeeper.network._sim_model import SimModel
from chainkeeper.network._sim_outcome import locked_firms
from chainkeeper.network.generators import power_law_network

sim = importlib.import_module("chainkeeper.network.simulate")


def numpy_layout(net, inventory_days: float, leontief: str) -> dict:
    """The customer-order layout as ``SimModel`` built it with numpy before the compiled build (main at fad3445)."""
    m, n = net.n_links, net.n_firms
    sup_ind = net.industry[net.supplier]
    by_cust = net.in_order
    key = net.customer[by_cust].astype(np.int64) * np.int64(max(net.n_industries, 1)) + sup_ind[by_cust]
    order = by_cust[np.argsort(key, kind="stable")]
    l_a = net.weight[order].astype(np.float64)
    cust, ind = net.customer[order], sup_ind[order]
    days = np.full(m, inventory_days)
    if net.inventory_days is not None:
        known = net.inventory_days[order]
        days = np.where(np.isnan(known), inventory_days, known)
    raised = int((days < 1.0).sum())
    days = np.maximum(days, 1.0)
    new_slot = np.zeros(m, dtype=bool)
    new_slot[0] = True
    new_slot[1:] = (cust[1:] != cust[:-1]) | (ind[1:] != ind[:-1])
    slot_ptr_links = np.append(np.flatnonzero(new_slot), m).astype(np.int64)
    slot_cust, slot_ind = cust[new_slot].astype(np.int64), ind[new_slot].astype(np.int64)
    n_slots = slot_cust.shape[0]
    slot_of_link = np.repeat(np.arange(n_slots), np.diff(slot_ptr_links))
    slot_a = np.bincount(slot_of_link, weights=l_a, minlength=n_slots)
    ta_slot = np.bincount(slot_of_link, weights=days * l_a, minlength=n_slots)
    x0 = np.maximum(net.s_out, net.s_in)
    xs = x0[slot_cust]
    types = net.essential[slot_ind, net.industry[slot_cust]]
    cpos = np.empty(m, np.int64)
    cpos[order] = np.arange(m)
    return {
        "link_of": order.astype(np.int32), "cpos": cpos, "l_sup": net.supplier[order].astype(np.int64),
        "l_a": l_a, "slot_ptr_links": slot_ptr_links, "slot_cust": slot_cust, "slot_ind": slot_ind,
        "cust_ptr": np.searchsorted(slot_cust, np.arange(n + 1)).astype(np.int64), "slot_a": slot_a,
        "slot_base": xs * (ta_slot / slot_a - 1.0), "slot_scale": xs / slot_a,
        "slot_bind": (types == 2) if leontief == "essential" else np.ones(n_slots, dtype=bool),
        "raised_links": raised, "ta_csr": (days * l_a)[cpos], "unit_ta": days * l_a,
        "unit_cust": cust.astype(np.int64), "link_unit": np.arange(m),
    }


def _net(n: int, seed: int, odd_days: bool):
    net = power_law_network(n, mean_out_degree=5, seed=seed, inventory_days=True)
    if not odd_days:
        return net
    inv = net.inventory_days.copy()
    rng = np.random.default_rng(seed)
    inv[rng.random(inv.shape[0]) < 0.1] = np.nan          # unknown: the default
    inv[rng.random(inv.shape[0]) < 0.05] = 0.5            # below one day: raised
    return dataclasses.replace(net, inventory_days=inv)


@pytest.mark.parametrize("leontief", ["essential", "all"])
@pytest.mark.parametrize("odd_days", [False, True])
def test_the_compiled_layout_is_the_numpy_one_bit_for_bit(leontief, odd_days):
    net = _net(20_000, 3, odd_days)
    assert np.diff(net.in_ptr).max() > 48        # a customer sorted by the merge sort, not by insertion
    mdl = SimModel(net, None, 15.0, leontief, "link")
    for name, want in numpy_layout(net, 15.0, leontief).items():
        got = getattr(mdl, name)
        assert np.asarray(got).dtype == np.asarray(want).dtype, name
        assert np.array_equal(got, want), name


def test_the_initial_stock_per_link_is_the_one_gathered_from_customer_order():
    net = _net(5_000, 4, True)
    rng = np.random.default_rng(0)
    init = np.where(rng.random(net.n_links) < 0.5, np.nan, rng.random(net.n_links) * 20)
    link, ind = SimModel(net, None, 15.0, "essential", "link", init), SimModel(net, None, 15.0, "essential",
                                                                                 "industry", init)
    assert np.array_equal(link.initial_stock_csr(), link.initial_stock_dev()[link.cpos])
    assert np.count_nonzero(link.initial_stock_csr()) > net.n_links // 3
    assert ind.initial_stock_dev().shape == ind.slot_a.shape


@pytest.mark.parametrize("orders", [0, 1])
def test_locked_firms_in_csr_order_are_those_of_the_customer_order(orders):
    net = power_law_network(3_000, mean_out_degree=3, seed=5, inventory_days=True)
    shock = Shock(cut=1.0, regions=[int(net.region[0]), int(net.region[1])], duration=40)
    for st in sim.iterate_days(net, shock, 30, orders=["realised", "keep_initial_target"][orders]):
        pass
    mdl = st._mdl
    got = locked_firms(net, mdl, orders, st.p, st.s, st.od, st.o, True)
    want = locked_firms(net, mdl, orders, st.p, st.s_units, st.od[mdl.link_of], st.o[mdl.link_of])
    if orders == 0:
        assert got[0].size > 0                    # the case is reached: firms locked for good
    for a, b in zip(got, want):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("workers", [2, 3])
def test_the_layout_built_over_customer_ranges_on_threads_is_the_numpy_one(monkeypatch, workers):
    """The set-up's compiled passes over guided customer ranges on several threads (lane simdays): every array
    bitwise the numpy build's, whatever the ranges."""
    from chainkeeper.network import _sim_parallel as par

    monkeypatch.setattr(par, "MIN_PARALLEL_LINKS", 0)
    monkeypatch.setattr(par, "default_workers", lambda: workers)
    net = _net(20_000, 5, True)
    mdl = SimModel(net, None, 15.0, "essential", "link")
    assert mdl._workers == workers
    for name, want in numpy_layout(net, 15.0, "essential").items():
        got = getattr(mdl, name)
        assert np.asarray(got).dtype == np.asarray(want).dtype, name
        assert np.array_equal(got, want), name
