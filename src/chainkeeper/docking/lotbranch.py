"""Minimum lots by branch and bound on the shipments themselves: each lot pair ships 0 or at least its lot.

A lot pair ``x ∈ {0} ∪ [lot, upper]`` is a semi-continuous variable. The LP without the lots is the relaxation the
binary model ``lot·y ≤ x ≤ upper·y`` gives too (``y = x/upper`` is always feasible for it), so nothing is lost by
branching on ``x`` directly, as in Beale's treatment of semi-continuous variables within Land & Doig's branch and
bound: a pair the LP ships ``0 < x < lot`` is split into the child ``x = 0`` (upper bound 0) and the child
``x ≥ lot`` (lower bound ``lot``). Each node is the day's LP with changed bounds, where HiGHS's general MIP on the
same model spent its time in root cuts and sub-MIPs (the benchmark's hardest good: 13–19 s of CPU, then its 60 s
wall limit at a 0.2 % gap; here 0.6 s and a better answer). Nodes are taken best bound first; a node whose bound is
within the relative ``gap`` of the incumbent is pruned, so the answer is within ``gap`` of the lot MIP's optimum
(the staged solver's MIP gap).

The node LPs (:class:`WarmLP`) are one ``highspy.Highs`` model per stage: a node changes only the bounds of its lot
pairs (``changeColsBounds``) and ``run`` re-solves from the basis HiGHS holds (HiGHS guide, "Solving a model":
"Where possible, HiGHS will hot start the solver using solution information obtained on previous runs") instead
of building and solving the LP from scratch — at the benchmark's size ~2 ms a node instead of ~20 ms (SciPy's
``linprog`` has no warm start).

The limit is a count of LP solves, not a time: the same day gives the same answer on a loaded machine as on a quiet
one. When the count is reached the search stops with ``None`` and the caller hands the stage to HiGHS's MIP. An
answer the search returns is therefore always proven within ``gap`` — it never returns an incumbent it could not
prove (which best-first order could not hold anyway: the first node found keeping every lot has the lowest bound of
all open nodes, so every node left is pruned and the search ends before the limit). A priority-class stage is
never approximate because of this limit.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

TOLERANCE = 1e-6
NODE_LIMIT = 2_000  # LP solves per search (the benchmark's hardest good needed ~200)

LP = Callable[[np.ndarray, np.ndarray], "tuple[float, np.ndarray] | None"]  # bounds → (objective, x) or infeasible


@dataclass
class Search:
    """The outcome: ``x``, proven within the requested gap (None: no answer keeping the lots — ``infeasible`` — or
    the limit came first), and the LP solves made."""

    x: np.ndarray | None
    infeasible: bool
    solves: int


def broken_pairs(x: np.ndarray, lot: np.ndarray, lots: np.ndarray) -> np.ndarray:
    """The lot pairs (indices among ``lots``) shipping more than nothing but less than their lot."""
    values = x[lots]
    return lots[(values > TOLERANCE) & (values < lot[lots] - TOLERANCE)]


def branch_and_bound(lp: LP, lower: np.ndarray, upper: np.ndarray, lot: np.ndarray, *, gap: float,
                     absolute: float = 1e-6, node_limit: int = NODE_LIMIT) -> Search:
    """Minimise the LP ``lp`` with every pair ``k`` with ``lot[k] > 0`` shipping 0 or at least ``lot[k]``.
    Pruning: a node is dropped when its bound is within ``max(gap·|incumbent|, absolute)`` of the incumbent."""
    lots = np.flatnonzero(lot > TOLERANCE)
    root = lp(lower, upper)
    solves = 1
    if root is None:
        return Search(None, True, solves)
    best, best_x = np.inf, None
    heap = [(root[0], 0, lower, upper, root[1])]  # best bound first: (bound, tie, lower, upper, x)
    count = 0

    def good_enough(bound: float) -> bool:
        return bound >= best - max(gap * abs(best), absolute)

    while heap:
        bound, _, lo, up, x = heapq.heappop(heap)
        if good_enough(bound):
            continue
        broken = broken_pairs(x, lot, lots)
        if not len(broken):
            best, best_x = bound, x
            continue
        if solves >= node_limit:  # an open node better than any answer: hand the stage over, even with one
            return Search(None, False, solves)
        k = _branch_on(x, lot, broken)
        for child_lo, child_up in _children(k, lo, up, lot):
            answer = lp(child_lo, child_up)
            solves += 1
            if answer is not None and not good_enough(answer[0]):
                count += 1
                heapq.heappush(heap, (answer[0], count, child_lo, child_up, answer[1]))
    return Search(best_x, best_x is None, solves)  # every node explored or pruned: proven


def _branch_on(x: np.ndarray, lot: np.ndarray, broken: np.ndarray) -> int:
    """The broken pair farthest from both 0 and its lot (relative to the lot)."""
    distance = np.minimum(x[broken], lot[broken] - x[broken]) / lot[broken]
    return int(broken[np.argmax(distance)])


def _children(k: int, lower: np.ndarray, upper: np.ndarray, lot: np.ndarray):
    """``x[k] = 0``, and ``x[k] ≥ lot[k]`` when the pair's upper bound allows it."""
    up = upper.copy()
    up[k] = 0.0
    yield lower, up
    if lot[k] <= upper[k] + TOLERANCE:
        lo = lower.copy()
        lo[k] = min(lot[k], upper[k])
        yield lo, upper


class WarmLP:
    """``min cost·x`` s.t. ``a_ub·x ≤ b_ub`` and the node's bounds, as one HiGHS model re-solved warm from node to
    node; only the columns in ``lots`` ever change bounds. Call with (lower, upper) → (objective, x) or None."""

    def __init__(self, cost: np.ndarray, a_ub, b_ub: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                 lots: np.ndarray):
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        a = sparse.csc_matrix(a_ub)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = a.shape[1], a.shape[0]
        lp.col_cost_ = np.asarray(cost, dtype=float)
        lower, upper = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_, lp.row_upper_ = np.full(a.shape[0], -highspy.kHighsInf), np.asarray(b_ub, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
        self.highs.passModel(lp)
        self.lots = lots
        self.lot_lower, self.lot_upper = lower[lots].copy(), upper[lots].copy()

    def set_cost(self, cost: np.ndarray) -> None:
        """A new objective (the next stage), keeping the basis."""
        columns = np.arange(len(cost), dtype=np.int32)
        self.highs.changeColsCost(len(columns), columns, np.asarray(cost, dtype=float))

    def set_rhs(self, b_ub: np.ndarray) -> None:
        """New right-hand sides (the kept class totals), keeping the basis."""
        rows = np.arange(len(b_ub), dtype=np.int32)
        self.highs.changeRowsBounds(len(rows), rows, np.full(len(rows), -highspy.kHighsInf),
                                    np.asarray(b_ub, dtype=float))

    def __call__(self, lower: np.ndarray, upper: np.ndarray) -> tuple[float, np.ndarray] | None:
        low, up = lower[self.lots], upper[self.lots]
        changed = np.flatnonzero((low != self.lot_lower) | (up != self.lot_upper))
        if len(changed):
            columns = self.lots[changed].astype(np.int32)
            self.highs.changeColsBounds(len(columns), columns, low[changed], up[changed])
            self.lot_lower[changed], self.lot_upper[changed] = low[changed], up[changed]
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return self.highs.getInfo().objective_function_value, np.asarray(self.highs.getSolution().col_value)
