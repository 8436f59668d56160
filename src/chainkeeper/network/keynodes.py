"""Key nodes: single-source dependencies, supplier concentration, top firms.

Examples
--------
Firm 2 buys its only essential input industry (0) from firm 0 alone:

>>> from chainkeeper.network import SupplyNetwork
>>> net = SupplyNetwork.from_edges([0, 1], [2, 2], [3.0, 1.0], [0, 1, 2],
...                                [[0, 0, 2], [0, 0, 1], [0, 0, 0]])
>>> dep = single_source_dependencies(net)
>>> dep.customer.tolist(), dep.supplier.tolist(), dep.industry.tolist()
([2], [0], [0])
>>> critical_suppliers(net, 2).tolist()
[0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import LengthMismatchError, UnknownFirmError
from .esri import esri
from .network import SupplyNetwork

__all__ = [
    "SingleSource",
    "single_source_dependencies",
    "supplier_concentration",
    "top_by_group",
    "upstream_firms",
    "critical_suppliers",
]


@dataclass(frozen=True)
class SingleSource:
    """Essential inputs bought from exactly one supplier (one row per pair).

    Attributes
    ----------
    customer, supplier, industry : ndarray of int64
        The dependent firm, its only supplier of the essential input
        industry, and that industry.
    share : ndarray of float
        The link's share of the customer's total purchases.
    """

    customer: np.ndarray
    supplier: np.ndarray
    industry: np.ndarray
    share: np.ndarray

    def __len__(self) -> int:
        return int(self.customer.shape[0])


def single_source_dependencies(network: SupplyNetwork) -> SingleSource:
    """Find every (customer, essential industry) served by a single supplier.

    Returns
    -------
    SingleSource
        Sorted by customer, then industry.
    """
    net = network
    ess = np.flatnonzero(net.link_types() == 2)
    k = np.int64(net.n_industries)
    key = net.customer[ess] * k + net.industry[net.supplier[ess]]
    uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
    sole = ess[first[counts == 1]]
    cust = net.customer[sole]
    share = net.weight[sole] / net.s_in[cust]
    return SingleSource(cust, net.supplier[sole].copy(), uniq[counts == 1] % k, share)


@dataclass(frozen=True)
class Concentration:
    """Supplier concentration per industry (and group).

    Attributes
    ----------
    industry, group : ndarray of int64
        Industry and group label of each row (group is 0 without groups).
    hhi : ndarray of float
        Herfindahl-Hirschman index of the suppliers' sales shares, in (0, 1].
    n_suppliers : ndarray of int64
        Firms of that industry (and group) with sales to firms.
    """

    industry: np.ndarray
    group: np.ndarray
    hhi: np.ndarray
    n_suppliers: np.ndarray


def supplier_concentration(network: SupplyNetwork, groups: Any = None) -> Concentration:
    """HHI of suppliers' sales (out-strength) shares per industry (and group).

    Parameters
    ----------
    network : SupplyNetwork
    groups : array_like of int (n,), optional
        A label per firm (e.g. ``network.region``): one row per
        (industry, group) pair that has suppliers.

    Examples
    --------
    >>> net = SupplyNetwork.from_edges([0, 1, 2], [3, 3, 3], [1.0, 1.0, 2.0],
    ...                                [0, 0, 0, 1], [[1, 1], [1, 1]])
    >>> c = supplier_concentration(net)
    >>> c.industry.tolist(), c.hhi.tolist(), c.n_suppliers.tolist()
    ([0], [0.375], [3])
    """
    n = network.n_firms
    grp = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    if grp.shape != (n,):
        raise LengthMismatchError(f"groups must have shape ({n},), got {grp.shape}")
    sellers = np.flatnonzero(network.s_out > 0)
    pairs = np.stack([network.industry[sellers], grp[sellers]], axis=1)
    uniq, inv = np.unique(pairs, axis=0, return_inverse=True)
    inv = inv.ravel()
    s = network.s_out[sellers]
    total = np.bincount(inv, weights=s)
    hhi = np.bincount(inv, weights=(s / total[inv]) ** 2)
    count = np.bincount(inv)
    return Concentration(uniq[:, 0], uniq[:, 1], hhi, count)


def top_by_group(scores: Any, groups: Any, k: int = 10) -> dict[int, np.ndarray]:
    """The ``k`` highest-scoring firms of each group (e.g. chain or region).

    Parameters
    ----------
    scores : array_like (n,) or ESRIResult
        One score per firm (an all-firm ESRI result is accepted).
    groups : array_like of int (n,)
        Group label per firm; negative labels are ignored.
    k : int

    Returns
    -------
    dict
        ``{group: firm indices, highest score first}``.

    Examples
    --------
    >>> top_by_group([0.1, 0.5, 0.3, 0.2], [0, 0, 1, 1], k=1)
    {0: array([1]), 1: array([2])}
    """
    s = np.asarray(getattr(scores, "esri", scores), dtype=float)
    g = np.asarray(groups, dtype=np.int64)
    if s.shape != g.shape:
        raise LengthMismatchError(f"scores {s.shape} and groups {g.shape} differ in shape")
    firms = getattr(scores, "firms", None)
    firms = np.arange(s.shape[0]) if firms is None else np.asarray(firms)
    order = np.lexsort((-s, g))
    out: dict[int, np.ndarray] = {}
    sg = g[order]
    starts = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
    ends = np.r_[starts[1:], sg.shape[0]]
    for a, b in zip(starts, ends):
        if sg[a] >= 0:
            out[int(sg[a])] = firms[order[a:min(b, a + k)]]
    return out


def upstream_firms(network: SupplyNetwork, firm: int, max_depth: int | None = None) -> np.ndarray:
    """All direct and indirect suppliers of ``firm`` through relevant inputs.

    Only links whose input is non-essential or essential for the customer
    are followed.  Returns sorted indices (``firm`` itself excluded unless it
    lies on a cycle).
    """
    net = network
    if not 0 <= firm < net.n_firms:
        raise UnknownFirmError(f"firm {firm} not in 0..{net.n_firms - 1}")
    relevant = net.link_types()[net.in_order] > 0
    supp = net.supplier[net.in_order]
    seen = np.zeros(net.n_firms, dtype=bool)
    frontier = np.array([firm])
    depth = 0
    while frontier.size and (max_depth is None or depth < max_depth):
        depth += 1
        pos = _ranges(net.in_ptr[frontier], net.in_ptr[frontier + 1])
        nxt = np.unique(supp[pos[relevant[pos]]])
        nxt = nxt[~seen[nxt]]
        seen[nxt] = True
        frontier = nxt
    return np.flatnonzero(seen)


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(a, b)`` for every pair, vectorised."""
    lengths = ends - starts
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths)
    return offsets + np.arange(total, dtype=np.int64)


def critical_suppliers(
    network: SupplyNetwork,
    firm: int,
    *,
    min_loss: float = 1.0,
    eps: float = 0.01,
    max_depth: int | None = None,
) -> np.ndarray:
    """Upstream suppliers whose failure alone would stop ``firm``.

    Every upstream firm (see :func:`upstream_firms`) is failed in turn and
    the downstream GL cascade is run; a supplier is critical when the firm
    loses at least ``min_loss`` of its production (1.0 = stops completely).

    Returns
    -------
    ndarray of int64
        The critical suppliers, sorted by index.
    """
    cands = upstream_firms(network, firm, max_depth)
    cands = cands[cands != firm]
    if not cands.size:
        return cands
    w = np.zeros(network.n_firms)
    w[firm] = 1.0
    res = esri(network, firms=cands, weights=w, eps=eps)
    return cands[res.downstream >= min_loss - 1e-12]
