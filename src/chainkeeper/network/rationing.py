"""Rationing rules: how a short supplier splits its output among its customers.

Both functions work on link arrays in CSR order (links grouped by supplier,
``out_ptr`` pointers) and return the quantity delivered on each link plus
what is left for final demand.

Examples
--------
Supplier 0 can make 6 but is asked 4 + 4 by two firms and 2 by consumers:

>>> import numpy as np
>>> ptr, orders = np.array([0, 2]), np.array([4.0, 4.0])
>>> d, fd = ration_proportional(np.array([6.0]), orders, ptr, np.array([2.0]))
>>> d.tolist(), fd.tolist()
([2.4, 2.4], [1.2])
>>> d, fd = ration_priority(np.array([6.0]), orders, ptr, np.array([2.0]),
...                         fulfilment=np.array([1.0, 0.5]))
>>> d.tolist(), fd.tolist()
([2.0, 4.0], [0.0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["ration_proportional", "ration_priority"]


def _link_supplier(out_ptr: np.ndarray) -> np.ndarray:
    return np.repeat(np.arange(out_ptr.shape[0] - 1), np.diff(out_ptr))


def ration_proportional(
    output: np.ndarray,
    orders: np.ndarray,
    out_ptr: np.ndarray,
    final_demand: np.ndarray,
    supplier: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Every buyer (firms and final demand) gets the same share of its order.

    Parameters
    ----------
    output : ndarray (n,)
        What each supplier produced.
    orders : ndarray (m,)
        Orders per link (CSR order).
    out_ptr : ndarray (n + 1,)
        CSR pointers of the links.
    final_demand : ndarray (n,)
        Final demand addressed to each supplier.
    supplier : ndarray (m,), optional
        Supplier of each link (computed from ``out_ptr`` if omitted).

    Returns
    -------
    delivered : ndarray (m,)
    final_delivered : ndarray (n,)
    """
    sup = _link_supplier(out_ptr) if supplier is None else supplier
    demand = np.bincount(sup, weights=orders, minlength=output.shape[0]) + final_demand
    share = np.divide(output, demand, out=np.ones_like(output), where=demand > 0)
    share = np.minimum(share, 1.0)
    return orders * share[sup], final_demand * share


def ration_priority(
    output: np.ndarray,
    orders: np.ndarray,
    out_ptr: np.ndarray,
    final_demand: np.ndarray,
    fulfilment: np.ndarray,
    supplier: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Inoue-Todo rule: the least-fulfilled customers are served first.

    A short supplier serves its firm customers in increasing order of
    ``fulfilment`` (the share of their previous order to it that they
    received; ties keep link order), each in full while output lasts; final
    demand gets what is left.  Suppliers that can meet all demand deliver in
    full.

    Parameters
    ----------
    output, orders, out_ptr, final_demand, supplier
        As in :func:`ration_proportional`.
    fulfilment : ndarray (m,)
        Priority key per link; lower is served first.

    Returns
    -------
    delivered : ndarray (m,)
    final_delivered : ndarray (n,)
    """
    sup = _link_supplier(out_ptr) if supplier is None else supplier
    n = output.shape[0]
    demand = np.bincount(sup, weights=orders, minlength=n) + final_demand
    short = output < demand
    delivered = orders.copy()
    final_out = final_demand.copy()
    if not short.any():
        return delivered, final_out
    links = np.flatnonzero(short[sup])
    # one stable sort on (supplier, fulfilment): fulfilment is clipped into [0, 1)
    key = sup[links] * 2.0 + np.clip(fulfilment[links], 0.0, 0.999999)
    links = links[np.argsort(key, kind="stable")]
    s = sup[links]
    o = orders[links]
    ahead = np.cumsum(o) - o                          # orders served before, all suppliers
    first = np.ones(s.shape[0], dtype=bool)
    first[1:] = s[1:] != s[:-1]
    base = np.maximum.accumulate(np.where(first, ahead, 0.0))  # value at the supplier's first link
    delivered[links] = np.clip(output[s] - (ahead - base), 0.0, o)
    served = np.bincount(sup[links], weights=delivered[links], minlength=n)
    final_out[short] = np.maximum(output[short] - served[short], 0.0)
    final_out[short] = np.minimum(final_out[short], final_demand[short])
    return delivered, final_out
