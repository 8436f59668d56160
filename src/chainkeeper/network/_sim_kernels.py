"""Compiled daily steps of :func:`chainkeeper.network.simulate` (internal, numba).

All state is a deviation from the baseline (stock ``s = S - S0``, orders
``o = O - A``, deliveries ``od = O* - A``, production ``p = P - x0``,
demand ``d = D - x0``), so with no shock every number stays exactly zero.
Layouts are those of :class:`._sim_model.SimModel`; per-link arrays are in CSR (supplier) order.

Order rules (``order_rule``): 0 realised production (authors' ``-o 0``),
1 keep the initial stock target (``-o 1``), 2 ignore a negative stock gap
(``-o 2``), 3 yesterday's demand (the earlier chainkeeper rule).
Rationing rules (``ration_rule``): 0 proportional (authors' ``-R 0``),
1 final demand last (``-R 1``), 2 priority to the lowest ratio of current to
baseline order, final demand included (``-R 2``), 3 the same with final
demand last (``-R 3``), 4 least fulfilled first (earlier chainkeeper rule).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import _sim_layout as _lay


@njit(cache=True, nogil=True)
def demand_range(out_ptr, o, d, j0, j1):
    """Demand deviation of suppliers ``j0:j1`` from firms: the sum of their links' orders (CSR order)."""
    for j in range(j0, j1):
        tot = 0.0
        for c in range(out_ptr[j], out_ptr[j + 1]):
            tot += o[c]
        d[j] = tot


@njit(cache=True, nogil=True)
def orders_range(cust_ptr, slot_ptr, unit_ptr, unit_a, unit_ta, l_share, l_a, link_of, slot_base,
                 slot_scale, slot_bind, slot_ind, q_use, q_order, inv_tau, order_rule,
                 s, od, o, pm, pm_ind, i0, i1):
    """Receive yesterday's deliveries, use yesterday's production, order, and bound production by stocks,
    for customers ``i0:i1``.

    ``q_use`` is yesterday's production deviation over baseline output (what was
    used), ``q_order`` what orders are based on.  Units and links are walked in
    customer order; ``o`` and ``od`` are per link in the network's (CSR) order,
    reached through ``link_of``.  Fills ``s`` (new stocks), ``o`` (orders per
    link), ``pm`` (input-limited production deviation; +inf without binding
    input) and ``pm_ind`` (industry of the binding slot, -1 if none) of these
    customers only, so disjoint ranges can run on different threads; the
    suppliers' demand is then :func:`demand_range`.
    """
    link_mode = unit_ptr.shape[0] == link_of.shape[0] + 1      # one unit per link: no inner loops
    c = 0
    for i in range(i0, i1):
        qu = q_use[i]
        qo = q_order[i]
        best = np.inf
        best_ind = -1
        for sl in range(cust_ptr[i], cust_ptr[i + 1]):
            tot = 0.0
            for u in range(slot_ptr[sl], slot_ptr[sl + 1]):
                if link_mode:
                    c = link_of[u]
                    recv = od[c]
                else:
                    recv = 0.0
                    for lk in range(unit_ptr[u], unit_ptr[u + 1]):
                        recv += od[link_of[lk]]
                a = unit_a[u]
                ta = unit_ta[u]
                su, ou = restock_and_order(s[u], recv, a, qu, ta, qo, order_rule, inv_tau)
                s[u] = su
                if link_mode:
                    o[c] = ou
                else:
                    for lk in range(unit_ptr[u], unit_ptr[u + 1]):
                        ol = l_share[lk] * ou
                        if ol < -l_a[lk]:
                            ol = -l_a[lk]          # the floor split by share can round below -a_ij
                        o[link_of[lk]] = ol
                tot += su
            if slot_bind[sl]:
                best, best_ind = keep_smallest(best, best_ind, slot_base[sl], slot_scale[sl], tot, slot_ind[sl])
        pm[i] = best
        pm_ind[i] = best_ind


@njit(cache=True, nogil=True)
def produce(x0, cut, pm, d, p):
    """Production deviation ``min(capacity, input limit, demand)``; returns the count of short suppliers."""
    short = 0
    for i in range(x0.shape[0]):
        v = -cut[i] * x0[i]
        if pm[i] < v:
            v = pm[i]
        if d[i] < v:
            v = d[i]
        p[i] = v
        if v < d[i]:
            short += 1
    return short


@njit(cache=True, nogil=True)
def _argsort_into(vals, k, idx):
    """Stable ascending order of ``vals[:k]`` into ``idx[:k]`` (insertion sort for short lists)."""
    if k > 48:
        idx[:k] = np.argsort(vals[:k], kind="mergesort")
        return
    for t in range(k):
        v = vals[t]
        u = t
        while u > 0 and vals[idx[u - 1]] > v:
            idx[u] = idx[u - 1]
            u -= 1
        idx[u] = t


@njit(cache=True, nogil=True)
def _resort(vals, k, idx, off):
    """Make ``idx[:k]`` (a permutation of ``0..k-1``: yesterday's order) the stable ascending order of ``vals[:k]``.

    Insertion sort on the key (value, position), whose order is unique, so the result is exactly the
    stable argsort whatever ``idx`` held; nearly sorted input (the usual case from one day to the next)
    costs O(k).  Past ``4 k + 64`` moves it falls back to a merge sort.
    """
    moves = 0
    for t in range(1, k):
        cur = idx[off + t]
        v = vals[cur]
        u = t
        while u > 0:
            prev = idx[off + u - 1]
            w = vals[prev]
            if w > v or (w == v and prev > cur):
                idx[off + u] = prev
                u -= 1
            else:
                break
        idx[off + u] = cur
        moves += t - u
        if moves > 4 * k + 64:
            idx[off:off + k] = np.argsort(vals[:k], kind="mergesort")
            return


@njit(cache=True, nogil=True)
def _serve_links(rule, out_ptr, l_a, o, od, fulfil, j, avail, final_j, dem_j, work, idx):
    """Deliveries of short supplier ``j`` on its links under rules 0, 1 and 4; returns what final demand receives.

    ``work`` (orders, give, ratio: max degree + 2 each) and ``idx`` are scratch space (no allocation per
    supplier).  Rules 2 and 3 are :func:`_priority_range`.
    """
    lo, hi = out_ptr[j], out_ptr[j + 1]
    deg = hi - lo
    orders, give, ratio = work
    total = 0.0
    for t in range(deg):
        orders[t] = max(l_a[lo + t] + o[lo + t], 0.0)
        total += orders[t]
    if rule == 1 and final_j >= dem_j - avail:
        for t in range(deg):
            od[lo + t] = o[lo + t]
        return final_j - (dem_j - avail)
    fc = 0.0
    if rule == 0:
        wanted = total + final_j
        r = avail / wanted if wanted > 0.0 else 0.0     # nothing asked: nothing to share
        for t in range(deg):
            give[t] = orders[t] * r
        fc = final_j * r
    elif rule == 1:
        r = avail / total if total > 0.0 else 0.0
        for t in range(deg):
            give[t] = orders[t] * r
    else:
        for t in range(deg):
            ratio[t] = fulfil[lo + t]
            idx[t] = t
        _resort(ratio, deg, idx, 0)
        left = avail
        for u in range(deg):
            t = idx[u]
            g = min(orders[t], left)
            give[t] = g
            left -= g
        fc = min(left, final_j)
    for t in range(deg):
        od[lo + t] = give[t] - l_a[lo + t]
    return fc


@njit(cache=True, nogil=True)
def _priority_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fc_served, perm, j0, j1, levels, lam_of, full):
    """Rules 2 and 3 for suppliers ``j0:j1``: customers (and final demand under rule 2) are served up to a
    common level ``lam`` of their order over their baseline order, lowest ratios first.

    With ``levels`` the deliveries are not written: ``full[j]`` says supplier ``j`` delivers every order
    (``od = o``), otherwise ``lam_of[j]`` is its level and a link's delivery is
    :func:`delivery` ``(a, o, lam)``, the same number (:mod:`._sim_linkpass` computes it where it is used).

    ``lam`` solves ``sum(start * min(ratio, lam)) == avail`` over the ratios in ascending (stable) order;
    ``perm`` keeps that order from one day to the next (:func:`_resort`).  One flat loop: the same
    arithmetic as a function per supplier, three times faster.
    """
    max_deg = 0
    for j in range(j0, j1):
        max_deg = max(max_deg, out_ptr[j + 1] - out_ptr[j])
    ratio, start, suffix = np.empty(max_deg + 2), np.empty(max_deg + 2), np.empty(max_deg + 2)
    for j in range(j0, j1):
        lo, hi = out_ptr[j], out_ptr[j + 1]
        avail, final_j = x0[j] + p[j], final[j]
        gap = (x0[j] + d[j]) - avail
        if not p[j] < d[j] or (rule == 3 and final_j >= gap):      # rule 3: final demand absorbs the gap
            if levels:
                full[j] = True
            else:
                for lk in range(lo, hi):
                    od[lk] = o[lk]
            fc_served[j] = final_j if not p[j] < d[j] else final_j - gap
            continue
        deg = hi - lo
        for t in range(deg):
            a = l_a[lo + t]
            start[t] = a
            ratio[t] = max(a + o[lo + t], 0.0) / a if a > 0.0 else 0.0   # a link of no baseline value gets nothing
        with_fc = rule == 2 and final_j > 0.0
        k = deg + 1 if with_fc else deg
        if with_fc:
            start[deg] = final_j
            ratio[deg] = 1.0
        off = lo + j
        _resort(ratio, k, perm, off)
        suffix[k] = 0.0
        for t in range(k - 1, -1, -1):
            suffix[t] = suffix[t + 1] + start[perm[off + t]]
        served = 0.0
        lam = np.inf
        for t in range(k):
            i = perm[off + t]
            r = ratio[i]
            if served + r * suffix[t] >= avail:
                lam = (avail - served) / suffix[t]
                break
            served += start[i] * r
        if levels:
            full[j] = False
            lam_of[j] = lam
        else:
            for t in range(deg):
                od[lo + t] = start[t] * min(ratio[t], lam) - start[t]
        fc_served[j] = final_j * min(1.0, lam) if with_fc else 0.0


@njit(cache=True, nogil=True, inline="always")
def restock_and_order(s_prev, recv, a, qu, ta, qo, order_rule, inv_tau):
    """One stock's new level and its order deviation for tomorrow (shared by the unit and the per-link passes)."""
    su = s_prev + recv - a * qu
    if su < -ta:
        su = -ta                       # no negative stock (authors clip at zero)
    gap = ta * qo - su                 # target minus stock (the baseline gap is zero)
    if order_rule == 1:
        ou = a * qo + (-su) * inv_tau
    elif order_rule == 2 and gap <= 0.0:
        ou = a * qo
    else:
        ou = a * qo + gap * inv_tau
    if ou < -a:
        ou = -a                        # no negative order
    return su, ou


@njit(cache=True, nogil=True, inline="always")
def keep_smallest(best, best_ind, base, scale, tot, ind):
    """Step 4's input limit of one binding slot, ``x0_i * sum_{j in k} S_ij / sum_{j in k} A_ij`` as a deviation
    (``base + scale * tot``, ``tot`` the slot's summed stock deviation; ``proNet.cpp``, Inoue & Todo 2019), and
    its industry ``ind``, kept if it is below ``best`` so far (shared by the unit and the per-link passes)."""
    v = base + scale * tot
    if v < best:
        return v, ind
    return best, best_ind


@njit(cache=True, nogil=True, inline="always")
def delivery(a, o, lam):
    """A link's delivery deviation under the priority rules: ``a * min(ratio, lam) - a`` with ``ratio`` the
    order over the baseline order ``a`` (0 for a link of no baseline value), as :func:`_priority_range`."""
    ratio = max(a + o, 0.0) / a if a > 0.0 else 0.0
    return a * min(ratio, lam) - a


def first_order(out_ptr: np.ndarray) -> np.ndarray:
    """The starting ``perm`` of :func:`ration_range`: ``0..deg`` for every supplier (int32)."""
    perm = np.empty(int(out_ptr[-1]) + out_ptr.shape[0] - 1, np.int32)
    _lay.first_order(out_ptr, perm)
    return perm


def ration(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served, perm=None):
    """Deliveries of every supplier (``od``) and what final demand receives (``fc_served``)."""
    perm = first_order(out_ptr) if perm is None else perm
    ration_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served, perm, 0, x0.shape[0])


@njit(cache=True, nogil=True)
def ration_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served, perm, j0, j1):
    """:func:`ration` for suppliers ``j0:j1`` (writes only their own links: ranges may run in parallel).

    ``perm`` (:func:`first_order`) keeps each supplier's order of customers from one day to the next.
    """
    if rule == 2 or rule == 3:
        _priority_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fc_served, perm, j0, j1, False, np.empty(0),
                        np.empty(0, np.bool_))
        return
    max_deg = 0
    for j in range(j0, j1):
        max_deg = max(max_deg, out_ptr[j + 1] - out_ptr[j])
    work = (np.empty(max_deg + 2), np.empty(max_deg + 2), np.empty(max_deg + 2))
    idx = np.empty(max_deg + 2, np.int64)
    for j in range(j0, j1):
        if p[j] < d[j]:
            fc_served[j] = _serve_links(rule, out_ptr, l_a, o, od, fulfil, j, x0[j] + p[j],
                                        final[j], x0[j] + d[j], work, idx)
        else:
            for lk in range(out_ptr[j], out_ptr[j + 1]):
                od[lk] = o[lk]
            fc_served[j] = final[j]
    if rule == 4:
        for lk in range(out_ptr[j0], out_ptr[j1]):
            want = l_a[lk] + o[lk]
            fulfil[lk] = (l_a[lk] + od[lk]) / want if want > 0.0 else 1.0
