"""The fast solver of the day's allocation: the same lexicographic optimum as the staged solver of
:mod:`chainkeeper.docking.allocation` (``method="staged"``), in fewer and smaller HiGHS solves.

Why two LP solves replace one per class and one for transport. Without minimum lots the day is a network flow
(source → producers → demands → sink; fixed lines shift the bounds, requisitions remove arcs). The vectors of
quantities the demands can receive form a polymatroid, so the greedy order — every class-1 demand, then class 2,
then class 3 — reaches a vector that maximises *every* prefix total f₁, f₁+f₂, f₁+f₂+f₃ at once. For any weights
w₁ > w₂ > … > w_K > 0, Σ w_c·f_c = Σ_k (w_k − w_{k+1})·(f₁+…+f_k) with every coefficient positive: its maximum is
reached only where every prefix total is at its maximum, i.e. exactly at the lexicographic optimum of the classes.
One LP with weights K, K−1, …, 1 therefore gives every class's lexicographic served quantity; the transport stage
then keeps each class at its value (the same floors as the staged solver) and minimises Σ km·x.

Minimum lots. The LP above is the relaxation of the lot MIP (``m·y ≤ x ≤ U·y`` with ``y`` relaxed imposes nothing),
so its lexicographic optimum bounds the MIP's stage by stage; when the LP answer already ships every lot pair either
0 or at least its lot, it is feasible for the MIP and so is its lexicographic optimum (exact, where the MIP would
stop at its gap). Otherwise the stages are solved one by one as MIPs whose binaries sit only on the lot pairs of the
demands seen breaking their lot ("lazy lots"): a MIP with fewer lot constraints is a relaxation too, so once its
answer keeps every lot it is the stage's optimum; a demand that breaks its lot joins the set and the stage is solved
again (at most as many rounds as lot demands; in practice one or two).

Since sprint 4 the lot stages are solved by our own branch and bound on the lot shipments
(:mod:`chainkeeper.docking.lotbranch`: each node the cheap LP with changed bounds, re-solved warm in one
``highspy`` model; every lot pair of the good, not only the lazy ones), with a limit counted in LP solves rather than seconds; HiGHS's MIP above (lazy lots) is used only
when that search reaches its limit — for every stage, the priority classes' and transport's alike: the search
returns only answers it has proven, so a stage is approximate only where HiGHS's MIP itself stops at its time limit
before its gap (``LexSolver.gap``, kept with the day's allocation).

Cut short (sprint 7). ``time_limit`` is the whole good's: every HiGHS MIP round gets what is left of it (half of it,
but the last stage all), not the full limit again. Each class stage's MIP starts from the previous stage's answer
(the first from a quick dive: the classes' LP with every pair that breaks its lot shut, until none does), which keeps
every lot and meets every floor set so far, so HiGHS stopped at its limit always holds an answer: the day gets that
plan with its gap (:mod:`chainkeeper.docking.highsmip`) instead of ``solver_failed``. The transport MIP that first
tries the LP's class totals has no such start; cut short without an answer, the stages run one by one; cut short with
an answer that breaks other demands' lots, its next round puts binaries on every lot (no time for lazy rounds).
"""

from __future__ import annotations

import math
import time

import numpy as np
from scipy import sparse

from chainkeeper.docking import highsmip, lotbranch

TOLERANCE = 1e-6
INFEASIBLE = np.zeros(0)  # a marker: the MIP has no solution (as opposed to None: HiGHS failed)
PRESOLVE = False  # HiGHS's MIP presolve costs more than it saves on these transport models (measured 3x)
MIP_GAP = 1e-4  # as the staged solver: each later stage keeps what the earlier one achieved
MIP_NODE_LIMIT: int | None = None  # HiGHS's MIP nodes per round (None: only the time limit; tests set a count)


def kept_value(value: float) -> float:
    """A stage's optimum as later stages keep it: whole when the solver's answer is whole but for its rounding
    (1e-6 absolute: a tolerance relative to the value would round 21,502.983 up to 21,503, which no answer reaches)."""
    nearest = round(value)
    return float(nearest) if abs(value - nearest) < TOLERANCE else value


class LexSolver:
    """One good's day as arrays: pair → supply ``s``, demand ``d``, km ``dist``, bounds ``lower``/``upper``, minimum
    lot ``lot`` (0 = none), class ``priority``; ``caps`` the supply then the demand capacities."""

    def __init__(self, s, d, dist, lower, upper, lot, priority, caps, n_supplies: int, time_limit: float,
                 pricer=None):
        self.s, self.d, self.dist, self.lower, self.upper, self.lot = s, d, dist, lower, upper, lot
        self.priority, self.caps, self.time_limit, self.n_supplies = priority, caps, time_limit, n_supplies
        self.classes = sorted(set(priority.tolist()))
        self.pricer = pricer  # candidate arcs: the pairs left out that would improve a stage's LP (see price)
        self._build()
        self.values = np.full(len(self.classes), -np.inf)  # each class's total to keep
        self.slack = 0.0  # relative give on those totals, widened only when HiGHS's rounding makes them infeasible
        self.lazy: set[int] = set()  # demands whose lot pairs carry binaries
        self.rounds = 0  # HiGHS solves made
        self.added = 0  # pairs brought in by pricing
        self.model = None  # without a pricer: both LP stages and the transport lot search in one HiGHS model
        self.gap = 0.0  # HiGHS's MIP's relative gap where it stopped at its time limit before MIP_GAP (0: none did)
        self.deadline = time.monotonic() + time_limit  # the whole good's: each MIP round gets what is left
        self.cut_short = False  # the last MIP round stopped at its limit

    def _build(self) -> None:
        n, D = len(self.s), len(self.caps) - self.n_supplies
        cols = np.arange(n)
        self.base = sparse.vstack([sparse.csr_matrix((np.ones(n), (self.s, cols)), shape=(self.n_supplies, n)),
                                   sparse.csr_matrix((np.ones(n), (self.d, cols)), shape=(D, n))]).tocsr()
        self.class_rows = sparse.csr_matrix(
            (np.ones(n), (np.searchsorted(self.classes, self.priority), cols)), shape=(len(self.classes), n))

    def add(self, s, d, dist, upper, lot, priority) -> None:
        """More pairs (the pricer's), each free between 0 and ``upper``."""
        self.s, self.d = np.concatenate([self.s, s]), np.concatenate([self.d, d])
        self.dist, self.upper = np.concatenate([self.dist, dist]), np.concatenate([self.upper, upper])
        self.lower, self.lot = np.concatenate([self.lower, np.zeros(len(s))]), np.concatenate([self.lot, lot])
        self.priority = np.concatenate([self.priority, priority])
        self.added += len(s)
        self._build()

    # --- the two LP stages ----------------------------------------------------------------------------------------

    def solve(self) -> np.ndarray | None:
        """The lexicographic optimum (None when HiGHS fails)."""
        x = self._lp(self._class_cost(), floors=False)
        if x is None:
            return None
        self._keep(x, range(len(self.classes)))
        x = self._lp(self.dist + 1e-9, floors=True)  # the tiny constant prefers no shipment to a 0-km pointless one
        if x is None:
            return None
        broken = self._broken(x)
        if broken:
            x = self._staged_lots(broken)
        return x

    @property
    def floors(self) -> np.ndarray:
        """The kept totals less 1e-7 (within HiGHS's feasibility tolerance, so nothing real is given up) or, after
        an infeasible retry, less ``slack`` of their size."""
        size = np.abs(np.where(np.isfinite(self.values), self.values, 0.0))
        return self.values - np.maximum(1e-7, self.slack * size)

    def _widen(self) -> bool:
        """Give the kept totals more room (1e-9 of their size, then ×10 up to 1e-6); False when at the end."""
        self.slack = 1e-9 if self.slack == 0 else self.slack * 10
        return self.slack <= 1e-6

    def _lp(self, cost: np.ndarray, *, floors: bool) -> np.ndarray | None:
        """One LP stage; with a pricer, re-solved while a pair left out has a negative reduced cost (column
        generation: when none has, the answer on the candidate pairs is optimal on all of them)."""
        if self.pricer is None:
            return self._warm_lp(cost, floors)
        while True:
            result = self._lp_once(cost, floors)
            if result is None or self.pricer is None:
                return result if result is None else result.x
            S = self.n_supplies
            y = result.ineqlin.marginals  # ≤ 0: d(objective)/d(right-hand side) of each ≤ row
            z = y[len(self.caps):] if floors else np.zeros(len(self.classes))
            new = self.pricer(y[:S], y[S:len(self.caps)], dict(zip(self.classes, z)),
                              None if floors else self._class_weight())
            if new is None or not len(new[0]):
                return result.x
            self.add(*new)
            cost = self._class_cost() if not floors else self.dist + 1e-9

    def _warm_lp(self, cost: np.ndarray, floors: bool) -> np.ndarray | None:
        """One LP stage in the good's one HiGHS model (rows: capacities, then the class floors, free in the first
        stage): the transport stage starts from the class stage's basis, the lot search from the transport's."""
        if self.model is None:
            rows = sparse.vstack([self.base, -self.class_rows]).tocsr()
            free = np.concatenate([self.caps, np.full(len(self.classes), np.inf)])
            self.model = lotbranch.WarmLP(cost, rows, free, self.lower, self.upper,
                                          np.flatnonzero(self.lot > TOLERANCE))
        else:
            self.model.set_cost(cost)
        while True:
            if floors:
                self.model.set_rhs(np.concatenate([self.caps, -self.floors]))
            self.rounds += 1
            answer = self.model(self.lower, self.upper)
            if answer is not None:
                return answer[1]
            if not (floors and self._widen()):
                return None

    def _class_weight(self) -> dict:
        return {c: float(len(self.classes) - k) for k, c in enumerate(self.classes)}

    def _class_cost(self) -> np.ndarray:
        return -(len(self.classes) - np.searchsorted(self.classes, self.priority)).astype(float)

    def _lp_once(self, cost: np.ndarray, floors: bool):
        from scipy.optimize import linprog  # scipy.optimize on first solve, not at start-up
        a_ub, b_ub = self.base, self.caps
        if floors:
            a_ub = sparse.vstack([a_ub, -self.class_rows]).tocsr()
        while True:
            if floors:
                b_ub = np.concatenate([self.caps, -self.floors])
            self.rounds += 1
            result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=np.column_stack([self.lower, self.upper]),
                             method="highs", options={"time_limit": self.time_limit})
            if result.status == 0:
                return result
            if not (floors and result.status == 2 and self._widen()):
                return None

    def _keep(self, x: np.ndarray, stages) -> None:
        """Later stages keep each class's total (whole values kept whole; 1e-7 within HiGHS's tolerance)."""
        totals = self.class_rows @ x
        for c in stages:
            self.values[c] = kept_value(float(totals[c]))

    def _broken(self, x: np.ndarray) -> set[int]:
        """Demands with a lot pair shipping more than nothing but less than the lot."""
        bad = (self.lot > TOLERANCE) & (x > TOLERANCE) & (x < self.lot - TOLERANCE)
        return set(self.d[bad].tolist())

    # --- minimum lots: the stages as MIPs, binaries only where a lot broke -----------------------------------------

    def _staged_lots(self, broken: set[int]) -> np.ndarray | None:
        """First the transport MIP keeping the LP's class totals: feasible, it is the answer (the LP's totals bound
        the MIP's stage by stage); infeasible, the class stages one by one, then transport."""
        self.lazy |= broken
        x = self._lot_stage(self.dist + 1e-9, upto=len(self.classes), gap=MIP_GAP)
        if x is not INFEASIBLE and x is not None:
            return x
        # infeasible, or cut short without an answer: stage by stage, each from the answer before
        self.values[:], self.slack = -np.inf, 0.0
        start = self._dive()
        for c in range(len(self.classes)):
            cost = -(self.class_rows[c].toarray().ravel())
            x = self._lot_stage(cost, upto=c, gap=0.0, start=start)
            if x is None or x is INFEASIBLE:
                return None
            self._keep(x, [c])
            start = x
        x = self._lot_stage(self.dist + 1e-9, upto=len(self.classes), gap=MIP_GAP, start=start)
        return None if x is INFEASIBLE else x

    def _dive(self) -> np.ndarray:
        """An answer keeping every lot, quickly (no floor): the classes' LP with the pairs that break their lot shut,
        again until none does (at most one LP per lot pair); the fixed lines alone if HiGHS fails."""
        lots = np.flatnonzero(self.lot > TOLERANCE)
        lp = lotbranch.WarmLP(self._class_cost(), self.base, self.caps, self.lower, self.upper, lots)
        upper = self.upper.copy()
        while True:
            answer = lp(self.lower, upper)
            self.rounds += 1
            if answer is None:
                return self.lower.copy()
            broken = lotbranch.broken_pairs(answer[1], self.lot, lots)
            if not len(broken):
                return np.clip(answer[1], self.lower, upper)
            upper[broken] = 0.0

    def _lot_stage(self, cost: np.ndarray, upto: int, gap: float, start: np.ndarray | None = None):
        """One stage with the lots kept: branch and bound on the lot shipments (``lotbranch``); HiGHS's MIP when that
        search stops at its limit (it returns only answers it has proven: the limit leaves no stage approximate);
        ``start``, an answer keeping every lot and the floors so far, is HiGHS's first incumbent."""
        b_ub = np.concatenate([self.caps, -self.floors[:upto]])
        if self.model is not None and upto == len(self.classes):  # the transport stage's model, warm
            lp = self.model
            lp.set_cost(cost)
            lp.set_rhs(b_ub)
        else:
            a_ub = sparse.vstack([self.base, -self.class_rows[:upto]]).tocsr()
            lp = lotbranch.WarmLP(cost, a_ub, b_ub, self.lower, self.upper, np.flatnonzero(self.lot > TOLERANCE))
        search = lotbranch.branch_and_bound(lp, self.lower, self.upper, self.lot, gap=gap,
                                            node_limit=lotbranch.NODE_LIMIT)
        self.rounds += search.solves
        if search.x is not None:
            return search.x
        return INFEASIBLE if search.infeasible else self._lazy_mip(cost, upto, start)

    def _lazy_mip(self, cost: np.ndarray, upto: int, start: np.ndarray | None = None):
        """The MIP with binaries on the lazy demands, widened until no other demand breaks its lot."""
        while True:
            x = self._mip(cost, upto, start)
            if x is None or x is INFEASIBLE:
                return x
            broken = self._broken(x) - self.lazy
            if not broken:
                return x
            self.lazy |= broken if not self.cut_short else set(self.d[self.lot > TOLERANCE].tolist())

    def _mip(self, cost: np.ndarray, upto: int, start: np.ndarray | None = None) -> np.ndarray | None:
        """Minimise ``cost`` keeping the floors of the first ``upto`` classes, binaries on the lazy demands' lots,
        in what is left of the time limit; ``start`` (an answer keeping every lot) HiGHS's first incumbent."""
        n = len(self.s)
        lots = np.flatnonzero((self.lot > TOLERANCE) & np.isin(self.d, list(self.lazy)))
        m, k = len(lots), np.arange(len(lots))
        ones = np.ones(m)
        link = sparse.csr_matrix((np.concatenate([ones, -self.upper[lots], -ones, self.lot[lots]]),
                                  (np.concatenate([k, k, m + k, m + k]), np.concatenate([lots, n + k, lots, n + k]))),
                                 shape=(2 * m, n + m))  # x − U·y ≤ 0, lot·y − x ≤ 0
        rows = [sparse.hstack([self.base, sparse.csr_matrix((self.base.shape[0], m))]), link]
        row_lower = [np.full(self.base.shape[0], -np.inf), np.full(2 * m, -np.inf)]
        row_upper = [self.caps, np.zeros(2 * m)]
        if upto:
            rows.append(sparse.hstack([self.class_rows[:upto], sparse.csr_matrix((upto, m))]))
            row_lower.append(self.floors[:upto])
            row_upper.append(np.full(upto, np.inf))
        self.rounds += 1
        answer = highsmip.solve(
            np.concatenate([cost, np.zeros(m)]), sparse.vstack(rows).tocsr(), np.concatenate(row_lower),
            np.concatenate(row_upper), np.concatenate([self.lower, np.zeros(m)]),
            np.concatenate([self.upper, np.ones(m)]), np.concatenate([np.zeros(n, dtype=bool), np.ones(m, dtype=bool)]),
            time_limit=self._share(start is not None and upto == len(self.classes)), gap=MIP_GAP,
            node_limit=MIP_NODE_LIMIT, presolve=PRESOLVE,
            start=None if start is None else np.concatenate([start, (start[lots] > TOLERANCE).astype(float)]))
        self.cut_short = answer.status == "limit"
        if answer.status == "infeasible":
            return INFEASIBLE
        if answer.x is None:
            return None
        if answer.status == "limit":  # stopped at its limit with an answer: say how far it may be from the optimum
            self.gap = max(self.gap, answer.gap if math.isfinite(answer.gap) else 1.0)
        return answer.x[:n]

    def _share(self, last: bool) -> float:
        """A MIP round's seconds: what is left of the time limit, half of it unless this is the last stage."""
        left = max(0.0, self.deadline - time.monotonic())
        return left if last else left / 2
