"""Prepared ESRI operators (internal): the link weights of the GL cascade.

The downstream weights Lambda_d and upstream weights Lambda_u of Diem et al.
(2022) are stored per link, in the link orders the engines traverse:

* ``out_*`` arrays follow the network's CSR (by supplier) order;
* ``in_*`` arrays follow the CSC (by customer) order;
* every essential link belongs to a *slot* ``(customer j, supplier industry k)``;
  slots are numbered contiguously per customer (``slot_ptr``), and the
  essential production level of j for industry k is ``1 - slot_loss[slot]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import InvalidWeightError, LengthMismatchError
from .network import SupplyNetwork


@dataclass(frozen=True)
class ESRIOperators:
    """Per-link cascade weights of one network (see module docstring)."""

    n: int
    out_ptr: np.ndarray      # (n+1,) CSR pointers by supplier
    out_cust: np.ndarray     # (m,) customer of each link (CSR order)
    out_lamd: np.ndarray     # (m,) Lambda_d of the link, 0 for irrelevant inputs
    out_slot: np.ndarray     # (m,) slot of an essential link, -1 otherwise
    slot_ptr: np.ndarray     # (n+1,) slots of customer j are slot_ptr[j]:slot_ptr[j+1]
    in_ptr: np.ndarray       # (n+1,) CSC pointers by customer
    in_supp: np.ndarray      # (m,) supplier of each link (CSC order)
    in_lamu: np.ndarray      # (m,) Lambda_u of the link (CSC order)
    out_lamu: np.ndarray     # (m,) Lambda_u of the link (CSR order)
    in_lamd: np.ndarray      # (m,) Lambda_d of the link (CSC order)
    in_slot: np.ndarray      # (m,) slot of the link (CSC order)
    weights: np.ndarray      # (n,) aggregation weights of the ESRI
    market: np.ndarray | None  # (n,) market of each firm for replaceability, -1 = none

    @property
    def n_slots(self) -> int:
        return int(self.slot_ptr[-1])


def _positive_vector(x, n: int, what: str) -> np.ndarray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.shape != (n,):
        raise LengthMismatchError(f"{what} must have shape ({n},), got {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InvalidWeightError(f"{what} must be finite and non-negative")
    return arr


def prepare(
    net: SupplyNetwork,
    weights: np.ndarray | None = None,
    revenue: np.ndarray | None = None,
    market: np.ndarray | None = None,
) -> ESRIOperators:
    """Compute Lambda_d, Lambda_u and the slot structure for ``net``."""
    n = net.n_firms
    src, dst, w = net.supplier, net.customer, net.weight
    ind = net.industry
    types = net.link_types()
    lamd = np.zeros(net.n_links)
    # non-essential inputs: share of the customer's total purchases
    ne = types == 1
    lamd[ne] = w[ne] / net.s_in[dst[ne]]
    # essential inputs: share of the customer's purchases from that industry
    es = np.flatnonzero(types == 2)
    slot = np.full(net.n_links, -1, dtype=np.int64)
    key = dst[es] * np.int64(net.n_industries) + ind[src[es]]
    uniq, inv = np.unique(key, return_inverse=True)
    pi = np.bincount(inv, weights=w[es], minlength=uniq.shape[0])
    lamd[es] = w[es] / pi[inv]
    slot[es] = inv
    slot_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(uniq // net.n_industries, minlength=n), out=slot_ptr[1:])
    # upstream: share of the supplier's revenue
    rev = net.s_out if revenue is None else _positive_vector(revenue, n, "revenue")
    if revenue is not None and (rev[src] <= 0).any():
        raise InvalidWeightError("revenue must be positive for every firm that sells")
    lamu = w / rev[src]
    wts = net.s_out if weights is None else _positive_vector(weights, n, "weights")
    if wts.sum() <= 0:
        raise InvalidWeightError("ESRI weights sum to zero (a network without links?)")
    mkt = None
    if market is not None:
        mkt = np.asarray(market)
        if mkt.shape != (n,) or mkt.dtype.kind not in "iu":
            raise LengthMismatchError(f"market must be an integer array of shape ({n},)")
        mkt = mkt.astype(np.int64)
    order = net.in_order
    return ESRIOperators(
        n=n, out_ptr=net.out_ptr, out_cust=dst, out_lamd=lamd, out_slot=slot,
        slot_ptr=slot_ptr, in_ptr=net.in_ptr, in_supp=src[order],
        in_lamu=lamu[order], out_lamu=lamu, in_lamd=lamd[order], in_slot=slot[order],
        weights=wts, market=mkt,
    )


def replace_factor(ops: ESRIOperators, s_out: np.ndarray, hd: np.ndarray) -> np.ndarray:
    """Replaceability factor sigma (n x B) for downstream states ``hd`` (n x B).

    ``sigma_j = min(1, s_out(j) / sum_{l in market(j)} hd(l) s_out(l))``; firms
    without a market (code < 0) or whose market has no capacity left keep 1.
    """
    mkt = ops.market
    sigma = np.ones_like(hd)
    has = mkt >= 0
    if not has.any():
        return sigma
    codes, inv = np.unique(mkt[has], return_inverse=True)
    cap = np.zeros((codes.shape[0], hd.shape[1]))
    np.add.at(cap, inv, hd[has] * s_out[has, None])
    denom = cap[inv]
    ratio = np.divide(s_out[has, None], denom, out=np.ones_like(denom), where=denom > 0)
    sigma[has] = np.minimum(1.0, ratio)
    return sigma


def lane_layout(ops: ESRIOperators):
    """Compact link arrays of the batched full-sweep engine.

    Returns ``(d_ptr, d_ne_end, d_supp, d_lam, slot_end, u_cust)``: the
    downstream-relevant links (``Lambda_d > 0``) grouped by customer ``j``
    (``d_ptr[j]:d_ptr[j+1]``): first its non-essential inputs (up to
    ``d_ne_end[j]``), then its essential slots in slot order, slot ``q``
    ending at ``slot_end[q]`` (it starts where the previous slot of ``j``,
    or the non-essential run, ends).  ``d_supp`` and ``u_cust`` (customer of
    each link in CSR order) are int32 when the firm count allows.
    """
    n = ops.n
    itype = np.int32 if n < 2**31 - 1 else np.int64
    cust = np.repeat(np.arange(n, dtype=np.int64), np.diff(ops.in_ptr))
    keep = ops.in_lamd > 0
    c, slot = cust[keep], ops.in_slot[keep]
    order = np.lexsort((slot, c))  # by customer; non-essential (-1) first, then by slot
    c, slot = c[order], slot[order]
    d_supp = ops.in_supp[keep][order].astype(itype)
    d_lam = np.ascontiguousarray(ops.in_lamd[keep][order])
    d_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(c, minlength=n), out=d_ptr[1:])
    d_ne_end = d_ptr[:-1] + np.bincount(c[slot < 0], minlength=n)
    pos = np.flatnonzero(slot >= 0)
    slot_end = np.zeros(ops.n_slots, dtype=np.int64)
    if pos.size:
        # slots are numbered in (customer, industry) order, so they appear in order
        last = np.r_[slot[pos][1:] != slot[pos][:-1], True]
        slot_end[slot[pos][last]] = pos[last] + 1
    return d_ptr, d_ne_end, d_supp, d_lam, slot_end, ops.out_cust.astype(itype)
