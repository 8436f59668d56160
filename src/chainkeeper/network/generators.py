"""Seeded synthetic supply networks for tests and benchmarks.

Examples
--------
>>> from chainkeeper.network.generators import power_law_network
>>> net = power_law_network(1000, seed=1)
>>> net.n_firms, 6000 < net.n_links < 9000
(1000, True)
"""

from __future__ import annotations

import numpy as np

from .network import SupplyNetwork

__all__ = ["power_law_network", "random_essentiality"]


def random_essentiality(
    n_industries: int,
    probs: tuple[float, float, float] = (0.5, 0.35, 0.15),
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Random ``K x K`` essentiality matrix with P(0), P(1), P(2) = ``probs``.

    Examples
    --------
    >>> m = random_essentiality(4, seed=0)
    >>> m.shape, set(np.unique(m)) <= {0, 1, 2}
    ((4, 4), True)
    """
    rng = np.random.default_rng(seed)
    p = np.asarray(probs, dtype=float)
    return rng.choice(3, size=(n_industries, n_industries), p=p / p.sum()).astype(np.int8)


def _pareto_degrees(rng, n, mean, cap, alpha):
    """Discrete power-law degrees in [1, cap] with mean close to ``mean``."""
    raw = rng.pareto(alpha - 1.0, size=n) + 1.0  # P(x) ~ x^-alpha, x >= 1
    scale = mean
    for _ in range(20):  # rescale until the capped mean hits the target
        d = np.clip(np.rint(raw * scale / raw.mean()), 1, cap)
        scale *= mean / d.mean()
    return d.astype(np.int64)


def _capped_fitness(rng, n, m, cap, alpha):
    """Customer attractiveness with expected in-degree <= cap."""
    f = rng.pareto(alpha - 1.0, size=n) + 1.0
    for _ in range(50):
        expected = m * f / f.sum()
        over = expected > cap
        if not over.any():
            break
        f[over] *= cap / expected[over]
    return f / f.sum()


def power_law_network(
    n_firms: int,
    mean_out_degree: float = 8.0,
    degree_cap: int = 128,
    n_industries: int = 20,
    *,
    n_regions: int = 31,
    alpha: float = 2.5,
    essential_probs: tuple[float, float, float] = (0.5, 0.35, 0.15),
    inventory_days: bool = False,
    seed: int | None = None,
) -> SupplyNetwork:
    """A random directed supply network with power-law degrees.

    Each firm draws an out-degree from a power law (exponent ``alpha``)
    rescaled to ``mean_out_degree`` and capped at ``degree_cap``; customers are
    drawn in proportion to a power-law attractiveness capped so that the
    expected in-degree is at most ``degree_cap``.  Self-loops are dropped and
    duplicate links merged, so the number of links is slightly below
    ``n_firms * mean_out_degree``.  Weights are log-normal (sigma 1.5) times
    the supplier's size factor; industries and regions are uniform; the
    essentiality matrix is :func:`random_essentiality`.

    Parameters
    ----------
    n_firms : int
    mean_out_degree : float, default 8
    degree_cap : int, default 128
    n_industries : int, default 20
    n_regions : int, default 31
        Region codes are ``0..n_regions-1``.
    alpha : float, default 2.5
        Exponent of the degree distributions.
    essential_probs : (p0, p1, p2)
        Probabilities of irrelevant / non-essential / essential industry pairs.
    inventory_days : bool, default False
        Also draw per-link inventory targets (uniform 5..30 days).
    seed : int, optional

    Returns
    -------
    SupplyNetwork

    Examples
    --------
    >>> a = power_law_network(200, seed=3)
    >>> b = power_law_network(200, seed=3)
    >>> bool((a.weight == b.weight).all())
    True
    """
    rng = np.random.default_rng(seed)
    deg = _pareto_degrees(rng, n_firms, mean_out_degree, degree_cap, alpha)
    m = int(deg.sum())
    fit = _capped_fitness(rng, n_firms, m, degree_cap, alpha)
    src = np.repeat(np.arange(n_firms, dtype=np.int64), deg)
    dst = rng.choice(n_firms, size=m, p=fit)
    size = rng.lognormal(0.0, 1.0, size=n_firms)
    w = rng.lognormal(0.0, 1.5, size=m) * size[src]
    keep = src != dst
    src, dst, w = src[keep], dst[keep], w[keep]
    industry = rng.integers(0, n_industries, size=n_firms)
    region = rng.integers(0, n_regions, size=n_firms)
    ess = random_essentiality(n_industries, essential_probs, rng)
    inv = rng.uniform(5.0, 30.0, size=src.shape[0]) if inventory_days else None
    return SupplyNetwork.from_edges(src, dst, w, industry, ess, region=region,
                                    inventory_days=inv)
