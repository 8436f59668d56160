"""The rationing kernel's day-to-day order of customers (``_sim_kernels``): the same numbers as a fresh sort.

The priority rules keep each supplier's order of customers from one day to the next and re-sort it with an
insertion sort; these tests check that whatever order is carried over, the result is the stable ascending order
(ties by position), and that rationing with a carried order gives bitwise the deliveries of a fresh one.
"""

from __future__ import annotations

import numpy as np
import pytest

from chainkeeper.network import _sim_kernels as kern


@pytest.mark.parametrize("k", [1, 2, 7, 48, 49, 300])
def test_resort_from_any_order_is_the_stable_argsort(k):
    rng = np.random.default_rng(k)
    for _ in range(20):
        vals = rng.integers(0, 4, k).astype(float)          # many ties: the position must break them
        if rng.random() < 0.5:
            vals = rng.random(k)
        idx = np.concatenate(([5, 5], rng.permutation(k))).astype(np.int32)   # an offset into a longer array
        kern._resort(vals, k, idx, 2)
        assert idx[2:].tolist() == np.argsort(vals, kind="stable").tolist()


def _supplier_state(rng, n, deg):
    out_ptr = np.concatenate(([0], np.cumsum(deg))).astype(np.int64)
    m = int(out_ptr[-1])
    l_a = rng.random(m) + 0.1
    l_a[rng.random(m) < 0.05] = 0.0                          # links without baseline value get nothing
    x0 = np.bincount(np.repeat(np.arange(n), deg), weights=l_a, minlength=n) + rng.random(n)
    final = x0 - np.bincount(np.repeat(np.arange(n), deg), weights=l_a, minlength=n)
    final[rng.random(n) < 0.3] = 0.0
    return out_ptr, l_a, x0, final


@pytest.mark.parametrize("rule", [2, 3])
def test_rationing_with_yesterdays_order_equals_a_fresh_sort_bitwise(rule):
    rng = np.random.default_rng(rule)
    n = 400
    deg = rng.integers(0, 90, n)
    out_ptr, l_a, x0, final = _supplier_state(rng, n, deg)
    m = l_a.shape[0]
    carried = kern.first_order(out_ptr)
    for day in range(6):
        o = l_a * rng.normal(0.0, 0.3, m)
        o[rng.random(m) < 0.1] = 0.0                         # ties at the baseline ratio
        d = np.bincount(np.repeat(np.arange(n), deg), weights=o, minlength=n)
        p = np.minimum(d, -x0 * rng.random(n) * 0.5)         # most suppliers short
        out = []
        for perm in (carried, kern.first_order(out_ptr)):
            od, fc = np.full(m, np.nan), np.full(n, np.nan)
            kern.ration_range(rule, out_ptr, l_a, x0, final, p, d, o, od, np.ones(m), fc, perm, 0, n)
            out.append((od, fc))
        assert (p < d).sum() > n // 2
        assert np.array_equal(out[0][0], out[1][0]) and np.array_equal(out[0][1], out[1][1]), day
        assert not np.isnan(out[0][0]).any()


def test_first_order_counts_zero_to_degree_per_supplier():
    assert kern.first_order(np.array([0, 2, 2, 5])).tolist() == [0, 1, 2, 0, 0, 1, 2, 3]
