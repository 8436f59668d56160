"""The gathers of the day, the set-up and the tail are prefetched ahead (``_prefetch``, issue 15 lane ``simcpu``), and a prefetch changes nothing.

The bitwise equality of the supplier-order day with the customer-order kernels is ``test_simulate_linkpass.py``;
here: the prefetch helpers read nothing they should not and leave every value alone, and the links pass, the input
limits, the set-up's customer order and slots and the tail's sums really issue prefetches (the machine code of a
fresh, uncached compilation of each kernel).
"""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from chainkeeper.network import Shock
from chainkeeper.network import _sim_layout as lay
from chainkeeper.network import _sim_linkpass as lp
from chainkeeper.network._prefetch import PREFETCH, prefetch_chain, prefetch_gather
from chainkeeper.network._sim_outcome import _tail_sums
from chainkeeper.network.generators import power_law_network
from chainkeeper.network.simulate import iterate_days


@njit
def _gather(values, index):
    out = np.empty(index.shape[0])
    for u in range(index.shape[0]):
        prefetch_gather(values, index, u)
        out[u] = values[index[u]]
    return out


@njit
def _gather_chain(values, middle, index):
    out = np.empty(index.shape[0])
    for u in range(index.shape[0]):
        prefetch_chain(values, middle, index, u)
        out[u] = values[middle[index[u]]]
    return out


@pytest.mark.parametrize("m", [0, 1, PREFETCH - 1, PREFETCH, 3 * PREFETCH + 5])
def test_a_prefetched_gather_is_the_plain_gather(m):
    rng = np.random.default_rng(m)
    values = rng.normal(size=50)
    index = rng.integers(0, 50, size=m).astype(np.int32)
    before = values.copy()
    middle = rng.permutation(50).astype(np.int64)
    assert np.array_equal(_gather(values, index), values[index])
    assert np.array_equal(_gather_chain(values, middle, index), values[middle[index]])
    assert np.array_equal(values, before)


def _day_state():
    net = power_law_network(400, mean_out_degree=5.0, seed=2, inventory_days=True)
    for st in iterate_days(net, [Shock(cut=0.9, firms=[0, 1, 2], duration=3)], days=3):
        if st.day == 2:
            return net, st


def _machine_code(kernel, *args) -> str:
    fresh = njit(nogil=True)(kernel.py_func)          # not from numba's cache, which keeps no code to inspect
    fresh(*args)
    return next(iter(fresh.inspect_asm().values()))


def test_the_links_pass_and_the_input_limits_prefetch():
    net, st = _day_state()
    mdl = st._mdl
    links = _machine_code(lp.links_range, net.out_ptr, mdl.cust_csr, mdl.a_csr, mdl.ta_csr, st.q_use, st.q_order,
                          1 / 6, 0, st.s.copy(), st.o.copy(), st.od_store, True, st.lam, st.full, st.d.copy(), 0,
                          mdl.n)
    limits = _machine_code(lp.limits_range, mdl.bind_cust_ptr, mdl.bind_ptr, mdl.bind_links, mdl.bind_base,
                           mdl.bind_scale, mdl.bind_ind, st.s, st.pm.copy(), st.pm_ind.copy(), 0, mdl.n)
    assert "prefetch" in links
    assert "prefetch" in limits


def test_the_set_up_and_the_tail_prefetch():
    net, st = _day_state()
    mdl = st._mdl
    n, m, ns = mdl.n, mdl.m, mdl.slot_a.shape[0]
    order = _machine_code(lay.customer_order, net.in_ptr, net.in_order, net.supplier, net.industry,
                          np.empty(m, np.int32), np.empty(m, np.int32), 0, n)
    ind_pos = mdl.slot_ind[np.repeat(np.arange(ns), np.diff(mdl.slot_ptr_links))].astype(np.int32)
    slots = _machine_code(lay.slots_range, net.in_ptr, mdl.link_of, ind_pos, mdl.a_csr, mdl.days_csr, mdl.cust_ptr,
                          np.empty(ns + 1, np.int64), np.empty(ns, np.int64), np.empty(ns, mdl.slot_ind.dtype),
                          np.empty(ns), np.empty(ns), 0, n)
    tail = _machine_code(_tail_sums, mdl.cust_ptr, mdl.slot_ptr_links, mdl.slot_bind, mdl.slot_a, mdl.slot_ind,
                         mdl.link_of, mdl.ta_csr, st.s, st.od, mdl.a_csr, st.o, np.empty(n, np.int64), np.empty(n))
    assert "prefetch" in order
    assert "prefetch" in slots
    assert "prefetch" in tail
