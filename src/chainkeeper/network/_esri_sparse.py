"""Full-vector GL cascade with scipy sparse matrices (internal).

This is the straightforward engine: every step updates every firm of every
scenario in a batch (an ``n x B`` state matrix), using three sparse operators.
It needs only numpy/scipy, supports replaceability, and is the baseline the
frontier engine (:mod:`._esri_kernel`) is benchmarked against.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ._esri_ops import ESRIOperators, replace_factor


class SparseCascade:
    """Sparse operators of one :class:`ESRIOperators` for batched iteration."""

    def __init__(self, ops: ESRIOperators, s_out: np.ndarray):
        n = ops.n
        self.ops, self.s_out = ops, s_out
        supp = np.repeat(np.arange(n), np.diff(ops.out_ptr))
        es = ops.out_slot >= 0
        ne = (ops.out_slot < 0) & (ops.out_lamd > 0)
        self.ess = sp.csr_matrix((ops.out_lamd[es], (ops.out_slot[es], supp[es])),
                                 shape=(ops.n_slots, n))
        self.noness = sp.csr_matrix((ops.out_lamd[ne], (ops.out_cust[ne], supp[ne])),
                                    shape=(n, n))
        cust = np.repeat(np.arange(n), np.diff(ops.in_ptr))
        self.up = sp.csr_matrix((ops.in_lamu, (ops.in_supp, cust)), shape=(n, n))
        counts = np.diff(ops.slot_ptr)
        self.slot_owners = np.flatnonzero(counts > 0)
        self.slot_starts = ops.slot_ptr[self.slot_owners]

    def step(self, hd: np.ndarray, hu: np.ndarray, cap: np.ndarray):
        """One synchronous step of both states (all arrays n x B)."""
        lost = 1.0 - hd
        if self.ops.market is not None:
            lost = lost * replace_factor(self.ops, self.s_out, hd)
        new_d = np.minimum(cap, 1.0 - self.noness @ lost)
        if self.slot_owners.size:
            pi = 1.0 - self.ess @ lost
            ess_min = np.minimum.reduceat(pi, self.slot_starts, axis=0)
            new_d[self.slot_owners] = np.minimum(new_d[self.slot_owners], ess_min)
        np.maximum(new_d, 0.0, out=new_d)
        new_u = np.maximum(np.minimum(cap, 1.0 - self.up @ (1.0 - hu)), 0.0)
        return new_d, new_u

    def run(self, cap: np.ndarray, eps: float, max_iter: int):
        """Iterate every column of ``cap`` (n x B) until its own step changes <= eps.

        Returns ``(hd, hu, iterations)``.
        """
        hd, hu = cap.copy(), cap.copy()
        iters = np.zeros(cap.shape[1], dtype=np.int64)
        active = np.arange(cap.shape[1])
        it = 0
        while active.size and it < max_iter:
            it += 1
            c = cap[:, active]
            nd, nu = self.step(hd[:, active], hu[:, active], c)
            diff = np.maximum(np.abs(nd - hd[:, active]).max(axis=0, initial=0.0),
                              np.abs(nu - hu[:, active]).max(axis=0, initial=0.0))
            hd[:, active], hu[:, active] = nd, nu
            iters[active] = it
            active = active[diff > eps]
        return hd, hu, iters


def run_sparse(ops: ESRIOperators, s_out: np.ndarray, sc_ptr: np.ndarray, sc_idx: np.ndarray,
               sc_cap: np.ndarray, eps: float, max_iter: int, batch: int = 64):
    """Scores (S x 3, normalised), iterations (S,) and the last batch's states.

    Scenario ``s`` sets the capacity of firms ``sc_idx[sc_ptr[s]:sc_ptr[s+1]]``
    to ``sc_cap[...]``; all other firms keep capacity 1.
    """
    engine = SparseCascade(ops, s_out)
    n_sc = sc_ptr.shape[0] - 1
    scores = np.empty((n_sc, 3))
    iters = np.empty(n_sc, dtype=np.int64)
    w = ops.weights / ops.weights.sum()
    hd = hu = None
    for lo in range(0, n_sc, batch):
        hi = min(lo + batch, n_sc)
        cap = np.ones((ops.n, hi - lo))
        cols = np.repeat(np.arange(hi - lo), np.diff(sc_ptr[lo:hi + 1]))
        sl = slice(sc_ptr[lo], sc_ptr[hi])
        cap[sc_idx[sl], cols] = sc_cap[sl]
        hd, hu, it = engine.run(cap, eps, max_iter)
        scores[lo:hi, 0] = w @ (1.0 - np.minimum(hd, hu))
        scores[lo:hi, 1] = w @ (1.0 - hd)
        scores[lo:hi, 2] = w @ (1.0 - hu)
        iters[lo:hi] = it
    return scores, iters, hd, hu
