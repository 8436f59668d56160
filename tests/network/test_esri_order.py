"""ESRI: firms renumbered for locality in the lane engine (``_esri_order``) change no result."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from chainkeeper.network import SupplyNetwork, esri, numba_available
from chainkeeper.network import _esri_order
from chainkeeper.network._esri_ops import prepare
from chainkeeper.network.generators import power_law_network

needs_numba = pytest.mark.skipif(not numba_available(), reason="needs numba")


def _kernel_args(ops):
    return importlib.import_module("chainkeeper.network.esri")._kernel_args(ops)


def _regional(n, seed):
    """A power-law network with regions ``firm % 5`` in which about half of the links stay in a region."""
    net = power_law_network(n, seed=seed)
    region = np.arange(n) % 5
    src, dst = net.supplier, net.customer
    keep = (region[src] == region[dst]) | (np.random.default_rng(seed).random(src.size) < 0.3)
    return SupplyNetwork.from_edges(src[keep], dst[keep], net.weight[keep], net.industry, net.essential,
                                    region=region)


def test_locality_order_groups_firms_by_region_and_industry(monkeypatch):
    net = _regional(600, 4)
    monkeypatch.setattr(_esri_order, "MIN_FIRMS", 0)
    order = _esri_order.locality_order(net, 32)
    key = net.region[order] * 100 + net.industry[order]
    assert sorted(order.tolist()) == list(range(600)) and (np.diff(key) >= 0).all()
    ordered = _relabelled(net, order)
    assert _esri_order.locality_order(ordered, 32) is None  # already in that order
    assert _esri_order.locality_order(net, 31) is None      # fewer scenarios than a lane width
    monkeypatch.setattr(_esri_order, "MIN_FIRMS", 601)
    assert _esri_order.locality_order(net, 32) is None      # small: cache-resident anyway
    no_regions = SupplyNetwork.from_edges(net.supplier, net.customer, net.weight, net.industry, net.essential)
    assert _esri_order.locality_order(no_regions, 32) is None
    assert _esri_order.locality_order(power_law_network(600, seed=4), 32) is None  # links not regional


def _relabelled(net, order):
    new_id = np.empty(net.n_firms, dtype=np.int64)
    new_id[order] = np.arange(net.n_firms)
    return SupplyNetwork.from_edges(new_id[net.supplier], new_id[net.customer], net.weight, net.industry[order],
                                    net.essential, region=net.region[order])


@needs_numba
@pytest.mark.parametrize("seed", [1, 2])
def test_renumbered_operators_give_the_same_states_bitwise(seed):
    # one cascade run on the renumbered operators, its states mapped back with new_id,
    # equals the cascade on the given numbering bit for bit (every firm's links keep their order)
    from chainkeeper.network._esri_kernel import run_states

    net = power_law_network(900, seed=seed)
    ops = prepare(net)
    order = np.random.default_rng(seed).permutation(net.n_firms)
    ren, new_id = _esri_order.renumbered(ops, order)
    assert (order[new_id] == np.arange(net.n_firms)).all()
    for firm in np.random.default_rng(seed + 10).choice(net.n_firms, 8, replace=False):
        args = (np.array([firm]), np.zeros(1), 0.01, 10_000, 50)
        hd, hu, it = run_states(*args, *_kernel_args(ops))
        args = (np.array([new_id[firm]]), *args[1:])
        hd2, hu2, it2 = run_states(*args, *_kernel_args(ren))
        assert it2 == it
        np.testing.assert_array_equal(hd2[new_id], hd)
        np.testing.assert_array_equal(hu2[new_id], hu)
        assert not np.array_equal(hd2, hd) or (hd == 1).all()   # the states are renumbered


@needs_numba
def test_engine_with_renumbering_equals_without(monkeypatch):
    # partial shocks on several firms per scenario: the shocked firms must be mapped to the engine's
    # numbering, or the scores and step counts differ
    net = _regional(2000, 9)
    rng = np.random.default_rng(3)
    psi = np.zeros((40, net.n_firms))
    for s in range(40):
        hit = rng.choice(net.n_firms, 4, replace=False)
        psi[s, hit] = rng.uniform(0.3, 1.0, 4)
    firms = rng.choice(net.n_firms, 70, replace=False)
    calls = []
    monkeypatch.setattr(importlib.import_module("chainkeeper.network.esri"), "renumbered",
                        lambda ops, order: calls.append(order) or _esri_order.renumbered(ops, order))
    monkeypatch.setattr(_esri_order, "MIN_FIRMS", 10**9)
    plain = [esri(net, shock=psi), esri(net, firms=firms)]
    assert not calls
    monkeypatch.setattr(_esri_order, "MIN_FIRMS", 0)
    local = [esri(net, shock=psi), esri(net, firms=firms)]
    assert len(calls) == 2
    ref = [esri(net, shock=psi, engine="sparse"), esri(net, firms=firms, engine="sparse")]
    for a, b, c in zip(plain, local, ref):
        for r in (b, c):
            np.testing.assert_allclose(np.c_[r.esri, r.downstream, r.upstream],
                                       np.c_[a.esri, a.downstream, a.upstream], rtol=0, atol=1e-12)
            np.testing.assert_array_equal(r.iterations, a.iterations)
