"""Rationing rules: how a short supplier splits its output among its customers.

The functions work on link arrays in CSR order (links grouped by supplier,
``out_ptr`` pointers) and return the quantity delivered on each link plus
what final demand receives.  They run the same compiled code as
:func:`chainkeeper.network.simulate`.  Each supplier's split is computed from
its own orders only (no running sum across suppliers).

=============================  ======================  =================================================
``simulate(rationing=...)``    authors' ``proNet -R``  rule
=============================  ======================  =================================================
``"proportional"``             0                       everyone gets the same share of its order
                                                       (Hallegatte 2008; Henriet & Hallegatte 2008)
``"final_demand_last"``        1                       firms first in equal shares, final demand last
``"priority"``                 2                       Inoue & Todo: every buyer (final demand, whose
                                                       ratio is 1, included) is served up to a common
                                                       ratio of delivery to its *pre-shock* order; the
                                                       lowest ratios of current to pre-shock order are
                                                       filled first (their "soothing" rounds)
``"priority_final_demand_last"``  3                    the same among firms, final demand last
``"least_fulfilled_first"``    --                      earlier chainkeeper rule: firms whose previous
                                                       order was least fulfilled come first, each served
                                                       in full; final demand last
=============================  ======================  =================================================

Examples
--------
Supplier 0 can make 6 but is asked 4 + 4 by two firms and 2 by consumers:

>>> import numpy as np
>>> ptr, orders = np.array([0, 2]), np.array([4.0, 4.0])
>>> d, fd = ration_proportional(np.array([6.0]), orders, ptr, np.array([2.0]))
>>> d.tolist(), fd.tolist()
([2.4, 2.4], [1.2])

With pre-shock orders 2 and 4, the first firm asks twice its usual order, the
second its usual one; final demand (ratio 1) and the second firm are served
up to the same ratio first:

>>> d, fd = ration_priority(np.array([6.0]), orders, ptr, np.array([2.0]), np.array([2.0, 4.0]))
>>> d.tolist(), fd.tolist()
([1.5, 3.0], [1.5])
"""

from __future__ import annotations

import numpy as np

from . import _sim_kernels as kern

__all__ = ["ration", "ration_proportional", "ration_priority", "ration_least_fulfilled_first",
           "RULE_CODES"]

RULE_CODES = {"proportional": 0, "final_demand_last": 1, "priority": 2, "priority_final_demand_last": 3,
              "least_fulfilled_first": 4}


def ration(
    rule: str,
    output: np.ndarray,
    orders: np.ndarray,
    out_ptr: np.ndarray,
    final_demand: np.ndarray,
    baseline_orders: np.ndarray | None = None,
    fulfilment: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Split each supplier's ``output`` among its link ``orders`` and final demand by ``rule``.

    Parameters
    ----------
    rule : str
        One of :data:`RULE_CODES`.
    output : ndarray (n,)
        What each supplier produced (at most its demand).
    orders : ndarray (m,)
        Orders per link (CSR order).
    out_ptr : ndarray (n + 1,)
        CSR pointers of the links.
    final_demand : ndarray (n,)
        Final demand addressed to each supplier.
    baseline_orders : ndarray (m,), optional
        Pre-shock orders (the priority rules); default ``orders``.
    fulfilment : ndarray (m,), optional
        Share of the previous order received (``least_fulfilled_first``);
        lower is served first; default 1.

    Returns
    -------
    delivered : ndarray (m,)
    final_delivered : ndarray (n,)
    """
    orders = np.asarray(orders, float)
    out_ptr = np.asarray(out_ptr, np.int64)
    final = np.asarray(final_demand, float)
    base = orders.copy() if baseline_orders is None else np.asarray(baseline_orders, float)
    if rule in ("priority", "priority_final_demand_last") and not (base > 0).all():
        raise ValueError("baseline_orders must be positive on every link (the priority rules divide by them)")
    fulfil = np.ones_like(orders) if fulfilment is None else np.asarray(fulfilment, float).copy()
    sup = np.repeat(np.arange(out_ptr.shape[0] - 1), np.diff(out_ptr))
    demand = np.bincount(sup, weights=orders, minlength=out_ptr.shape[0] - 1) + final
    avail = np.minimum(np.asarray(output, float), demand)
    zeros = np.zeros_like(demand)
    od, fc = np.zeros_like(orders), np.zeros_like(final)
    kern.ration(RULE_CODES[rule], out_ptr, base, demand, final, avail - demand, zeros,
                orders - base, od, fulfil, fc)
    return od + base, fc


def ration_proportional(output, orders, out_ptr, final_demand, supplier=None):
    """Every buyer (firms and final demand) gets the same share of its order (authors' ``-R 0``)."""
    return ration("proportional", output, orders, out_ptr, final_demand)


def ration_priority(output, orders, out_ptr, final_demand, baseline_orders):
    """Inoue & Todo's rule (authors' ``-R 2``): lowest ratio of order to pre-shock order first.

    Every buyer ``k`` (firm links, and final demand with ratio 1) receives
    ``baseline_k * min(ratio_k, lam)`` where ``lam`` is the level at which the
    supplier's output runs out.
    """
    return ration("priority", output, orders, out_ptr, final_demand, baseline_orders=baseline_orders)


def ration_least_fulfilled_first(output, orders, out_ptr, final_demand, fulfilment):
    """Earlier chainkeeper rule: least-fulfilled firm customers first, each in full; final demand last.

    Not the Inoue-Todo rule (that is :func:`ration_priority`).  Ties keep link order.
    """
    return ration("least_fulfilled_first", output, orders, out_ptr, final_demand, fulfilment=fulfilment)
