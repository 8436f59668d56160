"""The day's allocation of one critical good: a pure optimisation (numpy + SciPy's HiGHS), no platform imports.

Model. Producers ``s`` with ``available[s]`` (output + finished stock − committed shipments), demands ``d`` with a
need ``q[d]``, a priority class (1 front-line treatment, 2 severe-risk regions, 3 others; lower is served first) and
an optional minimum lot. Variables ``x[s,d] ≥ 0`` on the eligible pairs (a requisitioned producer is eligible only for
the demands its authority allows). Constraints: ``Σ_d x[s,d] ≤ available[s]``, ``Σ_s x[s,d] ≤ q[d]``; hand-fixed
lines are equalities. Objectives, lexicographically (one solve each, the optimum of each kept as a constraint):

1. for each priority class in order, maximise the quantity served to that class;
2. minimise the unmet demand — implied by 1 (the served total of every class is already at its lexicographic
   maximum, so the total unmet is fixed);
3. minimise transport: Σ distance(s, d) · x[s,d], great-circle km between the places' points.

Without minimum lots every stage is a network flow (source → producers → demands → class nodes → sink), so with
whole-number data the simplex answer is whole; ``linprog(method="highs")`` solves it. A demand with a minimum lot
``m`` takes each shipment either 0 or at least ``min(m, q[d])``: binaries ``y[s,d]`` with ``m·y ≤ x ≤ U·y``, solved
with ``milp`` (HiGHS branch and bound, relative gap 1e-4 per stage: each later stage keeps what the earlier
one achieved, so the floors are always feasible).

Every line carries why this producer (``fixed``, ``only_producer``, ``nearest``, ``nearer_exhausted``) and why not
more (``need_met``, ``producer_exhausted``, ``lot_size``); every unmet demand its reason (``no_eligible_producer``,
``stock_exhausted``, ``lot_size``). Degenerate days return a status (``no_needs``, ``no_stock``,
``fixed_infeasible``, ``solver_failed``) and never raise.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from chainkeeper.docking.lexsolve import LexSolver, kept_value

EARTH_RADIUS_KM = 6371.0
TOLERANCE = 1e-6
DEFAULT_MAX_PAIRS = 400_000
Point = tuple[float, float] | None  # (longitude, latitude)


@dataclass(frozen=True)
class Supply:
    """A producer's available quantity today; ``allowed`` (demand ids) restricts a requisitioned producer."""

    id: Hashable
    available: float
    point: Point = None
    allowed: frozenset | None = None


@dataclass(frozen=True)
class Demand:
    """An approved need still open: quantity, priority class (1 first), place, minimum lot (0 = none)."""

    id: Hashable
    quantity: float
    priority: int
    point: Point = None
    min_lot: float = 0.0


@dataclass(frozen=True)
class Fixed:
    """A line the authority set by hand: exactly ``quantity`` from the supply to the demand (``at_least``: that much
    or more, e.g. what a requisition directs to a need)."""

    supply_id: Hashable
    demand_id: Hashable
    quantity: float
    at_least: bool = False


@dataclass(frozen=True)
class Reason:
    """A reason code with its parameters (the service turns it into words in the user's language)."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """One shipment of the answer."""

    supply_id: Hashable
    demand_id: Hashable
    quantity: float
    distance_km: float
    fixed: bool
    why: Reason
    why_not_more: Reason


@dataclass(frozen=True)
class Shortfall:
    """A demand not (fully) served today; its ``unmet`` quantity carries to tomorrow."""

    demand_id: Hashable
    unmet: float
    reason: Reason


@dataclass
class Allocation:
    """The answer: ``status`` ``optimal`` or one of the degenerate/failed states, with a reason."""

    status: str
    message: Reason
    lines: list[Line] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)
    served_by_class: dict[int, float] = field(default_factory=dict)
    need_by_class: dict[int, float] = field(default_factory=dict)
    transport_km_units: float = 0.0
    seconds: float = 0.0
    pairs: int = 0
    gap: float = 0.0  # > 0: HiGHS's MIP stopped at its limit (time) this far (relative) from its bound; else 0

    @property
    def served(self) -> float:
        """The total quantity shipped."""
        return sum(self.served_by_class.values())


def haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance in km (numpy-vectorised; degrees in)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


# --- the problem, as arrays --------------------------------------------------------------------------------------

@dataclass
class _Problem:
    supplies: list[Supply]
    demands: list[Demand]
    s: np.ndarray  # pair → supply index
    d: np.ndarray  # pair → demand index
    dist: np.ndarray  # pair → km
    lower: np.ndarray  # pair → fixed quantity (or 0)
    upper: np.ndarray  # pair → upper bound
    fixed: np.ndarray  # pair → bool
    lot: np.ndarray  # pair → minimum lot (0 = none; never on fixed pairs)
    eligible: list[list[int]]  # demand → eligible supply indices (before any candidate cut), nearest first
    keep: int = 0  # the candidate cut: each demand's nearest ``keep`` eligible producers (and its fixed pairs)
    cut: bool = False  # whether the cut left any eligible pair out
    gap: float = 0.0  # the fast solver's gap where HiGHS's MIP stopped at its limit (see LexSolver.gap)


def _coords(points: Iterable[Point]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pts = list(points)
    known = np.array([p is not None for p in pts], dtype=bool)
    lon = np.array([p[0] if p is not None else 0.0 for p in pts], dtype=float)
    lat = np.array([p[1] if p is not None else 0.0 for p in pts], dtype=float)
    return lon, lat, known


def _pairs(supplies: list[Supply], demands: list[Demand], fixed: dict, max_pairs: int) -> _Problem:
    """The eligible pairs with their distances; when there are more than ``max_pairs``, each demand keeps its
    nearest eligible producers (fixed pairs always kept)."""
    s_lon, s_lat, s_known = _coords(x.point for x in supplies)
    d_lon, d_lat, d_known = _coords(x.point for x in demands)
    keep = max(1, max_pairs // max(1, len(demands)))
    rows_s, rows_d, rows_km, eligible = [], [], [], []
    positive = np.array([x.available > TOLERANCE for x in supplies], dtype=bool)
    restricted = [x.allowed for x in supplies]
    any_restricted = any(a is not None for a in restricted)
    for j, demand in enumerate(demands):
        km = haversine_km(s_lon, s_lat, d_lon[j], d_lat[j])
        km = np.where(s_known & d_known[j], km, 0.0)
        ok = positive.copy()
        if any_restricted:
            ok &= np.array([a is None or demand.id in a for a in restricted], dtype=bool)
        idx = np.flatnonzero(ok)
        idx = idx[np.argsort(km[idx], kind="stable")]
        eligible.append(idx.tolist())
        chosen = set(idx[:keep].tolist()) | {i for (i, jj) in fixed if jj == j}
        chosen = sorted(chosen)
        rows_s += chosen
        rows_d += [j] * len(chosen)
        rows_km.append(km[chosen] if chosen else np.zeros(0))
    s = np.array(rows_s, dtype=np.int64)
    d = np.array(rows_d, dtype=np.int64)
    dist = np.concatenate(rows_km) if rows_km else np.zeros(0)
    avail = np.array([x.available for x in supplies], dtype=float)
    need = np.array([x.quantity for x in demands], dtype=float)
    upper = np.minimum(avail[s], need[d]) if len(s) else np.zeros(0)
    lower, is_fixed = np.zeros(len(s)), np.zeros(len(s), dtype=bool)
    for k, (i, j) in enumerate(zip(s.tolist(), d.tolist())):
        if (i, j) in fixed:
            quantity, at_least = fixed[(i, j)]
            lower[k] = quantity
            upper[k] = max(upper[k], quantity) if at_least else quantity
            is_fixed[k] = True
    lot_d = np.array([min(x.min_lot, x.quantity) for x in demands], dtype=float)
    lot = np.where(is_fixed, 0.0, lot_d[d]) if len(s) else np.zeros(0)
    cut = any(len(e) > keep for e in eligible)
    return _Problem(supplies, demands, s, d, dist, lower, upper, is_fixed, lot, eligible, keep, cut)


# --- solving -------------------------------------------------------------------------------------------------------

def _matrix(p: _Problem) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows: one per supply (Σ ≤ available), one per demand (Σ ≤ need)."""
    n, S, D = len(p.s), len(p.supplies), len(p.demands)
    cols = np.arange(n)
    a_s = sparse.csr_matrix((np.ones(n), (p.s, cols)), shape=(S, n))
    a_d = sparse.csr_matrix((np.ones(n), (p.d, cols)), shape=(D, n))
    caps = np.concatenate([[x.available for x in p.supplies], [x.quantity for x in p.demands]])
    return sparse.vstack([a_s, a_d]).tocsr(), caps


class _Stages:
    """Solve the lexicographic stages; ``extra`` rows keep the optimum of every earlier stage."""

    def __init__(self, p: _Problem, time_limit: float):
        self.p, self.time_limit = p, time_limit
        self.base, self.caps = _matrix(p)
        self.rows: list[np.ndarray] = []  # dense-index rows (pairs) with their lower bound
        self.floors: list[float] = []
        self.lots = np.flatnonzero(p.lot > TOLERANCE)

    def solve(self, cost: np.ndarray) -> np.ndarray | None:
        """The x minimising ``cost`` under the constraints so far (None when the solver fails)."""
        from scipy.optimize import linprog  # scipy.optimize on first solve, not at start-up
        if len(self.lots):
            return self._milp(cost)
        n = len(self.p.s)
        a_ub, b_ub = self.base, self.caps
        if self.rows:
            extra = sparse.csr_matrix(np.vstack([-r for r in self.rows]))
            a_ub, b_ub = sparse.vstack([a_ub, extra]).tocsr(), np.concatenate([b_ub, -np.array(self.floors)])
        bounds = np.column_stack([self.p.lower, self.p.upper]) if n else None
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs",
                         options={"time_limit": self.time_limit})
        return result.x if result.status == 0 else None

    def _milp(self, cost: np.ndarray) -> np.ndarray | None:
        from scipy.optimize import Bounds, LinearConstraint, milp  # scipy.optimize on first solve, not at start-up
        n, m = len(self.p.s), len(self.lots)
        k = np.arange(m)
        # x − U·y ≤ 0 and lot·y − x ≤ 0 for every lot pair
        link_up = sparse.csr_matrix((np.concatenate([np.ones(m), -self.p.upper[self.lots]]),
                                     (np.concatenate([k, k]), np.concatenate([self.lots, n + k]))), shape=(m, n + m))
        link_low = sparse.csr_matrix((np.concatenate([-np.ones(m), self.p.lot[self.lots]]),
                                      (np.concatenate([k, k]), np.concatenate([self.lots, n + k]))), shape=(m, n + m))
        base = sparse.hstack([self.base, sparse.csr_matrix((self.base.shape[0], m))])
        blocks = [LinearConstraint(base, -np.inf, self.caps), LinearConstraint(link_up, -np.inf, 0),
                  LinearConstraint(link_low, -np.inf, 0)]
        if self.rows:
            extra = np.hstack([np.vstack(self.rows), np.zeros((len(self.rows), m))])
            blocks.append(LinearConstraint(extra, np.array(self.floors), np.inf))
        bounds = Bounds(np.concatenate([self.p.lower, np.zeros(m)]), np.concatenate([self.p.upper, np.ones(m)]))
        integrality = np.concatenate([np.zeros(n), np.ones(m)])
        result = milp(np.concatenate([cost, np.zeros(m)]), integrality=integrality, bounds=bounds,
                      constraints=blocks, options={"time_limit": self.time_limit, "mip_rel_gap": 1e-4})
        return result.x[:n] if result.x is not None and result.status in (0, 1) else None

    def keep_at_least(self, row: np.ndarray, value: float) -> None:
        """Later stages keep ``row · x ≥ value`` (less a tolerance for the solver's rounding)."""
        value = kept_value(value)  # whole data give whole optima: keep them
        self.rows.append(row)
        self.floors.append(value - 1e-7)  # within HiGHS's feasibility tolerance, so nothing real is given up


def _check_fixed(supplies: list[Supply], demands: list[Demand], fixed: list[Fixed]) -> tuple[dict, Reason | None]:
    """Fixed lines as {(supply index, demand index): quantity}, or the reason they cannot all hold."""
    s_index = {x.id: i for i, x in enumerate(supplies)}
    d_index = {x.id: j for j, x in enumerate(demands)}
    pairs: dict[tuple[int, int], float] = {}
    open_ended: set[tuple[int, int]] = set()
    for line in fixed:
        if line.supply_id not in s_index or line.demand_id not in d_index:
            return {}, Reason("fixed_unknown", {"supply": line.supply_id, "demand": line.demand_id})
        if line.quantity < 0 or not math.isfinite(line.quantity):
            return {}, Reason("fixed_negative", {"supply": line.supply_id, "demand": line.demand_id})
        key = (s_index[line.supply_id], d_index[line.demand_id])
        pairs[key] = pairs.get(key, 0.0) + float(line.quantity)
        if line.at_least:
            open_ended.add(key)
    for i, supply in enumerate(supplies):
        total = sum(q for (a, _b), q in pairs.items() if a == i)
        if total > supply.available + TOLERANCE:
            return {}, Reason("fixed_over_stock", {"supply": supply.id, "fixed": total, "available": supply.available})
    for j, demand in enumerate(demands):
        total = sum(q for (_a, b), q in pairs.items() if b == j)
        if total > demand.quantity + TOLERANCE:
            return {}, Reason("fixed_over_need", {"demand": demand.id, "fixed": total, "need": demand.quantity})
    return {key: (q, key in open_ended) for key, q in pairs.items()}, None


def allocate(supplies: list[Supply], demands: list[Demand], fixed: list[Fixed] = (), *,
             max_pairs: int = DEFAULT_MAX_PAIRS, time_limit: float = 60.0, method: str = "fast") -> Allocation:
    """The day's allocation (see the module docstring); never raises on degenerate input. ``method``: ``fast``
    (:mod:`chainkeeper.docking.lexsolve`: two LP solves, lazy lot binaries) or ``staged`` (one solve per class and
    one for transport, every lot with its binaries: the reference the fast one is tested against)."""
    if method not in SOLVERS:
        raise ValueError(f"method must be one of {sorted(SOLVERS)}, not {method!r}")
    started = time.perf_counter()
    supplies = [x for x in supplies]
    demands = [x for x in demands if x.quantity > TOLERANCE]
    need_by_class = _by_class(demands, [x.quantity for x in demands])
    if not demands:
        return Allocation("no_needs", Reason("no_needs"), need_by_class=need_by_class,
                          seconds=time.perf_counter() - started)
    pairs, broken = _check_fixed(supplies, demands, list(fixed))
    if broken is not None:
        return Allocation("fixed_infeasible", broken, need_by_class=need_by_class,
                          seconds=time.perf_counter() - started)
    if sum(max(0.0, x.available) for x in supplies) <= TOLERANCE:
        shortfalls = [Shortfall(x.id, x.quantity, Reason("no_stock")) for x in demands]
        return Allocation("no_stock", Reason("no_stock"), shortfalls=shortfalls, need_by_class=need_by_class,
                          served_by_class={c: 0.0 for c in need_by_class}, seconds=time.perf_counter() - started)
    problem = _pairs(supplies, demands, pairs, max_pairs)
    x = SOLVERS[method](problem, time_limit)
    if x is None:
        return Allocation("solver_failed", Reason("solver_failed"), need_by_class=need_by_class,
                          seconds=time.perf_counter() - started, pairs=len(problem.s))
    answer = _explain(problem, x)
    answer.need_by_class, answer.seconds, answer.pairs = need_by_class, time.perf_counter() - started, len(problem.s)
    answer.gap = problem.gap
    if answer.gap > 0:  # a plan, not a proven optimum: say so (the page adds the gap's warning)
        answer.message = Reason("within_gap")
    return answer


def _by_class(demands: list[Demand], amounts: Iterable[float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for demand, amount in zip(demands, amounts):
        out[demand.priority] = out.get(demand.priority, 0.0) + float(amount)
    return dict(sorted(out.items()))


def _solve_fast(p: _Problem, time_limit: float) -> np.ndarray | None:
    """The lexicographic optimum by :class:`~chainkeeper.docking.lexsolve.LexSolver`; with the candidate cut, the
    pairs it left out are priced back in (the problem ``p`` then grows by the pairs added)."""
    if len(p.s) == 0:
        return np.zeros(0)
    priority = np.array([x.priority for x in p.demands])[p.d]
    caps = np.concatenate([[x.available for x in p.supplies], [x.quantity for x in p.demands]])
    solver = LexSolver(p.s, p.d, p.dist, p.lower, p.upper, p.lot, priority, caps, len(p.supplies), time_limit,
                       pricer=_Pricer(p) if p.cut else None)
    x = solver.solve()
    p.gap = solver.gap
    if solver.added:
        k = len(solver.s) - len(p.s)
        p.s, p.d, p.dist, p.lower, p.upper, p.lot = solver.s, solver.d, solver.dist, solver.lower, solver.upper, solver.lot
        p.fixed = np.concatenate([p.fixed, np.zeros(k, dtype=bool)])
    return None if x is None else _whole(p, x)


class _Pricer:
    """The pairs the candidate cut left out, priced against an LP stage's duals: those with a negative reduced
    cost (``c − u_s − v_d + z_class``; ``u``, ``v``, ``z`` the ≤-rows' marginals) come back in."""

    def __init__(self, p: _Problem):
        self.p = p
        self.s_lon, self.s_lat, self.s_known = _coords(x.point for x in p.supplies)
        self.d_lon, self.d_lat, self.d_known = _coords(x.point for x in p.demands)
        self.avail = np.array([x.available for x in p.supplies], dtype=float)
        self.in_model = [set() for _ in p.demands]  # beyond the nearest ``keep``: fixed and priced-in pairs
        for i, j in zip(p.s.tolist(), p.d.tolist()):
            self.in_model[j].add(i)

    def __call__(self, u: np.ndarray, v: np.ndarray, z: dict, weights: dict | None):
        rows = ([], [], [], [], [], [])
        for j, eligible in enumerate(self.p.eligible):
            demand = self.p.demands[j]
            if len(eligible) <= self.p.keep or demand.priority not in z:
                continue
            cand = np.array([i for i in eligible[self.p.keep:] if i not in self.in_model[j]], dtype=np.int64)
            if not len(cand):
                continue
            km = np.where(self.s_known[cand] & self.d_known[j],
                          haversine_km(self.s_lon[cand], self.s_lat[cand], self.d_lon[j], self.d_lat[j]), 0.0)
            cost = -weights[demand.priority] if weights is not None else km + 1e-9
            better = cand[cost - u[cand] - v[j] + z[demand.priority] < -1e-7]
            if len(better):
                self.in_model[j].update(better.tolist())
                k = len(better)
                for out, values in zip(rows, (better, np.full(k, j), km[np.isin(cand, better)],
                                              np.minimum(self.avail[better], demand.quantity),
                                              np.full(k, min(demand.min_lot, demand.quantity)),
                                              np.full(k, demand.priority))):
                    out.append(values)
        if not rows[0]:
            return None
        return tuple(np.concatenate(r) for r in rows)


def _solve(p: _Problem, time_limit: float) -> np.ndarray | None:
    """Stage by stage: each class's service maximised in order, then the transport minimised."""
    n = len(p.s)
    if n == 0:
        return np.zeros(0)
    stages = _Stages(p, time_limit)
    priority = np.array([x.priority for x in p.demands])[p.d]
    for cls in sorted(set(priority.tolist())):
        row = (priority == cls).astype(float)
        x = stages.solve(-row)
        if x is None:
            return None
        stages.keep_at_least(row, float(row @ x))
    x = stages.solve(p.dist + 1e-9)  # the tiny constant prefers no shipment over a 0-km pointless one
    return None if x is None else _whole(p, x)


def _whole(p: _Problem, x: np.ndarray) -> np.ndarray:
    """Within the bounds, and whole where the solver's answer is whole but for its rounding."""
    x = np.clip(x, p.lower, p.upper)
    x[(p.lot > TOLERANCE) & (x < 1e-5)] = 0.0  # a lot pair's crumb within the MIP's integrality tolerance
    return np.where(np.abs(x - np.round(x)) < 1e-6, np.round(x), x)


SOLVERS = {"fast": _solve_fast, "staged": _solve}


# --- explaining ----------------------------------------------------------------------------------------------------

def _explain(p: _Problem, x: np.ndarray) -> Allocation:
    S, D = len(p.supplies), len(p.demands)
    shipped = np.bincount(p.s, weights=x, minlength=S) if len(x) else np.zeros(S)
    served = np.bincount(p.d, weights=x, minlength=D) if len(x) else np.zeros(D)
    left = np.array([x_.available for x_ in p.supplies]) - shipped
    need = np.array([x_.quantity for x_ in p.demands])
    taken_by = [set() for _ in range(S)]  # supply → classes its stock went to
    for k in np.flatnonzero(x > TOLERANCE):
        taken_by[p.s[k]].add(p.demands[p.d[k]].priority)
    used = np.flatnonzero(x > TOLERANCE)
    farthest: dict[int, tuple[float, int]] = {}
    for k in used:
        j = int(p.d[k])
        if j not in farthest or p.dist[k] >= farthest[j][0]:
            farthest[j] = (float(p.dist[k]), int(p.s[k]))
    lines = []
    for k in used:
        i, j = int(p.s[k]), int(p.d[k])
        lines.append(Line(p.supplies[i].id, p.demands[j].id, float(x[k]), round(float(p.dist[k]), 1),
                          bool(p.fixed[k]), _why(p, i, j, bool(p.fixed[k]), left),
                          _why_not_more(p, i, j, left, served, need, farthest[j][1])))
    shortfalls = []
    for j in np.flatnonzero(need - served > TOLERANCE):
        shortfalls.append(Shortfall(p.demands[j].id, float(need[j] - served[j]), _short(p, int(j), left, taken_by)))
    served_by_class = _by_class(p.demands, served)
    transport = float(p.dist @ x) if len(x) else 0.0
    return Allocation("optimal", Reason("optimal"), lines, shortfalls, served_by_class, {}, round(transport, 1))


def _exhausted(left: np.ndarray, i: int) -> bool:
    return left[i] <= TOLERANCE


def _why(p: _Problem, i: int, j: int, fixed: bool, left: np.ndarray) -> Reason:
    if fixed:
        return Reason("fixed")
    eligible = p.eligible[j]
    if len(eligible) == 1:
        return Reason("only_producer")
    nearer = eligible[:eligible.index(i)] if i in eligible else []
    if not nearer:
        return Reason("nearest")
    if all(_exhausted(left, n) for n in nearer):
        return Reason("nearer_exhausted", {"producers": [p.supplies[n].id for n in nearer[:5]], "count": len(nearer)})
    return Reason("lot_size", {"producers": [p.supplies[n].id for n in nearer if not _exhausted(left, n)][:5]})


def _why_not_more(p: _Problem, i: int, j: int, left: np.ndarray, served: np.ndarray, need: np.ndarray,
                  topped_up_by: int | None) -> Reason:
    """The need met or the producer exhausted; when both, the producer that topped the need up (the farthest
    one serving it) stops because the need is met, the others because they had no more."""
    met, exhausted = served[j] >= need[j] - TOLERANCE, _exhausted(left, i)
    if met and exhausted:
        return Reason("need_met" if topped_up_by == i else "producer_exhausted")
    if met:
        return Reason("need_met")
    if exhausted:
        return Reason("producer_exhausted")
    return Reason("lot_size", {"lot": p.demands[j].min_lot, "left": float(left[i])})


def _short(p: _Problem, j: int, left: np.ndarray, taken_by: list[set]) -> Reason:
    eligible = p.eligible[j]
    if not eligible:
        return Reason("no_eligible_producer")
    demand = p.demands[j]
    if demand.min_lot > TOLERANCE and any(c > demand.priority for i in eligible for c in taken_by[i]):
        return Reason("lot_size", {"lot": demand.min_lot})  # stock went to a later class: it did not fit the lot
    if all(_exhausted(left, i) for i in eligible):
        classes = sorted(set().union(*(taken_by[i] for i in eligible)))
        return Reason("stock_exhausted", {"producers": len(eligible), "classes": classes})
    return Reason("lot_size", {"lot": p.demands[j].min_lot,
                               "largest_left": float(max(left[i] for i in eligible))})
