"""Economic Systemic Risk Index (Diem et al., Scientific Reports 12, 7719, 2022).

The generalised Leontief (GL) cascade propagates a production shock ``psi``
downstream (missing inputs: essential inputs act as a Leontief bottleneck per
supplier industry, non-essential ones linearly) and upstream (missing
customers: linear in the lost share of sales).  Both states start at
``1 - psi`` and are updated synchronously and *jointly*; the cascade stops at
the first step in which no element of either state changes by more than
``eps``.  This matches the authors' reference code GLcascade to ~1e-15 on the
bundled fixture.

``ESRI = sum_i w_i (1 - min(h_d(i), h_u(i))) / sum_i w_i`` with ``w`` the
out-strength by default.

Examples
--------
A chain 0 -> 1 -> 2 in which every input is essential: the failure of the
first firm stops the whole chain.

>>> from chainkeeper.network import SupplyNetwork, esri
>>> net = SupplyNetwork.from_edges([0, 1], [1, 2], [1.0, 1.0], [0, 1, 2],
...                                [[0, 2, 0], [0, 0, 2], [0, 0, 0]])
>>> res = esri(net, firms=[0], weights=[1.0, 1.0, 1.0])
>>> float(res.esri[0]), res.h_d.tolist()
(1.0, [0.0, 0.0, 0.0])
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable, Literal

import numpy as np
import scipy.sparse as sp

from ._esri_ops import lane_layout, prepare
from ._esri_order import locality_order, renumbered
from ._esri_sparse import run_sparse
from .errors import ShockError, UnknownFirmError
from .network import SupplyNetwork

__all__ = ["ESRIResult", "esri", "numba_available", "ConvergenceWarning"]

Engine = Literal["auto", "frontier", "sparse"]

#: A frontier step that reaches more than this share of all links makes the
#: engine switch that direction to full sweeps for the rest of the scenario
#: (single-scenario runs, which return the final states).
SWITCH_FRACTION = 0.125
#: In multi-scenario runs, a scenario whose frontier step reaches more than
#: this share of all links moves to a lane of the batched full-sweep engine
#: (a lane step costs a small fraction of a single-scenario sweep, so this is
#: lower; 1/16 to 1/64 measured the same at 100k firms).
HANDOVER_FRACTION = 1 / 32
#: Scenarios a worker's batched full-sweep engine steps together: the most (a power of two,
#: at most ``LANES_MAX``) whose four loss arrays (n x lanes float64) fit in ``LANE_BYTES``.
#: Measured per scenario and step (2026-12-06, Xeon with a 300 MB L3): 32 lanes cost about
#: half of 4 at 10k and 100k firms; above 100k firms the lane count falls to keep memory flat.
LANES_MAX = 32
LANES_MIN = 4
LANE_BYTES = 128 * 2**20
#: Above this lane-state size (four n x lanes float64 arrays) and up to ``SPLIT_SCENARIOS`` scenarios per call,
#: the workers share ONE lane state, each sweeping its share of the rows (``_esri_split``): the lanes drain once,
#: not once per worker (at 100k firms 66 instead of 89 sweeps for 200 scenarios, 264 instead of 286 for 1,000),
#: and every thread starts scenarios into the free lanes on its own frontier workspace; beyond a few hundred
#: scenarios the drain tails matter little.  At 10k firms (10 MB) the split's critical path equals a state per
#: worker's (0.81 vs 0.79 ms per failed firm in thread CPU time), so it starts above 32 MB (~31,000 firms).
#: Lanes esri6 and esri7 in docs/benchmarks.md.
SPLIT_BYTES = 32 * 2**20
SPLIT_SCENARIOS = 512


class ConvergenceWarning(UserWarning):
    """A cascade hit ``max_iter`` before its changes fell below ``eps``."""


@dataclass(frozen=True)
class ESRIResult:
    """Scores of a set of shock scenarios.

    Attributes
    ----------
    esri, downstream, upstream : ndarray, shape (S,)
        Combined, downstream-only and upstream-only systemic risk index of
        each scenario (share of weighted production lost, in [0, 1]).
    firms : ndarray of int64 or None, shape (S,)
        The failed firm of each scenario (``None`` for a shock matrix).
    iterations : ndarray of int64, shape (S,)
        Cascade steps taken by each scenario.
    h_d, h_u : ndarray or None, shape (n,)
        Final downstream / upstream production levels, only for one scenario.
    """

    esri: np.ndarray
    downstream: np.ndarray
    upstream: np.ndarray
    firms: np.ndarray | None
    iterations: np.ndarray
    h_d: np.ndarray | None = None
    h_u: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.esri.shape[0])

    @property
    def h(self) -> np.ndarray | None:
        """Combined final level ``min(h_d, h_u)`` (one scenario only)."""
        return None if self.h_d is None else np.minimum(self.h_d, self.h_u)

    def top(self, k: int = 10) -> np.ndarray:
        """Indices of the ``k`` scenarios with the highest ESRI, highest first.

        Examples
        --------
        >>> r = ESRIResult(np.array([.1, .3, .2]), np.zeros(3), np.zeros(3), None,
        ...                np.ones(3, dtype=np.int64))
        >>> r.top(2).tolist()
        [1, 2]
        """
        order = np.argsort(-self.esri, kind="stable")
        return order[:k]


def numba_available() -> bool:
    """Whether the compiled frontier engine can be used (``numba`` installed)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _scenarios(n: int, firms: Any, shock: Any):
    """Turn ``firms`` / ``shock`` into CSR-like scenario arrays (ptr, idx, cap)."""
    if firms is not None and shock is not None:
        raise ShockError("give either firms or shock, not both")
    if shock is None:
        f = np.arange(n, dtype=np.int64) if firms is None else np.atleast_1d(np.asarray(firms))
        if f.ndim != 1 or (f.size and f.dtype.kind not in "iu"):
            raise UnknownFirmError("firms must be a 1-D array of integer firm indices")
        f = f.astype(np.int64)
        if f.size and (f.min() < 0 or f.max() >= n):
            raise UnknownFirmError(f"firm index out of range 0..{n - 1}")
        return np.arange(f.size + 1, dtype=np.int64), f, np.zeros(f.size), f
    mat = sp.csr_matrix(np.atleast_2d(shock) if not sp.issparse(shock) else shock, dtype=np.float64)
    if mat.shape[1] != n:
        raise ShockError(f"shock must have {n} columns (one per firm), got shape {mat.shape}")
    data = mat.data
    if not np.isfinite(data).all() or (data < 0).any() or (data > 1).any():
        raise ShockError("shock values must be finite and in [0, 1]")
    mat.eliminate_zeros()
    mat.sum_duplicates()
    return (mat.indptr.astype(np.int64), mat.indices.astype(np.int64),
            1.0 - mat.data, None)


def _pick_engine(engine: str, market: Any, net: SupplyNetwork) -> str:
    if engine not in ("auto", "frontier", "sparse"):
        raise ValueError(f"engine must be 'auto', 'frontier' or 'sparse', got {engine!r}")
    if engine == "frontier" and market is not None:
        raise ValueError("replaceability (market=...) is only supported by engine='sparse'")
    if engine == "auto":
        # the compiled engine's batched full sweeps also win on dense input-output tables (WIOD: 1.2 s vs 2.0 s)
        return "frontier" if market is None and numba_available() else "sparse"
    return engine


def esri(
    network: SupplyNetwork,
    firms: Any = None,
    shock: Any = None,
    *,
    eps: float = 0.01,
    weights: Any = None,
    revenue: Any = None,
    market: Any = None,
    engine: Engine = "auto",
    max_iter: int = 10_000,
    block: int = 4096,
    progress: Callable[[int, int], None] | None = None,
) -> ESRIResult:
    """Economic Systemic Risk Index of single-firm failures or given shocks.

    Parameters
    ----------
    network : SupplyNetwork
    firms : int or array_like of int, optional
        Firms whose complete failure is simulated, one scenario each.  By
        default every firm (the ESRI of all firms).
    shock : array_like or sparse, shape (n,) or (S, n), optional
        Shock ``psi`` per scenario and firm (firm keeps ``1 - psi`` of its
        production), instead of ``firms``.
    eps : float, default 0.01
        Stop when no element of ``h_d`` or ``h_u`` changes by more than ``eps``.
    weights : array_like, shape (n,), optional
        Aggregation weights of the index (default: out-strength).
    revenue : array_like, shape (n,), optional
        Divide upstream losses by this revenue instead of the out-strength.
    market : array_like of int, shape (n,), optional
        Market of each firm (-1: none) for supplier replaceability:
        a supplier's downstream loss is scaled by
        ``sigma_j = min(1, s_out(j) / sum_{l in market(j)} h_d(l) s_out(l))``.
        Needs ``engine="sparse"`` (chosen automatically).
    engine : {"auto", "frontier", "sparse"}
        ``"frontier"``: compiled worklist engine (needs numba); with several
        scenarios, cascades that go global continue in a batched full-sweep
        engine (several scenarios per pass over the links), on all numba threads;
        ``"sparse"``: full-vector scipy iteration, batched over scenarios;
        ``"auto"``: frontier, except with replaceability or without numba.
    max_iter : int, default 10000
        Safety cap on cascade steps (a :class:`ConvergenceWarning` is issued).
    block : int, default 4096
        Scenarios per engine call (the granularity of ``progress``).
    progress : callable(done, total), optional
        Called after each block of scenarios.

    Returns
    -------
    ESRIResult
        Scores per scenario; with exactly one scenario also the final
        ``h_d`` and ``h_u`` (who is hit, and how much).

    Raises
    ------
    UnknownFirmError, ShockError, InvalidWeightError

    Examples
    --------
    Firm 2 buys non-essential inputs from 0 and 1 (3:1); firm 0 fails.

    >>> net = SupplyNetwork.from_edges([0, 1], [2, 2], [3.0, 1.0], [0, 0, 1],
    ...                                [[0, 1], [0, 0]])
    >>> r = esri(net, firms=[0], weights=[1.0, 1.0, 1.0])
    >>> r.h_d.tolist(), r.h_u.tolist()
    ([0.0, 1.0, 0.25], [0.0, 1.0, 1.0])
    >>> round(float(r.esri[0]), 6)
    0.583333
    """
    if not eps >= 0:
        raise ValueError(f"eps must be >= 0, got {eps}")
    n = network.n_firms
    ptr, idx, cap, failed = _scenarios(n, firms, shock)
    ops = prepare(network, weights=weights, revenue=revenue, market=market)
    which = _pick_engine(engine, market, network)
    n_sc = ptr.shape[0] - 1
    scores = np.zeros((n_sc, 3))
    iters = np.zeros(n_sc, dtype=np.int64)
    hd = hu = None
    if which == "frontier" and n_sc == 1:
        # one scenario: run it once, keeping the final states, and score those
        h_d, h_u, iters[0] = _frontier_states(ops, idx, cap, eps, max_iter)
        w = ops.weights / ops.weights.sum()
        scores[0] = (w @ (1.0 - np.minimum(h_d, h_u)), w @ (1.0 - h_d), w @ (1.0 - h_u))
        if progress is not None:
            progress(1, 1)
        _warn_max_iter(iters, max_iter)
        return ESRIResult(esri=scores[:, 0], downstream=scores[:, 1], upstream=scores[:, 2],
                          firms=failed, iterations=iters, h_d=h_d, h_u=h_u)
    if which == "frontier":
        # the lanes gather each link's loss row: number the firms so that a run's rows are close together
        # (the scores are per scenario, so only the shocked firms are mapped)
        order = locality_order(network, n_sc)
        if order is not None:
            ops, new_id = renumbered(ops, order)
            idx = new_id[idx]
    layout = lane_layout(ops) if which == "frontier" else None
    for lo in range(0, max(n_sc, 1), block):
        hi = min(lo + block, n_sc)
        sub_ptr = ptr[lo:hi + 1] - ptr[lo]
        sl = slice(ptr[lo], ptr[hi])
        if which == "frontier":
            s, it = _frontier(ops, layout, sub_ptr, idx[sl], cap[sl], eps, max_iter)
        else:
            s, it, hd, hu = run_sparse(ops, network.s_out, sub_ptr, idx[sl], cap[sl], eps, max_iter)
        scores[lo:hi], iters[lo:hi] = s, it
        if progress is not None:
            progress(hi, n_sc)
    _warn_max_iter(iters, max_iter)
    h_d = h_u = None
    if n_sc == 1:
        h_d, h_u = hd[:, 0], hu[:, 0]
    return ESRIResult(esri=scores[:, 0], downstream=scores[:, 1], upstream=scores[:, 2],
                      firms=failed, iterations=iters, h_d=h_d, h_u=h_u)


def _warn_max_iter(iters, max_iter):
    if (iters >= max_iter).any():
        warnings.warn(f"{int((iters >= max_iter).sum())} cascades reached max_iter={max_iter}",
                      ConvergenceWarning, stacklevel=3)


def _kernel_args(ops):
    return (ops.out_ptr, ops.out_cust, ops.out_lamd, ops.out_slot, ops.slot_ptr,
            ops.in_ptr, ops.in_supp, ops.in_lamu, ops.out_lamu, ops.in_lamd, ops.in_slot)


def lanes_for(n: int, n_scenarios: int) -> int:
    """Lanes per worker for ``n`` firms and ``n_scenarios`` scenarios (see ``LANES_MAX``)."""
    lanes = LANES_MIN
    while (lanes * 2 <= LANES_MAX and 32 * n * lanes * 2 <= LANE_BYTES
           and lanes * 2 <= max(LANES_MIN, n_scenarios)):
        lanes *= 2
    return lanes


def _switch(ops, fraction: float = SWITCH_FRACTION) -> int:
    """Links a push step may reach before the engine switches to full sweeps."""
    return max(1, int(ops.out_cust.shape[0] * fraction))


#: Scenarios a worker takes from the shared queue at a time.
GRAB = 4


def _frontier(ops, layout, ptr, idx, cap, eps, max_iter):
    import threading

    import numba

    from ._esri_kernel import _new_workspace, new_lanes, run_scenarios

    n_sc = ptr.shape[0] - 1
    if layout is None:
        layout = lane_layout(ops)
    scores = np.zeros((n_sc, 3))
    iters = np.zeros(n_sc, dtype=np.int64)
    n_workers = max(1, min(numba.get_num_threads(), n_sc))
    lanes = lanes_for(ops.n, -(-n_sc // n_workers))
    if _splits(ops.n, n_sc, n_workers):
        return _frontier_split(ops, layout, ptr, idx, cap, eps, max_iter, n_workers)
    head = [0]
    lock = threading.Lock()
    common = _scenario_args(ops, layout, ptr, idx, cap, eps, max_iter)
    errors = []

    def work():
        # one workspace per worker; scenarios come from a shared queue in groups
        # of GRAB (dynamic balancing), the lanes are drained once the queue is empty
        try:
            ws = _new_workspace(ops.n, ops.n_slots) + new_lanes(ops.n, lanes)
            while True:
                with lock:
                    lo = head[0]
                    head[0] = hi = min(lo + GRAB, n_sc)
                todo = np.arange(lo, hi, dtype=np.int64)
                run_scenarios(todo, lo == hi, *common, *ws, scores, iters)
                if lo == hi:
                    return
        except BaseException as exc:  # pragma: no cover - re-raised below
            errors.append(exc)

    if n_workers == 1:
        work()
    else:
        threads = [threading.Thread(target=work, daemon=True) for _ in range(n_workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    return scores / ops.weights.sum(), iters


def _scenario_args(ops, layout, ptr, idx, cap, eps, max_iter):
    """The arguments of ``run_scenarios`` before the workspace: scenarios, stopping rule, operators, lane layout."""
    return (ptr, idx, cap, float(eps), int(max_iter), _switch(ops, HANDOVER_FRACTION),
            *_kernel_args(ops), ops.weights, *layout)


def _splits(n: int, n_sc: int, n_workers: int) -> bool:
    """Whether the workers share one lane state (see ``SPLIT_BYTES``); its row sweeps need rows of 8 lanes or more."""
    lanes = lanes_for(n, n_sc)
    return n_workers > 1 and n_sc <= SPLIT_SCENARIOS and lanes >= 8 and 32 * n * lanes > SPLIT_BYTES


def _frontier_split(ops, layout, ptr, idx, cap, eps, max_iter, threads):
    from ._esri_kernel import _new_workspace, new_lanes
    from ._esri_split import run_split

    n_sc = ptr.shape[0] - 1
    scores = np.zeros((n_sc, 3))
    iters = np.zeros(n_sc, dtype=np.int64)
    common = _scenario_args(ops, layout, ptr, idx, cap, eps, max_iter)
    ws = _new_workspace(ops.n, ops.n_slots) + new_lanes(ops.n, lanes_for(ops.n, n_sc))
    run_split(threads, np.arange(n_sc, dtype=np.int64), common, ws, scores, iters)
    return scores / ops.weights.sum(), iters


def _frontier_states(ops, idx, cap, eps, max_iter):
    from ._esri_kernel import run_states

    return run_states(idx, cap, float(eps), int(max_iter), _switch(ops), *_kernel_args(ops))
