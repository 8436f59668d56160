"""Compiled daily steps of :func:`chainkeeper.network.simulate` (internal, numba).

All state is a deviation from the baseline (stock ``s = S - S0``, orders
``o = O - A``, deliveries ``od = O* - A``, production ``p = P - x0``,
demand ``d = D - x0``), so with no shock every number stays exactly zero.
Layouts are those of :class:`._sim_model.SimModel` (links in customer order).

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


@njit(cache=True)
def inputs_and_orders(cust_ptr, slot_ptr, unit_ptr, unit_a, unit_ta, l_share, l_sup, slot_base,
                      slot_scale, slot_bind, slot_ind, q_use, q_order, inv_tau, order_rule,
                      s, od, o, d, pm, pm_ind):
    """Receive yesterday's deliveries, use yesterday's production, order, and bound production by stocks.

    ``q_use`` is yesterday's production deviation over baseline output (what was
    used), ``q_order`` what orders are based on.  Fills ``s`` (new stocks),
    ``o`` (orders per link), ``d`` (demand deviation per supplier, from firms),
    ``pm`` (input-limited production deviation; +inf without binding input)
    and ``pm_ind`` (industry of the binding slot, -1 if none).
    """
    n = cust_ptr.shape[0] - 1
    d[:] = 0.0
    for i in range(n):
        qu = q_use[i]
        qo = q_order[i]
        best = np.inf
        best_ind = -1
        for sl in range(cust_ptr[i], cust_ptr[i + 1]):
            tot = 0.0
            for u in range(slot_ptr[sl], slot_ptr[sl + 1]):
                recv = 0.0
                for lk in range(unit_ptr[u], unit_ptr[u + 1]):
                    recv += od[lk]
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
                for lk in range(unit_ptr[u], unit_ptr[u + 1]):
                    ol = l_share[lk] * ou
                    o[lk] = ol
                    d[l_sup[lk]] += ol
                tot += su
            if slot_bind[sl]:
                v = slot_base[sl] + slot_scale[sl] * tot
                if v < best:
                    best = v
                    best_ind = slot_ind[sl]
        pm[i] = best
        pm_ind[i] = best_ind


@njit(cache=True)
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


@njit(cache=True)
def _water_level(ratio, start, avail):
    """Level ``lam`` with ``sum(start * min(ratio, lam)) == avail`` (``avail`` below the full total)."""
    order = np.argsort(ratio, kind="mergesort")
    k = order.shape[0]
    suffix = np.zeros(k + 1)
    for t in range(k - 1, -1, -1):
        suffix[t] = suffix[t + 1] + start[order[t]]
    served = 0.0
    for t in range(k):
        r = ratio[order[t]]
        if served + r * suffix[t] >= avail:
            return (avail - served) / suffix[t]
        served += start[order[t]] * r
    return np.inf


@njit(cache=True)
def _serve_links(rule, out_ptr, cpos, l_a, o, od, fulfil, j, avail, final_j, dem_j):
    """Deliveries of short supplier ``j`` on its links; returns what final demand receives."""
    lo, hi = out_ptr[j], out_ptr[j + 1]
    deg = hi - lo
    orders = np.empty(deg)
    total = 0.0
    for t in range(deg):
        orders[t] = max(l_a[cpos[lo + t]] + o[cpos[lo + t]], 0.0)
        total += orders[t]
    fc_short = rule == 1 or rule == 3
    if fc_short and final_j >= dem_j - avail:
        for t in range(deg):
            od[cpos[lo + t]] = o[cpos[lo + t]]
        return final_j - (dem_j - avail)
    give = np.empty(deg)
    fc = 0.0
    if rule == 0:
        r = avail / (total + final_j)
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
        ratio = np.empty(k)
        start = np.empty(k)
        for t in range(deg):
            start[t] = l_a[cpos[lo + t]]
            ratio[t] = orders[t] / start[t]
        if with_fc:
            start[deg] = final_j
            ratio[deg] = 1.0
        lam = _water_level(ratio, start, avail)
        for t in range(deg):
            give[t] = start[t] * min(ratio[t], lam)
        if with_fc:
            fc = final_j * min(1.0, lam)
    else:
        key = np.empty(deg)
        for t in range(deg):
            key[t] = fulfil[cpos[lo + t]]
        left = avail
        for t in np.argsort(key, kind="mergesort"):
            g = min(orders[t], left)
            give[t] = g
            left -= g
        fc = min(left, final_j)
    for t in range(deg):
        od[cpos[lo + t]] = give[t] - l_a[cpos[lo + t]]
    return fc


@njit(cache=True)
def ration(rule, out_ptr, cpos, l_a, x0, final, p, d, o, od, fulfil, fc_served):
    """Deliveries of every supplier (``od``) and what final demand receives (``fc_served``)."""
    od[:] = o
    for j in range(x0.shape[0]):
        if p[j] < d[j]:
            fc_served[j] = _serve_links(rule, out_ptr, cpos, l_a, o, od, fulfil, j, x0[j] + p[j],
                                        final[j], x0[j] + d[j])
        else:
            fc_served[j] = final[j]
    if rule == 4:
        for lk in range(o.shape[0]):
            want = l_a[lk] + o[lk]
            fulfil[lk] = (l_a[lk] + od[lk]) / want if want > 0.0 else 1.0
