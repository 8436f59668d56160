"""The plain numpy ESRI cascade: the yardstick of issue 15 (one failed firm at a time, full-vector steps).

Written from the equations of Diem, Borsos, Reisch, Kertész, Thurner, "Quantifying firm-level economic systemic
risk from nation-wide supply networks", Sci. Rep. 12, 7719 (2022), Methods ("Generalized Leontief production
function", "Economic systemic risk index"), with the stopping rule and the joint synchronous update of the authors'
published GLcascade code (the 500-firm fixture of ``tests/fixtures/esri`` is its output).  It imports only numpy:
nothing of chainkeeper's engines (no scipy operators, no numba), so it is an independent implementation that the
benchmark checks against the engine (scores and iteration counts).

For a failed set with shock ``psi`` (here one firm, ``psi = 1``), starting from ``h_d = h_u = 1 - psi``:

* ``Pi_ik(t+1) = sum_{j in k} W_ji h_d_j(t) / sum_{j in k} W_ji``: the share of customer ``i``'s purchases from
  industry ``k`` still delivered;
* ``h_d_i(t+1) = max(0, min(1 - psi_i, min_{k essential to i} Pi_ik, 1 - sum_{k non-essential to i}
  (sum_{j in k} W_ji / s_in_i) (1 - Pi_ik)))`` (inputs of an irrelevant industry are ignored);
* ``h_u_i(t+1) = max(0, min(1 - psi_i, 1 - sum_j W_ij (1 - h_u_j(t)) / s_out_i))``;
* stop after the first step in which no element of ``h_d`` or ``h_u`` changed by more than ``eps``;
* ``ESRI = sum_j s_out_j (1 - min(h_d_j, h_u_j)) / sum_j s_out_j``.

Every step is vectorised over all links and all (customer, industry) pairs that occur (``np.bincount`` sums, no
Python loop over firms): the straightforward numpy code of the paper's iteration.  This is the yardstick by which
the issue quotes the published engines on the same synthetic networks (the authors' Julia ESRIcascade about 40x
it at 100,000 firms, their C++ fastcascade about 0.2x it); ``docs/benchmarks.md`` says which baseline gives which
ratio.
"""

from __future__ import annotations

import numpy as np


class PlainCascade:
    """Per-network arrays of the plain cascade (built once, like any implementation would)."""

    def __init__(self, net):
        src, dst, w = net.supplier, net.customer, net.weight
        n, K = net.n_firms, net.n_industries
        self.n, self.src, self.dst = n, src, dst
        kind = net.essential[net.industry[src], net.industry[dst]]      # 0 irrelevant, 1 non-essential, 2 essential
        rel = kind > 0
        self.rsrc, self.rw = src[rel], w[rel]
        # (customer, supplier industry) pairs that occur among the relevant links
        pair_key = dst[rel] * np.int64(K) + net.industry[src[rel]]
        keys, self.pair = np.unique(pair_key, return_inverse=True)
        self.n_pairs = keys.size
        self.pair_cust = keys // K
        self.pair_w = np.bincount(self.pair, weights=self.rw, minlength=self.n_pairs)  # sum_{j in k} W_ji
        pair_kind = np.zeros(self.n_pairs, dtype=np.int8)
        pair_kind[self.pair] = kind[rel]
        self.ess = pair_kind == 2
        self.ne = pair_kind == 1
        self.ne_share = np.where(self.ne, self.pair_w / np.where(net.s_in[self.pair_cust] > 0,
                                                                  net.s_in[self.pair_cust], 1.0), 0.0)
        self.ess_cust = self.pair_cust[self.ess]
        self.s_out = net.s_out
        safe_out = np.where(net.s_out > 0, net.s_out, 1.0)
        self.up_w = w / safe_out[src]                                    # W_ij / s_out_i per link

    def run(self, psi: np.ndarray, eps: float = 0.01, max_iter: int = 10_000):
        """Final ``(h_d, h_u, iterations)`` for the shock ``psi`` (n,)."""
        cap = 1.0 - psi
        hd, hu = cap.copy(), cap.copy()
        it = 0
        while it < max_iter:
            it += 1
            delivered = np.bincount(self.pair, weights=self.rw * hd[self.rsrc], minlength=self.n_pairs)
            Pi = delivered / self.pair_w
            ne_loss = np.bincount(self.pair_cust, weights=self.ne_share * (1.0 - Pi), minlength=self.n)
            nd = np.minimum(cap, 1.0 - ne_loss)
            np.minimum.at(nd, self.ess_cust, Pi[self.ess])
            np.maximum(nd, 0.0, out=nd)
            up_loss = np.bincount(self.src, weights=self.up_w * (1.0 - hu[self.dst]), minlength=self.n)
            nu = np.maximum(np.minimum(cap, 1.0 - up_loss), 0.0)
            diff = max(np.abs(nd - hd).max(), np.abs(nu - hu).max())
            hd, hu = nd, nu
            if diff <= eps:
                break
        return hd, hu, it

    def esri(self, firms, eps: float = 0.01, max_iter: int = 10_000):
        """ESRI (combined, downstream, upstream) and iterations of each firm's failure, one at a time."""
        w = self.s_out / self.s_out.sum()
        scores = np.empty((len(firms), 3))
        iters = np.empty(len(firms), dtype=np.int64)
        for q, f in enumerate(firms):
            psi = np.zeros(self.n)
            psi[int(f)] = 1.0
            hd, hu, iters[q] = self.run(psi, eps, max_iter)
            scores[q] = (w @ (1.0 - np.minimum(hd, hu)), w @ (1.0 - hd), w @ (1.0 - hu))
        return scores, iters
