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
                su = s[u] + recv - a * qu
                if su < -ta:
                    su = -ta                       # no negative stock (authors clip at zero)
                s[u] = su
                gap = ta * qo - su                 # target minus stock (the baseline gap is zero)
                if order_rule == 1:
                    ou = a * qo + (-su) * inv_tau
                elif order_rule == 2 and gap <= 0.0:
                    ou = a * qo
                else:
                    ou = a * qo + gap * inv_tau
                if ou < -a:
                    ou = -a                        # no negative order
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
                v = slot_base[sl] + slot_scale[sl] * tot
                if v < best:
                    best = v
                    best_ind = slot_ind[sl]
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
def _water_level(ratio, start, k, avail, idx, suffix):
    """Level ``lam`` with ``sum(start * min(ratio, lam)) == avail`` (``avail`` below the full total)."""
    _argsort_into(ratio, k, idx)
    suffix[k] = 0.0
    for t in range(k - 1, -1, -1):
        suffix[t] = suffix[t + 1] + start[idx[t]]
    served = 0.0
    for t in range(k):
        r = ratio[idx[t]]
        if served + r * suffix[t] >= avail:
            return (avail - served) / suffix[t]
        served += start[idx[t]] * r
    return np.inf


@njit(cache=True, nogil=True)
def _serve_links(rule, out_ptr, l_a, o, od, fulfil, j, avail, final_j, dem_j, work, idx):
    """Deliveries of short supplier ``j`` on its links; returns what final demand receives.

    ``work`` (5 x max degree + 1) and ``idx`` are scratch space (no allocation per supplier).
    """
    lo, hi = out_ptr[j], out_ptr[j + 1]
    deg = hi - lo
    orders, give, ratio, start, suffix = work[0], work[1], work[2], work[3], work[4]
    total = 0.0
    for t in range(deg):
        orders[t] = max(l_a[lo + t] + o[lo + t], 0.0)
        total += orders[t]
    fc_short = rule == 1 or rule == 3
    if fc_short and final_j >= dem_j - avail:
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
    elif rule == 2 or rule == 3:
        with_fc = rule == 2 and final_j > 0.0
        k = deg + 1 if with_fc else deg
        for t in range(deg):
            start[t] = l_a[lo + t]
            ratio[t] = orders[t] / start[t] if start[t] > 0.0 else 0.0   # a link of no baseline value gets nothing
        if with_fc:
            start[deg] = final_j
            ratio[deg] = 1.0
        lam = _water_level(ratio, start, k, avail, idx, suffix)
        for t in range(deg):
            give[t] = start[t] * min(ratio[t], lam)
        if with_fc:
            fc = final_j * min(1.0, lam)
    else:
        for t in range(deg):
            ratio[t] = fulfil[lo + t]
        _argsort_into(ratio, deg, idx)
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


def ration(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served):
    """Deliveries of every supplier (``od``) and what final demand receives (``fc_served``)."""
    ration_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served, 0, x0.shape[0])


@njit(cache=True, nogil=True)
def ration_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served, j0, j1):
    """:func:`ration` for suppliers ``j0:j1`` (writes only their own links: ranges may run in parallel)."""
    for lk in range(out_ptr[j0], out_ptr[j1]):
        od[lk] = o[lk]
    max_deg = 0
    for j in range(j0, j1):
        max_deg = max(max_deg, out_ptr[j + 1] - out_ptr[j])
    work = np.empty((5, max_deg + 2))
    idx = np.empty(max_deg + 2, np.int64)
    for j in range(j0, j1):
        if p[j] < d[j]:
            fc_served[j] = _serve_links(rule, out_ptr, l_a, o, od, fulfil, j, x0[j] + p[j],
                                        final[j], x0[j] + d[j], work, idx)
        else:
            fc_served[j] = final[j]
    if rule == 4:
        for lk in range(out_ptr[j0], out_ptr[j1]):
            want = l_a[lk] + o[lk]
            fulfil[lk] = (l_a[lk] + od[lk]) / want if want > 0.0 else 1.0
