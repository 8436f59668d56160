"""The lane engine's register row sums (``_esri_simd.rowsum`` / ``rowsum_max``): bitwise the loop they replace, and the
lane engine that uses them against the paper's dense cascade."""

from __future__ import annotations

import numpy as np
import pytest

from chainkeeper.network import esri, numba_available

from .conftest import dense_cascade, dense_esri, random_network

pytestmark = pytest.mark.skipif(not numba_available(), reason="needs numba")


def _loop_rowsum(X, rows, lam, e0, e1, width):
    """The numpy loop of the lane sweep: acc = acc + lam * row, from 0, link by link (no fused multiply-add)."""
    acc = np.zeros(width)
    for e in range(e0, e1):
        acc = acc + lam[e] * X[rows[e], :width]
    return acc


@pytest.mark.parametrize("nv", range(1, 9))
@pytest.mark.parametrize("itype", [np.int32, np.int64])
def test_rowsum_is_bitwise_the_lane_loop(nv, itype):
    from numba import njit

    from chainkeeper.network._esri_simd import rowsum, rowsum_max

    @njit
    def call(X, rows, lam, e0, e1, out, nv):
        rowsum(X, rows, lam, e0, e1, out, nv)

    @njit
    def call_max(X, rows, lam, e0, e1, out, nv):
        rowsum_max(X, rows, lam, e0, e1, out, nv)

    rng = np.random.default_rng(nv)
    n, L = 70, 64
    X = rng.random((n, L)) ** 3            # losses of very different magnitudes
    X[::5] = 0.0
    rows = rng.integers(0, n, 400).astype(itype)
    lam = rng.random(400) / 7
    # runs of every kind: empty, one link, long, and ending at the last link (the prefetch is clamped)
    for e0, e1 in [(0, 0), (3, 4), (10, 250), (390, 400), (0, 400)]:
        out = np.full(L, np.nan)
        call(X, rows, lam, e0, e1, out, nv)
        expected = _loop_rowsum(X, rows, lam, e0, e1, 8 * nv)
        np.testing.assert_array_equal(out[:8 * nv], expected)
        assert np.isnan(out[8 * nv:]).all()  # nothing written beyond the 8 nv lanes
        # the essential slots' form: keep the lane-wise maximum of what is there and the new sum
        before = rng.random(L) * expected.max(initial=0.0) * 1.5
        out = before.copy()
        call_max(X, rows, lam, e0, e1, out, nv)
        np.testing.assert_array_equal(out[:8 * nv], np.maximum(before[:8 * nv], expected))
        np.testing.assert_array_equal(out[8 * nv:], before[8 * nv:])


def test_lane_engine_matches_the_dense_cascade(monkeypatch):
    # every scenario in the lanes after its first step; 32 lanes filled, refilled and drained (packed widths
    # 1..31, i.e. 1 to 4 vectors per row sum); scores and step counts of the paper's dense iteration
    import importlib

    mod = importlib.import_module("chainkeeper.network.esri")
    monkeypatch.setattr(mod, "HANDOVER_FRACTION", 1e-9)
    monkeypatch.setattr(mod, "GRAB", 3)
    net, W, p, ess = random_network(4, n=140, density=0.05)
    assert mod.lanes_for(net.n_firms, 70) == 32
    r = esri(net)
    for f in range(net.n_firms):
        psi = np.zeros(net.n_firms)
        psi[f] = 1.0
        np.testing.assert_allclose([r.esri[f], r.downstream[f], r.upstream[f]], dense_esri(W, p, ess, psi),
                                   rtol=0, atol=1e-12)
        assert r.iterations[f] == dense_cascade(W, p, ess, psi)[2]


def test_lane_step_refuses_rows_narrower_than_its_vectors():
    from chainkeeper.network._esri_lanes import _lane_step

    n = 3
    z = np.zeros((n, 4))
    with pytest.raises(ValueError, match="multiple of 8"):
        _lane_step(z, z, z.copy(), z.copy(), z, np.zeros(n, np.uint64), np.zeros(n + 1, np.int64),
                   np.zeros(n, np.int64), np.zeros(0, np.int32), np.zeros(0), np.zeros(n + 1, np.int64),
                   np.zeros(0, np.int64), np.zeros(n + 1, np.int64), np.zeros(0, np.int32), np.zeros(0),
                   np.zeros(4), 4)


def test_rowsum_refuses_arrays_it_cannot_read_as_rows():
    # the row sums read raw rows: a strided (non-contiguous) state is a typing error, never a wrong sum
    from numba import njit
    from numba.core.errors import TypingError

    from chainkeeper.network._esri_simd import rowsum

    @njit
    def call(X, rows, lam, out):
        rowsum(X, rows, lam, 0, rows.shape[0], out, 1)

    X = np.ones((10, 16))
    with pytest.raises(TypingError):
        call(X[:, ::2], np.zeros(3, np.int64), np.ones(3), np.zeros(8))
    out = np.zeros(8)
    call(np.ascontiguousarray(X[:, ::2]), np.zeros(3, np.int64), np.ones(3), out)
    assert out.tolist() == [3.0] * 8
