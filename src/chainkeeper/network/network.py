"""The :class:`SupplyNetwork`: firms, supply links and the essentiality of inputs.

A network is a set of ``n`` firms and ``m`` weighted links ``i -> j`` (firm ``i``
sells ``w`` to firm ``j``).  Every firm belongs to one industry ``0..K-1`` and a
``K x K`` matrix ``essential[k, l]`` in {0, 1, 2} says whether an input from
supplier industry ``k`` is irrelevant (0), non-essential (1) or essential (2)
for a customer in industry ``l``.

Links are stored sorted by (supplier, customer), i.e. in CSR order, with a
permutation giving the CSC (by customer) order, plus the firms' in- and
out-strengths.  The object is immutable; build it with
:meth:`SupplyNetwork.from_edges` or :meth:`SupplyNetwork.from_io_table`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from . import _validate as v
from .errors import EssentialityMatrixError, NetworkInputError

__all__ = ["SupplyNetwork", "essentiality_from_io"]


@dataclass(frozen=True, eq=False)
class SupplyNetwork:
    """An immutable firm-level supply network (see the module docstring).

    Attributes
    ----------
    supplier, customer : ndarray of int64, shape (m,)
        Link end points, sorted by supplier then customer (CSR order).
    weight : ndarray of float64, shape (m,)
        Sales of ``supplier`` to ``customer`` per period (strictly positive).
    industry : ndarray of int64, shape (n,)
        Industry ``0..K-1`` of each firm.
    essential : ndarray of int8, shape (K, K)
        Row = supplier industry, column = customer industry; 0/1/2.
    out_ptr, in_ptr : ndarray of int64, shape (n + 1,)
        CSR pointers: links of supplier ``i`` are ``out_ptr[i]:out_ptr[i+1]``;
        links of customer ``j`` are ``in_order[in_ptr[j]:in_ptr[j+1]]``.
    in_order : ndarray of int64, shape (m,)
        Link indices sorted by customer (CSC order).
    s_out, s_in : ndarray of float64, shape (n,)
        Out-strength (total sales to firms) and in-strength (total purchases).
    firm_ids : ndarray or None
        External firm identifiers (e.g. USCC strings), index-aligned.
    region : ndarray of int64 or None
        Region code per firm (any non-negative integer, e.g. a province code).
    inventory_days : ndarray of float64 or None, shape (m,)
        Target input inventory of the customer for this link, in days of use;
        NaN where unknown.
    industry_labels : tuple of str or None
        Names of the industries, index-aligned with ``0..K-1``.
    """

    supplier: np.ndarray
    customer: np.ndarray
    weight: np.ndarray
    industry: np.ndarray
    essential: np.ndarray
    out_ptr: np.ndarray
    in_ptr: np.ndarray
    in_order: np.ndarray
    s_out: np.ndarray
    s_in: np.ndarray
    firm_ids: np.ndarray | None = None
    region: np.ndarray | None = None
    inventory_days: np.ndarray | None = None
    industry_labels: tuple[str, ...] | None = None

    # ------------------------------------------------------------------ sizes
    @property
    def n_firms(self) -> int:
        """Number of firms ``n``."""
        return int(self.industry.shape[0])

    @property
    def n_links(self) -> int:
        """Number of links ``m`` (after merging duplicates and dropping zeros)."""
        return int(self.weight.shape[0])

    @property
    def n_industries(self) -> int:
        """Number of industries ``K`` (the size of the essentiality matrix)."""
        return int(self.essential.shape[0])

    def __repr__(self) -> str:
        return (f"SupplyNetwork(n_firms={self.n_firms}, n_links={self.n_links}, "
                f"n_industries={self.n_industries})")

    # ----------------------------------------------------------- constructors
    @classmethod
    def from_edges(
        cls,
        supplier: Sequence[Any] | np.ndarray,
        customer: Sequence[Any] | np.ndarray,
        weight: Sequence[float] | np.ndarray,
        industry: Sequence[int] | np.ndarray,
        essential: Any,
        *,
        firm_ids: Sequence[Any] | np.ndarray | None = None,
        region: Sequence[int] | np.ndarray | None = None,
        inventory_days: Sequence[float] | np.ndarray | None = None,
        industry_labels: Sequence[str] | None = None,
    ) -> "SupplyNetwork":
        """Build a network from link arrays.

        Parameters
        ----------
        supplier, customer : array_like, shape (m,)
            Link end points: integer firm indices ``0..n-1``, or, when
            ``firm_ids`` is given, firm identifiers found in ``firm_ids``.
        weight : array_like of float, shape (m,)
            Sales per link; must be finite and non-negative.  Zero-weight
            links are dropped and duplicate ``(supplier, customer)`` pairs are
            merged (weights summed, inventory days weight-averaged).
        industry : array_like of int, shape (n,)
            Industry ``0..K-1`` of every firm; ``n = len(industry)``.
        essential : array_like, shape (K, K)
            ``essential[k, l]`` in {0, 1, 2} for supplier industry ``k`` and
            customer industry ``l``.
        firm_ids : array_like, shape (n,), optional
            Unique external identifiers of the firms (index-aligned).
        region : array_like of int, shape (n,), optional
            Non-negative region code per firm.
        inventory_days : array_like of float, shape (m,), optional
            Customer's target inventory for the link in days (NaN = unknown).
        industry_labels : sequence of str, optional
            Names of the ``K`` industries.

        Returns
        -------
        SupplyNetwork

        Raises
        ------
        LengthMismatchError, InvalidWeightError, MissingIndustryError,
        UnknownFirmError, EssentialityMatrixError

        Examples
        --------
        >>> net = SupplyNetwork.from_edges([0, 1], [1, 2], [5.0, 2.0],
        ...                                industry=[0, 1, 2],
        ...                                essential=[[0, 2, 0], [0, 0, 1], [0, 0, 0]])
        >>> net
        SupplyNetwork(n_firms=3, n_links=2, n_industries=3)
        >>> net.s_out.tolist(), net.s_in.tolist()
        ([5.0, 2.0, 0.0], [0.0, 5.0, 2.0])
        """
        ind = v.industry_array(industry)
        n = ind.shape[0]
        ess = v.essential_matrix(essential, ind)
        ids = None if firm_ids is None else v.firm_id_array(firm_ids, n)
        src = v.firm_index(supplier, n, ids, "supplier")
        dst = v.firm_index(customer, n, ids, "customer")
        w = v.weight_array(weight, "weight")
        v.same_length(("supplier", src), ("customer", dst), ("weight", w))
        inv = None
        if inventory_days is not None:
            inv = v.inventory_array(inventory_days)
            v.same_length(("supplier", src), ("inventory_days", inv))
        reg = None if region is None else v.region_array(region, n)
        labels = None
        if industry_labels is not None:
            labels = tuple(str(x) for x in industry_labels)
            if len(labels) != ess.shape[0]:
                raise EssentialityMatrixError(
                    f"{len(labels)} industry labels for a {ess.shape[0]}x{ess.shape[0]} "
                    "essentiality matrix")
        src, dst, w, inv = _merge_links(src, dst, w, inv, n)
        return cls._assemble(src, dst, w, ind, ess, ids, reg, inv, labels)

    @classmethod
    def _assemble(cls, src, dst, w, ind, ess, ids, reg, inv, labels) -> "SupplyNetwork":
        n = ind.shape[0]
        out_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=out_ptr[1:])
        in_order = np.argsort(dst, kind="stable").astype(np.int64)
        in_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(dst, minlength=n), out=in_ptr[1:])
        s_out = np.bincount(src, weights=w, minlength=n).astype(np.float64)
        s_in = np.bincount(dst, weights=w, minlength=n).astype(np.float64)
        for a in (src, dst, w, ind, ess, out_ptr, in_ptr, in_order, s_out, s_in):
            a.setflags(write=False)
        return cls(src, dst, w, ind, ess, out_ptr, in_ptr, in_order, s_out, s_in,
                   ids, reg, inv, labels)

    @classmethod
    def from_io_table(
        cls,
        matrix: Any,
        *,
        sector: Sequence[Any] | np.ndarray | None = None,
        region: Sequence[Any] | np.ndarray | None = None,
        labels: Sequence[str] | None = None,
        essential: str | Any = "linear",
        threshold: float = 0.1,
    ) -> "SupplyNetwork":
        """Build a network whose nodes are the rows/columns of an input-output table.

        Parameters
        ----------
        matrix : array_like or sparse, shape (n, n)
            Intermediate flows; ``matrix[i, j]`` is what node ``i`` (supplier,
            row) sells to node ``j`` (buyer, column).  Diagonal flows are kept.
        sector : array_like, shape (n,), optional
            Sector of each node (any hashable codes).  Nodes of the same sector
            share an industry; the industries are the sorted distinct codes.
            By default every node is its own industry.
        region : array_like, shape (n,), optional
            Region/country of each node (any hashable codes), stored as integer
            codes ``0..R-1`` in sorted order of the distinct values.
        labels : sequence of str, optional
            Node labels (e.g. ``"CHN_c14"``), kept as ``firm_ids``.
        essential : {"linear", "leontief", "threshold"} or array_like (K, K)
            Essentiality rule: ``"linear"`` (default) makes every input
            non-essential (1), i.e. the linear input-output limit;
            ``"leontief"`` makes every used input essential (2); ``"threshold"``
            marks supplier sector ``k`` essential to buyer sector ``l`` when it
            provides at least ``threshold`` of ``l``'s total intermediate inputs
            (summed over regions) and non-essential otherwise.  An explicit
            ``K x K`` matrix is used as given.
        threshold : float, default 0.1
            Input-share threshold of the ``"threshold"`` rule.

        Returns
        -------
        SupplyNetwork

        Examples
        --------
        >>> z = [[1.0, 3.0], [2.0, 0.0]]
        >>> net = SupplyNetwork.from_io_table(z, labels=["A_c1", "A_c2"])
        >>> net.n_links, net.essential.tolist()
        (3, [[1, 1], [1, 1]])
        >>> SupplyNetwork.from_io_table(z, essential="threshold", threshold=0.5).essential.tolist()
        [[1, 2], [2, 0]]
        """
        z = sp.coo_matrix(matrix)
        if z.shape[0] != z.shape[1]:
            raise NetworkInputError(f"input-output matrix must be square, got {z.shape}")
        n = z.shape[0]
        if sector is None:
            ind = np.arange(n, dtype=np.int64)
            names: list[str] = [str(x) for x in (labels if labels is not None else range(n))]
        else:
            uniq, ind = np.unique(np.asarray(sector), return_inverse=True)
            names = [str(x) for x in uniq]
        v.same_length(("matrix rows", ind), *([("labels", np.asarray(labels))] if labels is not None else []))
        reg = None
        if region is not None:
            reg = np.unique(np.asarray(region), return_inverse=True)[1].astype(np.int64)
            v.same_length(("matrix rows", ind), ("region", reg))
        src, dst, w = z.row.astype(np.int64), z.col.astype(np.int64), np.asarray(z.data, float)
        w = v.weight_array(w, "input-output flow")
        ess = _io_essential(essential, src, dst, w, ind, len(names), threshold)
        net = cls.from_edges(src, dst, w, ind, ess, region=reg, industry_labels=names)
        if labels is not None:
            net = replace(net, firm_ids=v.firm_id_array(labels, n))
        return net

    # ------------------------------------------------------------- accessors
    def adjacency(self) -> sp.csr_matrix:
        """Weighted adjacency ``W`` (n x n, CSR), ``W[i, j]`` = sales of i to j.

        Examples
        --------
        >>> net = SupplyNetwork.from_edges([0], [1], [2.0], [0, 0], [[1]])
        >>> net.adjacency().toarray().tolist()
        [[0.0, 2.0], [0.0, 0.0]]
        """
        n = self.n_firms
        return sp.csr_matrix((self.weight, self.customer, self.out_ptr), shape=(n, n))

    def purchases_by_industry(self) -> sp.csr_matrix:
        """``Pi`` (n x K, CSR): ``Pi[j, k]`` = what firm j buys from industry k.

        Examples
        --------
        >>> net = SupplyNetwork.from_edges([0, 1], [2, 2], [1.0, 3.0], [0, 0, 1],
        ...                                [[1, 1], [1, 1]])
        >>> net.purchases_by_industry().toarray().tolist()
        [[0.0, 0.0], [0.0, 0.0], [4.0, 0.0]]
        """
        n, k = self.n_firms, self.n_industries
        pi = sp.coo_matrix((self.weight, (self.customer, self.industry[self.supplier])),
                           shape=(n, k))
        return pi.tocsr()

    def link_types(self) -> np.ndarray:
        """Essentiality (0/1/2) of each link for its customer, shape (m,)."""
        return self.essential[self.industry[self.supplier], self.industry[self.customer]]

    def final_demand(self, output: np.ndarray | None = None) -> np.ndarray:
        """Sales of each firm to final demand: ``output - s_out`` (clipped at 0).

        Without ``output`` the firm's output is taken as ``max(s_out, s_in)``
        (a firm sells at least what it buys), so final demand is
        ``max(0, s_in - s_out)``.
        """
        out = np.maximum(self.s_out, self.s_in) if output is None else np.asarray(output, float)
        return np.maximum(out - self.s_out, 0.0)


def _merge_links(src, dst, w, inv, n):
    """Drop zero-weight links, sort by (supplier, customer), merge duplicates."""
    keep = w > 0
    src, dst, w = src[keep], dst[keep], w[keep]
    inv = None if inv is None else inv[keep]
    key = src * np.int64(n) + dst
    order = np.argsort(key, kind="stable")
    key, src, dst, w = key[order], src[order], dst[order], w[order]
    inv = None if inv is None else inv[order]
    first = np.ones(key.shape[0], dtype=bool)
    first[1:] = key[1:] != key[:-1]
    if first.all():
        return src, dst, w, inv
    grp = np.cumsum(first) - 1
    w_sum = np.bincount(grp, weights=w)
    if inv is not None:
        known = ~np.isnan(inv)
        num = np.bincount(grp, weights=np.where(known, inv * w, 0.0))
        den = np.bincount(grp, weights=np.where(known, w, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            inv = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return src[first], dst[first], w_sum, inv


def essentiality_from_io(
    supplier: np.ndarray,
    customer: np.ndarray,
    weight: np.ndarray,
    industry: np.ndarray,
    n_industries: int,
    threshold: float = 0.1,
) -> np.ndarray:
    """Threshold rule: ``2`` where industry ``k`` supplies >= ``threshold`` of industry ``l``'s inputs.

    Input shares are computed on the industry-aggregated flows; pairs with
    some flow below the threshold are non-essential (1), pairs with no flow
    are irrelevant (0).

    Examples
    --------
    >>> essentiality_from_io(np.array([0, 1]), np.array([1, 1]), np.array([9.0, 1.0]),
    ...                      np.array([0, 1]), 2, threshold=0.5).tolist()
    [[0, 2], [0, 1]]
    """
    if not 0.0 <= threshold <= 1.0:
        raise NetworkInputError(f"threshold must be in [0, 1], got {threshold}")
    k = n_industries
    agg = np.zeros((k, k))
    np.add.at(agg, (industry[supplier], industry[customer]), weight)
    total = agg.sum(axis=0)
    share = np.divide(agg, total, out=np.zeros_like(agg), where=total > 0)
    ess = np.where(agg > 0, 1, 0).astype(np.int8)
    ess[(agg > 0) & (share >= threshold)] = 2
    return ess


def _io_essential(rule, src, dst, w, ind, k, threshold) -> np.ndarray:
    if isinstance(rule, str):
        if rule == "linear":
            return np.ones((k, k), dtype=np.int8)
        if rule == "leontief":
            return np.full((k, k), 2, dtype=np.int8)
        if rule == "threshold":
            return essentiality_from_io(src, dst, w, ind, k, threshold)
        raise EssentialityMatrixError(
            f"unknown essentiality rule {rule!r}; use 'linear', 'leontief', 'threshold' or a matrix")
    return np.asarray(rule)
