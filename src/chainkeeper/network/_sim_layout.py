"""Compiled build of :class:`._sim_model.SimModel`'s layout (internal, numba).

The model's arrays (customer order of the links, slots, the binding slots' links) were built by about twenty
numpy sorts, gathers and scatters over the links: 1.3 s of serial set-up at 5,000,000 links.  These kernels build
the same arrays in a few sequential passes; every number is the one numpy made (the same permutation, the same
sums in the same order: ``tests/network/test_simulate_layout.py``).  The model itself is unchanged.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._prefetch import prefetch_chain, prefetch_gather

#: a customer's links are sorted by insertion up to this many, by a stable merge sort above
_INSERTION_MAX = 48


@njit(cache=True, nogil=True)
def customer_order(in_ptr, in_order, supplier, industry, out, ind_out, i0, i1):
    """Each customer's links (``in_order``: by customer, then supplier) stably sorted by the supplier's industry,
    for customers ``i0:i1`` (each writes only its own positions: ranges may run in parallel).

    ``out`` (CSR link per customer position) is the permutation of a stable ``argsort`` of the key
    ``(customer, supplier industry)`` over ``in_order``: by customer, input industry, supplier.  ``ind_out`` gets
    each position's supplier industry (the sorted key), so :func:`slots_range` reads it in order instead of
    ``industry[supplier[link]]`` at random.
    """
    max_deg = 0
    for i in range(i0, i1):
        max_deg = max(max_deg, in_ptr[i + 1] - in_ptr[i])
    key = np.empty(max_deg, np.int64)
    for i in range(i0, i1):
        lo, hi = in_ptr[i], in_ptr[i + 1]
        deg = hi - lo
        for t in range(deg):
            prefetch_chain(industry, supplier, in_order, lo + t)
            key[t] = industry[supplier[in_order[lo + t]]]
        if deg > _INSERTION_MAX:
            idx = np.argsort(key[:deg], kind="mergesort")
            for t in range(deg):
                out[lo + t] = in_order[lo + idx[t]]
                ind_out[lo + t] = key[idx[t]]
            continue
        for t in range(deg):                     # stable insertion sort on the key, positions kept in ``out``
            k = key[t]
            u = t
            while u > 0 and key[u - 1] > k:
                key[u] = key[u - 1]
                out[lo + u] = out[lo + u - 1]
                u -= 1
            key[u] = k
            out[lo + u] = in_order[lo + t]
        for t in range(deg):
            ind_out[lo + t] = key[t]


@njit(cache=True, nogil=True)
def link_days(inv, has_inv, default, weight, days, ta):
    """Each link's stock target in days (the network's figure, ``default`` where it has none or NaN; at least one
    day) and in units (``days * a``), in CSR order; returns how many links were raised to one day."""
    raised = 0
    for lk in range(weight.shape[0]):
        v = default
        if has_inv:
            v = inv[lk]
            if np.isnan(v):
                v = default
        if v < 1.0:
            raised += 1
            v = 1.0
        days[lk] = v
        ta[lk] = v * weight[lk]
    return raised


@njit(cache=True, nogil=True)
def slot_counts(in_ptr, ind_pos, counts, i0, i1):
    """The number of slots (distinct input industries) of customers ``i0:i1``, from :func:`customer_order`'s
    ``ind_out`` (a customer's positions are sorted by industry)."""
    for i in range(i0, i1):
        c = 0
        for pos in range(in_ptr[i], in_ptr[i + 1]):
            if pos == in_ptr[i] or ind_pos[pos] != ind_pos[pos - 1]:
                c += 1
        counts[i] = c


@njit(cache=True, nogil=True)
def slots_range(in_ptr, link_of, ind_pos, weight, days, cust_ptr, slot_ptr, slot_cust, slot_ind, slot_a, ta_slot,
                i0, i1):
    """Slots (customer, input industry) of customers ``i0:i1`` over the links in customer order, from their
    first slot ``cust_ptr[i0]`` on (``cust_ptr``: each customer's first slot, from :func:`slot_counts`).

    Fills ``slot_ptr`` (first link position of each slot), ``slot_cust``, ``slot_ind`` and the sums over each
    slot's links in customer order of ``a`` (``slot_a``) and of ``days * a`` (``ta_slot``): the sums
    ``np.bincount`` made, in the same order.  Each range writes only its own slots: ranges may run in parallel.
    """
    ns = cust_ptr[i0]
    for i in range(i0, i1):
        prev = -1
        for pos in range(in_ptr[i], in_ptr[i + 1]):
            prefetch_gather(weight, link_of, pos)
            prefetch_gather(days, link_of, pos)
            lk = link_of[pos]
            ind = ind_pos[pos]
            if pos == in_ptr[i] or ind != prev:
                slot_ptr[ns] = pos
                slot_cust[ns] = i
                slot_ind[ns] = ind
                slot_a[ns] = 0.0
                ta_slot[ns] = 0.0
                ns += 1
                prev = ind
            a = weight[lk]
            slot_a[ns - 1] += a
            ta_slot[ns - 1] += days[lk] * a


@njit(cache=True, nogil=True)
def binding_links(cust_ptr, slot_ptr, slot_bind, link_of, bind_cust_ptr, bind_ptr, bind_links):
    """The binding slots' links in customer order (``SimModel.bind_*``); returns the number of binding slots."""
    n = cust_ptr.shape[0] - 1
    nb = 0
    nl = 0
    for i in range(n):
        bind_cust_ptr[i] = nb
        for sl in range(cust_ptr[i], cust_ptr[i + 1]):
            if slot_bind[sl]:
                bind_ptr[nb] = nl
                for pos in range(slot_ptr[sl], slot_ptr[sl + 1]):
                    bind_links[nl] = link_of[pos]
                    nl += 1
                nb += 1
    bind_cust_ptr[n] = nb
    bind_ptr[nb] = nl
    return nb


@njit(cache=True, nogil=True)
def first_order(out_ptr, perm):
    """``perm`` = ``0..deg`` for every supplier, one entry more than its links (:func:`._sim_kernels.first_order`)."""
    for j in range(out_ptr.shape[0] - 1):
        off = out_ptr[j] + j
        for t in range(out_ptr[j + 1] - out_ptr[j] + 1):
            perm[off + t] = t
