"""The day of :func:`chainkeeper.network.simulate` with a stock per link, in supplier (CSR) order (internal, numba).

With ``stock="link"`` (the authors' model) a link's stock, order and delivery depend only on the link itself,
its customer's production of yesterday and its supplier's rationing, so steps 1-3 of the model (stock update,
order, demand) run over the links **in the network's CSR order**, supplier by supplier, reading the customers'
ratios ``q`` from a per-firm array (small: it stays in cache) instead of walking the links in customer order
with a random access into the per-link arrays.  Per day:

1. :func:`links_range` (suppliers ``j0:j1``): every link's stock and order, and the supplier's demand as the sum
   of its links' orders in CSR order (the sum :func:`._sim_kernels.demand_range` makes);
2. :func:`limits_range` (customers ``i0:i1``): the input limit from the total stock of each *binding* slot,
   summed in customer order (by input industry, then supplier, as :func:`._sim_kernels.orders_range` does) -
   the only random access per link left, and only on binding inputs;
3. :func:`supply_range` (suppliers ``j0:j1``): production, rationing (:func:`._sim_kernels.ration_range`) and
   tomorrow's ``q``.

Steps 2 and 3 of the same firms run in one call (:func:`limits_and_supply_range`): a firm's production reads
only its own input limit.

Every number is computed by the same operations in the same order as the customer-order kernels of
:mod:`._sim_kernels`, so the result is bitwise the same (``tests/network/test_simulate_linkpass.py``).
State is a deviation from the baseline, as in :mod:`._sim_kernels`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._prefetch import prefetch_gather
from ._sim_kernels import _priority_range, delivery, keep_smallest, ration_range, restock_and_order


@njit(cache=True, nogil=True)
def links_range(out_ptr, cust, l_a, l_ta, q_use, q_order, inv_tau, order_rule, s, o, od, levels, lam_of, full, d,
                j0, j1):
    """Stocks, orders and demand over the links of suppliers ``j0:j1`` (CSR order).

    Steps 1-3 of the model (``proNet.cpp``; Hallegatte 2008's ARIO taken to firms, Inoue & Todo 2019):
    ``S_ij += O*_ij(t-1) - A_ij P_i(t-1)/x0_i`` (at least 0), ``O_ij = A_ij P_i(t-1)/x0_i + (n A_ij P_i(t-1)/x0_i -
    S_ij) / tau`` (at least 0; order rules as in :func:`._sim_kernels.orders_range`), ``D_j = c_j + sum_i O_ij``.
    ``q_use[i]`` is customer ``i``'s production deviation of yesterday over ``x0_i`` (what it used),
    ``q_order[i]`` what it orders against (the same array unless orders follow demand).  Yesterday's delivery
    is ``od`` or, with ``levels`` (priority rules), computed from yesterday's order and the supplier's level
    (:func:`._sim_kernels.delivery`; ``full``: every order delivered).  The customers' ``q`` are prefetched
    ahead (:mod:`._prefetch`: at 1M firms the pass otherwise waits on these reads).  Writes ``s``, ``o`` of these links and
    ``d`` of these suppliers only.
    """
    for j in range(j0, j1):
        tot = 0.0
        every = levels and full[j]
        lam = lam_of[j] if levels else 0.0
        for lk in range(out_ptr[j], out_ptr[j + 1]):
            prefetch_gather(q_use, cust, lk)
            prefetch_gather(q_order, cust, lk)
            i = cust[lk]
            qu = q_use[i]
            qo = q_order[i]
            a = l_a[lk]
            ta = l_ta[lk]
            if not levels:
                recv = od[lk]
            elif every:
                recv = o[lk]
            else:
                recv = delivery(a, o[lk], lam)
            su, ou = restock_and_order(s[lk], recv, a, qu, ta, qo, order_rule, inv_tau)
            s[lk] = su
            o[lk] = ou
            tot += ou
        d[j] = tot


@njit(cache=True, nogil=True)
def deliveries(out_ptr, l_a, o, lam_of, full, od):
    """Every link's delivery deviation (CSR order) from the suppliers' levels (priority rules, ``levels``)."""
    for j in range(out_ptr.shape[0] - 1):
        for lk in range(out_ptr[j], out_ptr[j + 1]):
            od[lk] = o[lk] if full[j] else delivery(l_a[lk], o[lk], lam_of[j])


@njit(cache=True, nogil=True)
def limits_range(cust_ptr, slot_ptr, links, slot_base, slot_scale, slot_ind, s, pm, pm_ind, i0, i1):
    """Input limit of customers ``i0:i1`` (step 4's middle term): for each binding input industry ``k``,
    ``x0_i * sum_{j in k} S_ij / sum_{j in k} A_ij`` as a deviation, the smallest over ``k``.

    Only binding slots are listed (``SimModel.bind_*``): ``cust_ptr`` points into them, ``slot_ptr`` into
    ``links``, the CSR positions (in ``s``) of each slot's links in customer order.  ``pm`` is +inf and
    ``pm_ind`` -1 where no input binds.  The stocks are prefetched ahead (:mod:`._prefetch`).
    """
    for i in range(i0, i1):
        best = np.inf
        best_ind = -1
        for sl in range(cust_ptr[i], cust_ptr[i + 1]):
            tot = 0.0
            for u in range(slot_ptr[sl], slot_ptr[sl + 1]):
                prefetch_gather(s, links, u)
                tot += s[links[u]]
            best, best_ind = keep_smallest(best, best_ind, slot_base[sl], slot_scale[sl], tot, slot_ind[sl])
        pm[i] = best
        pm_ind[i] = best_ind


@njit(cache=True, nogil=True)
def supply_range(rule, out_ptr, l_a, x0, safe_x0, final, cut, pm, d, p, o, od, levels, lam_of, full, fulfil,
                 fc_served, perm, order_on_demand, q_use, q_order, j0, j1):
    """Production ``min(capacity, input limit, demand)`` (step 4), rationing (step 5, :func:`.ration_range`;
    with ``levels`` the priority rules keep each supplier's level instead of writing ``od``) and tomorrow's
    ``q_use`` (production over ``x0``) and, with ``order_on_demand`` (the order rule "demand"), ``q_order``
    (demand over ``x0``; otherwise it is ``q_use`` itself) of suppliers ``j0:j1``."""
    for j in range(j0, j1):
        v = -cut[j] * x0[j]
        if pm[j] < v:
            v = pm[j]
        if d[j] < v:
            v = d[j]
        p[j] = v
    if levels:
        _priority_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fc_served, perm, j0, j1, True, lam_of, full)
    else:
        ration_range(rule, out_ptr, l_a, x0, final, p, d, o, od, fulfil, fc_served, perm, j0, j1)
    for j in range(j0, j1):
        q_use[j] = p[j] / safe_x0[j]
        if order_on_demand:
            q_order[j] = d[j] / safe_x0[j]


@njit(cache=True, nogil=True)
def limits_and_supply_range(cust_ptr, slot_ptr, links, slot_base, slot_scale, slot_ind, s, pm, pm_ind, rule,
                            out_ptr, l_a, x0, safe_x0, final, cut, d, p, o, od, levels, lam_of, full, fulfil,
                            fc_served, perm, order_on_demand, q_use, q_order, j0, j1):
    """Steps 2 and 3 of the day for firms ``j0:j1`` in one call: their input limits (:func:`limits_range`), then
    their production, rationing and tomorrow's ``q`` (:func:`supply_range`).  A firm's production reads only its
    own input limit, so no barrier between all firms' limits and the supply is needed (one hand-off a day fewer);
    every number is computed as by the two calls."""
    limits_range(cust_ptr, slot_ptr, links, slot_base, slot_scale, slot_ind, s, pm, pm_ind, j0, j1)
    supply_range(rule, out_ptr, l_a, x0, safe_x0, final, cut, pm, d, p, o, od, levels, lam_of, full, fulfil,
                 fc_served, perm, order_on_demand, q_use, q_order, j0, j1)
