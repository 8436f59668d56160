"""Does a network return to its steady state?  The linearised one-day map of :func:`simulate`.

Around the baseline, with stocks plentiful and no supplier short, production
follows demand and the simulation is a linear map of the deviations
(stock ``s`` per unit, production ``p`` today and yesterday).  With the
authors' order rule a firm whose production moved by a share ``q`` orders
``A q (1 + n / tau) - s / tau`` more of each input: a change in production is
passed upstream with the *order gain* ``1 + n / tau`` (3.5 for the defaults
``n = 15``, ``tau = 6``).  Along the cycles of a network these orders come
back as demand; when the spectral radius of the map exceeds one, any
deviation (a shock, or a rounding error of 1e-16) grows geometrically, and
the economy oscillates and collapses instead of returning to the baseline.

:func:`stability` computes that spectral radius: dense eigenvalues up to
``DENSE_MAX`` state variables, ARPACK (``scipy.sparse.linalg.eigs``) above.

Examples
--------
Two firms that sell each other 1 a day: with 3 a day to consumers each the loop
damps deviations; with 1 a day the orders it passes round outgrow what leaks
to consumers:

>>> import numpy as np
>>> from chainkeeper.network import SupplyNetwork
>>> net = SupplyNetwork.from_edges([0, 1], [1, 0], [1.0, 1.0], [0, 0], [[2]])
>>> stability(net, output=np.array([4.0, 4.0])).verdict
'stable'
>>> r = stability(net, output=np.array([2.0, 2.0]))
>>> r.verdict, round(r.spectral_radius, 2), r.order_gain
('unstable', 1.91, 3.5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse.linalg as spla

from ._sim_model import SimModel
from .errors import ScenarioError
from .network import SupplyNetwork

__all__ = ["StabilityReport", "stability", "DENSE_MAX", "ORDER_RULES"]

DENSE_MAX = 2500
#: order rules of :func:`simulate` (see there) and the authors' ``-o`` option each reproduces
ORDER_RULES = {"realised": 0, "keep_initial_target": 1, "ignore_negative_gap": 2, "demand": 3}
MARGIN = 1e-6


@dataclass(frozen=True)
class StabilityReport:
    """Verdict on the steady state of a network under given model parameters.

    Attributes
    ----------
    verdict : {"stable", "marginal", "unstable", "unchecked"}
        ``stable``: small deviations die out (spectral radius below
        ``1 - 1e-6``); ``marginal``: they neither grow nor fade (radius 1, e.g.
        a closed loop of firms with no final demand); ``unstable``: they grow;
        ``unchecked``: not computed (network too large for the automatic check).
    spectral_radius : float or None
        Largest modulus of the eigenvalues of the linearised one-day map.
    order_gain : float
        ``1 + n / tau`` with ``n`` the largest stock target in days (1 under
        ``orders="keep_initial_target"``).
    method : str
        ``"dense"``, ``"arpack"`` or ``"none"``.
    """

    verdict: Literal["stable", "marginal", "unstable", "unchecked"]
    spectral_radius: float | None
    order_gain: float
    method: str

    @property
    def growth_per_day(self) -> float | None:
        """Factor by which the slowest-dying (or fastest-growing) deviation changes per day."""
        return self.spectral_radius


def stability(
    network: SupplyNetwork,
    *,
    output: np.ndarray | None = None,
    inventory_days: float = 15.0,
    tau: float = 6.0,
    orders: str = "realised",
    stock: str = "link",
    leontief: str = "essential",
    tol: float = 1e-9,
) -> StabilityReport:
    """Spectral radius of the linearised one-day map of :func:`simulate` and a verdict.

    The parameters mean what they mean in :func:`simulate`.  Rationing and the
    Leontief rule do not enter (no supplier is short near the baseline).  Under
    ``orders="ignore_negative_gap"`` the map is the one of the authors' rule on
    the side where stocks are below target (the side that can grow).
    """
    if orders not in ORDER_RULES:
        raise ScenarioError(f"unknown order rule {orders!r}; use one of {', '.join(ORDER_RULES)}")
    if not tau > 0:
        raise ScenarioError("tau must be > 0")
    mdl = SimModel(network, output, inventory_days, leontief, stock)
    keep = orders == "keep_initial_target"
    max_days = float((mdl.unit_ta / mdl.unit_a).max()) if mdl.unit_a.size else float(inventory_days)
    gain = 1.0 if keep else 1.0 + max_days / tau
    op = _one_day_map(mdl, tau, keep)
    dim = op.shape[0]
    if dim == 0:
        return StabilityReport("stable", 0.0, gain, "dense")
    if dim <= DENSE_MAX:
        dense = op.matmat(np.eye(dim))
        rho = float(np.abs(np.linalg.eigvals(dense)).max())
        method = "dense"
    else:
        rho = _arpack_radius(op, tol)
        method = "arpack"
    return StabilityReport(_verdict(rho), rho, gain, method)


def _verdict(rho: float) -> str:
    if rho < 1.0 - MARGIN:
        return "stable"
    return "marginal" if rho <= 1.0 + MARGIN else "unstable"


def _arpack_radius(op: spla.LinearOperator, tol: float) -> float:
    rng = np.random.default_rng(0)
    v0 = rng.standard_normal(op.shape[0])
    try:
        vals = spla.eigs(op, k=1, which="LM", v0=v0, tol=tol, maxiter=5000, ncv=min(op.shape[0] - 1, 40),
                         return_eigenvectors=False)
        return float(np.abs(vals).max())
    except spla.ArpackNoConvergence as exc:  # pragma: no cover - fall back on what converged
        if len(exc.eigenvalues):
            return float(np.abs(exc.eigenvalues).max())
        raise


def _one_day_map(mdl: SimModel, tau: float, keep: bool) -> spla.LinearOperator:
    """The state (s per unit, p today, p yesterday) -> the same one day later, demand-bound regime."""
    nu, n = mdl.unit_a.shape[0], mdl.n
    a, ta, x0 = mdl.unit_a, mdl.unit_ta, mdl.x0
    cu = mdl.unit_cust
    share, sup, lu = mdl.l_share, mdl.l_sup, mdl.link_unit
    safe_x0 = np.where(x0 > 0, x0, 1.0)

    def orders(s, q):
        qu = q[cu]
        return a * qu - s / tau if keep else a * qu + (ta * qu - s) / tau

    def step(v):
        s, p, pp = v[:nu], v[nu:nu + n], v[nu + n:]
        o_today = orders(s, pp / safe_x0)
        s_next = s + o_today - a * (p / safe_x0)[cu]
        o_next = orders(s_next, p / safe_x0)
        d_next = np.bincount(sup, weights=share * o_next[lu], minlength=n)
        return np.concatenate([s_next, d_next, p])

    def matmat(x):
        return np.column_stack([step(x[:, c]) for c in range(x.shape[1])])

    dim = nu + 2 * n
    return spla.LinearOperator((dim, dim), matvec=step, matmat=matmat, dtype=np.float64)
