"""Plain-loop reference of the firm-level ARIO model (test oracle; imports nothing from chainkeeper).

Written from the equations of Hallegatte (2008) as taken to firms by Inoue &
Todo (2019) and their simulator's options (``-o`` order rules, ``-R``
rationing rules), with absolute quantities in dictionaries, one firm and one
link at a time.  Day ``t``:

1. ``S_u = max(0, S_u + sum of yesterday's deliveries to u - A_u P_i(t-1)/x0_i)``
   (a unit ``u`` is a link, or a customer's input industry with ``stock="industry"``);
2. orders of unit ``u`` with ``q = P_i(t-1)/x0_i`` (``D_i(t-1)/x0_i`` for "demand"):
   realised/demand: ``A q + (n A q - S)/tau``; keep_initial_target: ``A q + (n A - S)/tau``;
   ignore_negative_gap: ``A q`` when ``n A q - S <= 0``, else the first; never negative;
   split over the unit's links by baseline share;
3. ``D_j = c_j + sum of orders to j``;
4. ``P_i = min(x0_i (1 - cut_i), min over binding industries k of x0_i S_ik / A_ik, D_i)``;
5. a short supplier rations ``P`` among its buyers (rules below); deliveries arrive the next day.

A reported starting state (``initial_stock``: link -> days of that link's baseline use) replaces the
target stock ``n A`` of day -1 by ``days * A``; day -1's flows are the baseline, so step 1 of day 0 leaves it as
given.  Targets stay ``n A``.
"""

from __future__ import annotations

import math


def _rounds(avail, items):
    """Inoue-Todo rounds: every buyer up to the smallest remaining ratio, then an equal share of the rest.

    ``items``: list of (start, ratio).  Returns the fulfilled ratio per item
    (delivery = start * fulfilled).
    """
    got = [0.0] * len(items)
    left = [r for _, r in items]
    remaining = avail
    while True:
        active = [k for k in range(len(items)) if left[k] > 0.0]
        if not active:
            return got
        step = min(left[k] for k in active)
        need = sum(items[k][0] for k in active) * step
        if remaining > need:
            for k in active:
                got[k] += step
                left[k] -= step
                if left[k] <= step * 1e-15:
                    left[k] = 0.0
            remaining -= need
        else:
            share = remaining / sum(items[k][0] for k in active)
            for k in active:
                got[k] += share
            return got


def _ration(rule, P, D, c, orders, starts, fulfil):
    """Deliveries per customer link (lists aligned with ``orders``) and to final demand."""
    if P >= D:
        return list(orders), c
    total = sum(orders)
    if rule in ("final_demand_last", "priority_final_demand_last") and c >= D - P:
        return list(orders), c - (D - P)
    if rule == "proportional":
        r = P / D
        return [o * r for o in orders], c * r
    if rule == "final_demand_last":
        r = P / total if total > 0 else 0.0
        return [o * r for o in orders], 0.0
    if rule in ("priority", "priority_final_demand_last"):
        items = [(a, o / a) for o, a in zip(orders, starts)]
        with_fc = rule == "priority" and c > 0
        if with_fc:
            items.append((c, 1.0))
        got = _rounds(P, items)
        give = [items[k][0] * got[k] for k in range(len(orders))]
        return give, (c * got[-1] if with_fc else 0.0)
    # least_fulfilled_first: ascending previous fulfilment, ties in list order, each in full
    left = P
    give = [0.0] * len(orders)
    for k in sorted(range(len(orders)), key=lambda k: fulfil[k]):
        give[k] = min(orders[k], left)
        left -= give[k]
    return give, min(left, c)


def reference(links, industry, essential, x0, days, cuts, *, inventory_days, tau=6.0, rationing="priority",
              orders="realised", stock="link", leontief="essential", initial_stock=None):
    """Run the model.

    ``links``: list of (supplier, customer, daily flow, target days); ``x0``:
    baseline output per firm (final demand = x0 - sales to firms); ``cuts``:
    function day -> list of capacity cuts; ``initial_stock``: optional dict
    (supplier, customer) -> days of stock on day 0 (NaN or missing = target).  Returns per-day lists of
    production and final demand served, and per-day dicts of deliveries and
    stocks.
    """
    n = len(x0)
    sales = [0.0] * n
    for s, _, w, _ in links:
        sales[s] += w
    c = [x0[i] - sales[i] for i in range(n)]
    unit_of = {}
    unit_a, unit_target = {}, {}
    for s, cu, w, nd in links:
        u = (s, cu) if stock == "link" else (cu, industry[s])
        unit_of[(s, cu)] = u
        unit_a[u] = unit_a.get(u, 0.0) + w
        unit_target[u] = unit_target.get(u, 0.0) + max(nd, 1.0) * w
    S = {u: 0.0 for u in unit_target}
    for s, cu, w, nd in links:
        given = (initial_stock or {}).get((s, cu), math.nan)
        S[unit_of[(s, cu)]] += (max(nd, 1.0) if math.isnan(given) else given) * w
    flow = {(s, cu): w for s, cu, w, _ in links}
    unit_links = {}
    for k, u in unit_of.items():
        unit_links.setdefault(u, []).append(k)
    sells = {j: sorted(k for k in flow if k[0] == j) for j in range(n)}
    ind_a, ind_units = {}, {}
    for (s, cu), u in unit_of.items():
        key = (cu, industry[s])
        ind_a[key] = ind_a.get(key, 0.0) + flow[(s, cu)]
        ind_units.setdefault(key, set()).add(u)
    delivered = dict(flow)
    fulfil = {k: 1.0 for k in flow}
    P_prev, D_prev = list(x0), list(x0)
    out_P, out_fc, out_deliv, out_stock = [], [], [], []
    for day in range(days):
        for u in S:
            cu = u[1] if stock == "link" else u[0]
            recv = sum(delivered[k] for k in unit_links[u])
            S[u] = max(0.0, S[u] + recv - unit_a[u] * P_prev[cu] / x0[cu])
        unit_order = {}
        for u in S:
            cu = u[1] if stock == "link" else u[0]
            base = (D_prev[cu] if orders == "demand" else P_prev[cu]) / x0[cu]
            a, nA = unit_a[u], unit_target[u]
            if orders == "keep_initial_target":
                o = a * base + (nA - S[u]) / tau
            elif orders == "ignore_negative_gap" and nA * base - S[u] <= 0:
                o = a * base
            else:
                o = a * base + (nA * base - S[u]) / tau
            unit_order[u] = max(o, 0.0)
        order = {k: unit_order[u] * flow[k] / unit_a[u] for k, u in unit_of.items()}
        D = [c[i] + sum(order[k] for k in sells[i]) for i in range(n)]
        cut = cuts(day)
        P = []
        for i in range(n):
            lim = x0[i] * (1.0 - cut[i])
            for k in range(len(essential)):
                if (i, k) not in ind_a:
                    continue
                if leontief == "all" or essential[k][industry[i]] == 2:
                    lim = min(lim, x0[i] * sum(S[u] for u in ind_units[(i, k)]) / ind_a[(i, k)])
            P.append(min(lim, D[i]))
        fc = [0.0] * n
        new_deliv = {}
        for j in range(n):
            keys = sells[j]
            give, fc[j] = _ration(rationing, P[j], D[j], c[j], [order[k] for k in keys],
                                  [flow[k] for k in keys], [fulfil[k] for k in keys])
            for k, g in zip(keys, give):
                new_deliv[k] = g
        for k in flow:
            fulfil[k] = new_deliv[k] / order[k] if order[k] > 0 else 1.0
        delivered = new_deliv
        P_prev, D_prev = P, D
        out_P.append(P)
        out_fc.append(fc)
        out_deliv.append(dict(new_deliv))
        out_stock.append(dict(S))
    return out_P, out_fc, out_deliv, out_stock


def is_finite(values) -> bool:
    return all(math.isfinite(v) for v in values)
