"""Shared helpers for the network-engine tests: fixture loader, dense reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chainkeeper.network import SupplyNetwork

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def glcascade():
    """The 500-firm network and GLcascade's ESRI (combined, downstream, upstream)."""
    d = FIXTURES / "esri"
    e = np.loadtxt(d / "edges.csv", delimiter=",", skiprows=1)
    p = np.loadtxt(d / "p.csv", skiprows=1).astype(int) - 1
    ess = np.loadtxt(d / "ess.csv", delimiter=",").astype(int)
    ref = np.loadtxt(d / "esri_glcascade.csv", delimiter=",", skiprows=1)
    net = SupplyNetwork.from_edges(e[:, 0].astype(int) - 1, e[:, 1].astype(int) - 1, e[:, 2], p, ess)
    return net, ref


def dense_cascade(W, p, ess, psi, eps=0.01, max_iter=10_000):
    """Plain dense GL cascade written from the paper's equations (test oracle).

    W[i, j]: sales of i to j; p: industry per firm; ess[k, l] in {0, 1, 2}.
    Returns (h_d, h_u, iterations).
    """
    n, K = len(p), ess.shape[0]
    s_in, s_out = W.sum(0), W.sum(1)
    Pi = np.zeros((n, K))
    for k in range(K):
        Pi[:, k] = W[p == k].sum(0)
    typ = ess[p[:, None], p[None, :]]
    with np.errstate(divide="ignore", invalid="ignore"):
        Ld = np.where(typ == 2, W / Pi[:, p].T, np.where(typ == 1, W / s_in[None, :], 0.0))
        Lu = W / s_out[:, None]
    Ld, Lu = np.nan_to_num(Ld), np.nan_to_num(Lu)
    ind = np.zeros((n, K))
    ind[np.arange(n), p] = 1
    ess_j = ess[:, p].T == 2
    non_j = ess[:, p].T == 1
    hd = 1 - psi
    hu = 1 - psi
    for it in range(1, max_iter + 1):
        pi = 1 - (Ld * (1 - hd)[:, None]).T @ ind
        a = np.where(ess_j, pi, np.inf).min(1)
        b = 1 - np.where(non_j, 1 - pi, 0).sum(1)
        nd = np.maximum(0, np.minimum(np.minimum(a, b), 1 - psi))
        nu = np.maximum(0, np.minimum(1 - psi, 1 - Lu @ (1 - hu)))
        diff = max(np.abs(nd - hd).max(), np.abs(nu - hu).max())
        hd, hu = nd, nu
        if diff <= eps:
            break
    return hd, hu, it


def dense_esri(W, p, ess, psi, eps=0.01):
    hd, hu, _ = dense_cascade(W, p, ess, psi, eps)
    w = W.sum(1)
    return w @ (1 - np.minimum(hd, hu)) / w.sum(), w @ (1 - hd) / w.sum(), w @ (1 - hu) / w.sum()


def random_network(seed: int, n: int = 30, K: int = 4, density: float = 0.15):
    """Small random network as (SupplyNetwork, dense W, p, ess)."""
    rng = np.random.default_rng(seed)
    W = rng.lognormal(0, 1, (n, n)) * (rng.random((n, n)) < density)
    np.fill_diagonal(W, 0)
    p = rng.integers(0, K, n)
    ess = rng.integers(0, 3, (K, K))
    i, j = np.nonzero(W)
    net = SupplyNetwork.from_edges(i, j, W[i, j], p, ess)
    return net, W, p, ess
