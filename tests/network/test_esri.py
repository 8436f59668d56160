"""ESRI / GL cascade: reference fixture, hand-worked cases, limits, oracle, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkeeper.network import (
    ShockError,
    SupplyNetwork,
    UnknownFirmError,
    esri,
    numba_available,
)

from .conftest import dense_cascade, dense_esri, random_network

ENGINES = ["sparse"] + (["frontier"] if numba_available() else [])


@pytest.mark.parametrize("engine", ENGINES)
def test_reproduces_glcascade_fixture(glcascade, engine):
    net, ref = glcascade
    r = esri(net, engine=engine)
    got = np.c_[r.esri, r.downstream, r.upstream]
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-12)


def test_engines_agree_on_states(glcascade):
    net, _ = glcascade
    for firm in (0, 17, 250):
        a = esri(net, firms=[firm], engine="sparse")
        b = esri(net, firms=[firm])
        np.testing.assert_allclose(a.h_d, b.h_d, atol=1e-12)
        np.testing.assert_allclose(a.h_u, b.h_u, atol=1e-12)
        assert a.iterations[0] == b.iterations[0]


@pytest.mark.parametrize("engine", ENGINES)
def test_hand_worked_linear_and_upstream(engine):
    # 0 and 1 sell 3 and 1 to firm 2 (non-essential); firm 0 fails.
    net = SupplyNetwork.from_edges([0, 1], [2, 2], [3.0, 1.0], [0, 0, 1], [[0, 1], [0, 0]])
    r = esri(net, firms=[0], weights=[1.0, 1.0, 1.0], engine=engine)
    np.testing.assert_allclose(r.h_d, [0.0, 1.0, 0.25])
    np.testing.assert_allclose(r.h_u, [0.0, 1.0, 1.0])
    assert r.esri[0] == pytest.approx((1 + 0 + 0.75) / 3)
    # firm 2 fails: its suppliers lose all their sales (upstream)
    r = esri(net, firms=[2], engine=engine)
    np.testing.assert_allclose(r.h_u, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(r.h_d, [1.0, 1.0, 0.0])
    assert r.upstream[0] == pytest.approx(1.0)
    assert r.downstream[0] == pytest.approx(0.0)  # firm 2 has no out-strength


@pytest.mark.parametrize("engine", ENGINES)
def test_hand_worked_essential_bottleneck(engine):
    # firm 3 buys industry 0 from firms 0 (w=1) and 1 (w=3): essential; industry 1 from 2: non-essential
    net = SupplyNetwork.from_edges([0, 1, 2], [3, 3, 3], [1.0, 3.0, 4.0], [0, 0, 1, 2],
                                   [[0, 0, 2], [0, 0, 1], [0, 0, 0]])
    r = esri(net, firms=[1], engine=engine)
    # pi(3, ind 0) = 1 - 3/4 = 0.25 ; non-essential untouched
    assert r.h_d[3] == pytest.approx(0.25)
    r = esri(net, firms=[2], engine=engine)
    # non-essential: 1 - 4/8 = 0.5
    assert r.h_d[3] == pytest.approx(0.5)
    r = esri(net, shock=np.array([0.0, 0.5, 0.5, 0.0]), engine=engine)
    # min(1 - 3/4 * 0.5, 1 - 4/8 * 0.5) = 0.625
    assert r.h_d[3] == pytest.approx(0.625)


@pytest.mark.parametrize("engine", ENGINES)
def test_irrelevant_inputs_do_not_propagate_downstream(engine):
    net = SupplyNetwork.from_edges([0], [1], [5.0], [0, 1], [[0, 0], [0, 0]])
    r = esri(net, firms=[0], engine=engine)
    assert r.h_d.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("engine", ENGINES)
def test_pure_leontief_limit_kills_all_descendants(engine):
    # every firm its own industry, all inputs essential: a failure stops everything downstream
    rng = np.random.default_rng(4)
    n = 25
    src = rng.integers(0, n, 60)
    dst = rng.integers(0, n, 60)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    net = SupplyNetwork.from_edges(src, dst, rng.random(keep.sum()) + 0.1, np.arange(n),
                                   np.full((n, n), 2))
    r = esri(net, firms=[int(src[0])], eps=0.0, engine=engine)
    reach = {int(src[0])}
    frontier = [int(src[0])]
    while frontier:
        nxt = [int(d) for s, d in zip(src, dst) if s in frontier and int(d) not in reach]
        reach.update(nxt)
        frontier = nxt
    expected = np.array([0.0 if i in reach else 1.0 for i in range(n)])
    np.testing.assert_array_equal(r.h_d, expected)


@pytest.mark.parametrize("engine", ENGINES)
def test_pure_linear_limit_matches_linear_fixed_point(engine):
    # a chain 0 -> 1 -> 2 with side supplier 3 -> 1 and 4 -> 2, all non-essential
    net = SupplyNetwork.from_edges([0, 3, 1, 4], [1, 1, 2, 2], [1.0, 1.0, 1.0, 3.0], [0] * 5, [[1]])
    r = esri(net, firms=[0], eps=0.0, engine=engine)
    # h1 = 1 - 1/2 ; h2 = 1 - 1/4 * (1 - h1) = 0.875
    np.testing.assert_allclose(r.h_d, [0.0, 0.5, 0.875, 1.0, 1.0], atol=1e-15)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", range(6))
def test_matches_dense_reference_on_random_networks(seed, engine):
    net, W, p, ess = random_network(seed)
    r = esri(net, engine=engine)
    for f in range(net.n_firms):
        psi = np.zeros(net.n_firms)
        psi[f] = 1
        np.testing.assert_allclose([r.esri[f], r.downstream[f], r.upstream[f]],
                                   dense_esri(W, p, ess, psi), atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), a=st.floats(0, 1), b=st.floats(0, 1))
def test_partial_shocks_match_dense_and_stay_in_bounds(seed, a, b):
    net, W, p, ess = random_network(seed, n=15)
    rng = np.random.default_rng(seed)
    psi = np.where(rng.random(15) < 0.3, a, 0.0)
    psi[0] = b
    r = esri(net, shock=psi)
    hd, hu, _ = dense_cascade(W, p, ess, psi)
    np.testing.assert_allclose(r.h_d, hd, atol=1e-9)
    np.testing.assert_allclose(r.h_u, hu, atol=1e-9)
    assert (r.h_d >= 0).all() and (r.h_d <= 1 - psi + 1e-15).all()
    assert (r.h_u >= 0).all() and (r.h_u <= 1 - psi + 1e-15).all()
    assert 0 <= r.esri[0] <= 1


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), small=st.floats(0, 1), extra=st.floats(0, 1))
def test_larger_shock_never_loses_less(seed, small, extra):
    net, *_ = random_network(seed, n=15)
    rng = np.random.default_rng(seed)
    hit = rng.random(15) < 0.4
    lo = np.where(hit, small, 0.0)
    hi = np.minimum(lo + np.where(hit, extra, 0.0), 1.0)
    r = esri(net, shock=np.vstack([lo, hi]), eps=1e-12)
    assert r.esri[1] >= r.esri[0] - 1e-9
    assert r.downstream[1] >= r.downstream[0] - 1e-9
    assert r.upstream[1] >= r.upstream[0] - 1e-9


def test_shock_matrix_equals_firm_failures(glcascade):
    net, ref = glcascade
    firms = np.array([3, 99, 480])
    psi = np.zeros((3, net.n_firms))
    psi[np.arange(3), firms] = 1.0
    a = esri(net, shock=psi)
    np.testing.assert_allclose(a.esri, ref[firms, 0], atol=1e-12)
    assert a.firms is None and a.h_d is None


def test_replaceability_hand_worked():
    # firms 0,1 form a market (same industry, equal size); 0 fails; customer 2 buys only from 0.
    net = SupplyNetwork.from_edges([0, 1, 2], [2, 3, 4], [1.0, 1.0, 1.0], [0, 0, 1, 1, 1],
                                   [[0, 2], [0, 0]])
    plain = esri(net, firms=[0], weights=np.ones(5))
    assert plain.h_d[2] == 0.0
    r = esri(net, firms=[0], market=np.array([0, 0, -1, -1, -1]), weights=np.ones(5), eps=0.0)
    # sigma_0 = min(1, s_out(0) / (h0 * 1 + h1 * 1)) = 1 / 1 = 1 -> no relief with one equal rival
    assert r.h_d[2] == pytest.approx(0.0)
    net3 = SupplyNetwork.from_edges([0, 1, 5, 2], [2, 3, 3, 4], [1.0, 1.0, 1.0, 1.0],
                                    [0, 0, 1, 1, 1, 0], [[0, 2], [0, 0]])
    r = esri(net3, firms=[0], market=np.array([0, 0, -1, -1, -1, 0]), eps=0.0)
    # two intact rivals: sigma_0 = 1 / 2 -> customer keeps half
    assert r.h_d[2] == pytest.approx(0.5)


def test_revenue_and_weights_options():
    net = SupplyNetwork.from_edges([0], [1], [2.0], [0, 0], [[1]])
    r = esri(net, firms=[1], revenue=[4.0, 1.0])
    assert r.h_u[0] == pytest.approx(0.5)  # loses 2 of 4 in revenue
    r = esri(net, firms=[1], weights=[1.0, 3.0])
    assert r.esri[0] == pytest.approx((1 * 1.0 + 3 * 1.0) / 4)


def test_bad_inputs_raise_clear_errors(glcascade):
    net, _ = glcascade
    with pytest.raises(UnknownFirmError):
        esri(net, firms=[net.n_firms])
    with pytest.raises(ShockError):
        esri(net, shock=np.full(net.n_firms, 1.5))
    with pytest.raises(ShockError):
        esri(net, shock=np.zeros(3))
    with pytest.raises(ShockError):
        esri(net, firms=[1], shock=np.zeros(net.n_firms))
    with pytest.raises(ValueError):
        esri(net, firms=[1], engine="gpu")


def test_progress_and_top(glcascade):
    net, ref = glcascade
    seen = []
    r = esri(net, block=200, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(200, 500), (400, 500), (500, 500)]
    assert r.top(3).tolist() == np.argsort(-ref[:, 0], kind="stable")[:3].tolist()


def test_auto_engine_without_numba_falls_back_to_sparse(glcascade, monkeypatch):
    import importlib

    mod = importlib.import_module("chainkeeper.network.esri")
    monkeypatch.setattr(mod, "numba_available", lambda: False)
    assert mod._pick_engine("auto", None, glcascade[0]) == "sparse"
    net, ref = glcascade
    np.testing.assert_allclose(esri(net, firms=[0, 1]).esri, ref[:2, 0], atol=1e-12)
    with pytest.raises(ValueError):
        esri(net, firms=[0], market=np.zeros(net.n_firms, dtype=int), engine="frontier")


# --------------------------------------------------------------- batched lanes
def _esri_module():
    import importlib

    return importlib.import_module("chainkeeper.network.esri")


@pytest.mark.skipif(not numba_available(), reason="needs numba")
@pytest.mark.parametrize("handover", [1e-9, 1 / 32, 2.0])
def test_lane_engine_matches_full_vector_engine(monkeypatch, handover):
    # handover 1e-9: every scenario moves to the lanes after its first step;
    # 2.0: none does (pure frontier); 1/32: the default mix.
    from chainkeeper.network.generators import power_law_network

    net = power_law_network(1500, seed=7)
    firms = np.random.default_rng(1).choice(1500, 60, replace=False)
    monkeypatch.setattr(_esri_module(), "HANDOVER_FRACTION", handover)
    monkeypatch.setattr(_esri_module(), "GRAB", 3)
    fast = esri(net, firms=firms)
    ref = esri(net, firms=firms, engine="sparse")
    np.testing.assert_allclose(np.c_[fast.esri, fast.downstream, fast.upstream],
                               np.c_[ref.esri, ref.downstream, ref.upstream], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(fast.iterations, ref.iterations)


@pytest.mark.skipif(not numba_available(), reason="needs numba")
def test_lane_engine_partial_shocks_sharing_firms(monkeypatch):
    # 20 scenarios (more than the lanes, so lanes are refilled) whose partial shocks
    # overlap on the same firms: per-lane capacities must not leak between lanes.
    from chainkeeper.network.generators import power_law_network

    net = power_law_network(800, seed=3)
    rng = np.random.default_rng(2)
    psi = np.zeros((20, 800))
    for s in range(20):
        hit = rng.choice(40, 5, replace=False)
        psi[s, hit] = rng.uniform(0.2, 1.0, 5)
    monkeypatch.setattr(_esri_module(), "HANDOVER_FRACTION", 1e-9)
    fast = esri(net, shock=psi)
    ref = esri(net, shock=psi, engine="sparse")
    np.testing.assert_allclose(fast.esri, ref.esri, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.upstream, ref.upstream, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(fast.iterations, ref.iterations)
    # each scenario alone gives the same score as in the batch
    for s in (0, 7, 19):
        one = esri(net, shock=psi[s])
        assert one.esri[0] == pytest.approx(fast.esri[s], abs=1e-12)


@pytest.mark.skipif(not numba_available(), reason="needs numba")
def test_lane_engine_respects_max_iter(glcascade, monkeypatch):
    net, _ = glcascade
    monkeypatch.setattr(_esri_module(), "HANDOVER_FRACTION", 1e-9)
    with pytest.warns(UserWarning, match="max_iter"):
        fast = esri(net, firms=np.arange(30), eps=0.0, max_iter=4)
    with pytest.warns(UserWarning, match="max_iter"):
        ref = esri(net, firms=np.arange(30), eps=0.0, max_iter=4, engine="sparse")
    assert fast.iterations.max() == 4
    np.testing.assert_array_equal(fast.iterations, ref.iterations)
    np.testing.assert_allclose(fast.esri, ref.esri, rtol=0, atol=1e-12)


@pytest.mark.skipif(not numba_available(), reason="needs numba")
@pytest.mark.parametrize("lanes_max", [4, 8, 32])
def test_lane_widths_give_the_same_scores(monkeypatch, lanes_max):
    # The lane engine's width (scenarios per sweep) is chosen from the network size;
    # every width, with lanes refilled (more scenarios than lanes) and packed while
    # the last lanes drain, gives the scores and step counts of the full-vector engine.
    from chainkeeper.network.generators import power_law_network

    net = power_law_network(1200, seed=11)
    firms = np.random.default_rng(5).choice(1200, 90, replace=False)
    monkeypatch.setattr(_esri_module(), "HANDOVER_FRACTION", 1e-9)
    monkeypatch.setattr(_esri_module(), "LANES_MAX", lanes_max)
    assert _esri_module().lanes_for(net.n_firms, 45) == lanes_max
    fast = esri(net, firms=firms)
    ref = esri(net, firms=firms, engine="sparse")
    np.testing.assert_allclose(np.c_[fast.esri, fast.downstream, fast.upstream],
                               np.c_[ref.esri, ref.downstream, ref.upstream], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(fast.iterations, ref.iterations)


def test_lane_count_keeps_memory_flat():
    lanes_for = _esri_module().lanes_for
    assert lanes_for(10_000, 5_000) == 32
    assert lanes_for(10_000, 3) == 4          # a few scenarios: no empty lanes swept
    assert lanes_for(1_000_000, 10**6) == 4   # 4 loss arrays of n x lanes stay within LANE_BYTES
    assert 32 * 100_000 * lanes_for(100_000, 10**6) <= _esri_module().LANE_BYTES
