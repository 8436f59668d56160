"""Day-by-day shock propagation (firm-level ARIO after Inoue & Todo, 2019).

Each firm ``i`` has a baseline daily output ``x0_i`` (sales to firms plus
final demand) and holds an inventory of every input *product* (supplier
industry ``k``), targeted at ``n_ik`` days of baseline use.  Every day:

1. capacity is ``x0 * (1 - cut(day))`` (the scenario);
2. each firm orders, per input product, its expected use plus a
   ``1/tau`` share of the gap to its target inventory, both based on its own
   demand of the previous day; the order is split over the suppliers of that
   product in proportion to the baseline purchases;
3. demand ``D_i`` = orders received + final demand (constant);
4. production ``x_i = min(capacity, input-limited level, D_i)``, where the
   input-limited level is ``min_k stock_ik / A_ik`` over the *binding* inputs
   (essential ones by default; ``leontief="all"`` binds every used input as in
   Inoue & Todo's original model);
5. a short supplier rations its output (:mod:`.rationing`), deliveries are
   added to the customers' stocks and each firm uses ``A_ik x_i`` of each input.

Link weights are read as flows per day (the model is scale-free, so annual
flows give the same relative results).  Without a shock nothing changes.

Examples
--------
>>> from chainkeeper.network import SupplyNetwork, Shock, simulate
>>> net = SupplyNetwork.from_edges([0, 1], [1, 2], [1.0, 1.0], [0, 1, 2],
...                                [[0, 2, 0], [0, 0, 2], [0, 0, 0]])
>>> res = simulate(net, [Shock(cut=1.0, firms=[0])], days=40, inventory_days=15)
>>> res.first_below_90.tolist()   # firm 1 runs dry on day 15, firm 2 on day 30
[0, 15, 30]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Sequence

import numpy as np

from .errors import InvalidWeightError, LengthMismatchError, ScenarioError
from .network import SupplyNetwork
from .rationing import ration_priority, ration_proportional
from .scenario import Shock, capacity_schedule

__all__ = ["SimulationResult", "simulate"]


@dataclass(frozen=True)
class SimulationResult:
    """Daily aggregates and per-firm outcomes of :func:`simulate`.

    Attributes
    ----------
    production, value_added : ndarray (days,)
        National totals per day (baseline: ``x0.sum()`` and its value added).
    region_codes : ndarray (R,)
        The distinct region codes (columns of ``*_by_region``).
    production_by_region, value_added_by_region : ndarray (days, R)
    production_by_industry, value_added_by_industry : ndarray (days, K)
    baseline_output : ndarray (n,)
        ``x0``, the firms' daily output without shock.
    first_below_90, first_below_50 : ndarray of int (n,)
        First day a firm produces below 90% / 50% of ``x0`` (-1: never).
    min_level : ndarray (n,)
        Lowest daily production as a share of ``x0`` (1 if never below).
    total_loss : ndarray (n,)
        Sum over days of ``x0 - x`` (in weight units).
    limiting_industry : ndarray of int (n,)
        Input industry that bound production on the firm's worst day
        (-1: capacity- or demand-bound, or never hit).
    days_input_bound : ndarray of int (n,)
        Days on which an input shortage was the binding constraint.
    trace : ndarray (days, len(trace_firms)) or None
        Daily production of the firms asked for with ``trace``.
    """

    production: np.ndarray
    value_added: np.ndarray
    region_codes: np.ndarray
    production_by_region: np.ndarray
    value_added_by_region: np.ndarray
    production_by_industry: np.ndarray
    value_added_by_industry: np.ndarray
    baseline_output: np.ndarray
    first_below_90: np.ndarray
    first_below_50: np.ndarray
    min_level: np.ndarray
    total_loss: np.ndarray
    limiting_industry: np.ndarray
    days_input_bound: np.ndarray
    trace: np.ndarray | None = None

    @property
    def hit(self) -> np.ndarray:
        """Indices of firms whose production ever fell below 99.9% of baseline."""
        return np.flatnonzero(self.min_level < 0.999)


class _Model:
    """Static arrays of the simulation (slots = customer x input industry)."""

    def __init__(self, net: SupplyNetwork, output, inventory_days: float, leontief: str):
        n, k = net.n_firms, net.n_industries
        self.n, self.sup, self.out_ptr = n, net.supplier, net.out_ptr
        x0 = np.maximum(net.s_out, net.s_in) if output is None else np.asarray(output, float)
        if x0.shape != (n,):
            raise LengthMismatchError(f"output must have shape ({n},), got {x0.shape}")
        if not np.isfinite(x0).all() or (x0 < net.s_out * (1 - 1e-9)).any():
            raise InvalidWeightError("output must be finite and at least each firm's sales to firms")
        self.x0 = x0
        self.final = np.maximum(x0 - net.s_out, 0.0)
        key = net.customer * np.int64(k) + net.industry[net.supplier]
        uniq, self.slot = np.unique(key, return_inverse=True)
        self.slot_cust, self.slot_ind = uniq // k, uniq % k
        self.n_slots = uniq.shape[0]
        pi = np.bincount(self.slot, weights=net.weight, minlength=self.n_slots)
        self.share = net.weight / pi[self.slot]
        self.a = np.divide(pi, x0[self.slot_cust], out=np.zeros_like(pi), where=x0[self.slot_cust] > 0)
        self.target = self._target_days(net, pi, inventory_days)
        types = net.essential[self.slot_ind, net.industry[self.slot_cust]]
        if leontief not in ("essential", "all"):
            raise ScenarioError(f"leontief must be 'essential' or 'all', got {leontief!r}")
        bind = (types == 2) if leontief == "essential" else (types >= 1)
        self.bind = np.flatnonzero(bind & (self.a > 0))
        bc = self.slot_cust[self.bind]
        first = np.ones(bc.shape[0], dtype=bool)
        first[1:] = bc[1:] != bc[:-1]
        self.bind_starts, self.bind_owner = np.flatnonzero(first), bc[first]
        self.va_share = np.divide(x0 - net.s_in, x0, out=np.zeros(n), where=x0 > 0).clip(0.0, 1.0)

    def _target_days(self, net, pi, default):
        if not default > 0:
            raise ScenarioError(f"inventory_days must be positive, got {default}")
        days = np.full(self.n_slots, float(default))
        if net.inventory_days is not None:
            known = ~np.isnan(net.inventory_days)
            num = np.bincount(self.slot, weights=np.where(known, net.inventory_days * net.weight, 0.0),
                              minlength=self.n_slots)
            den = np.bincount(self.slot, weights=np.where(known, net.weight, 0.0), minlength=self.n_slots)
            np.divide(num, den, out=days, where=den > 0)
        return days

    def input_limit(self, stock):
        """Input-limited output per firm and the slot that binds it."""
        lim = np.full(self.n, np.inf)
        if self.bind.size:
            ratio = stock[self.bind] / self.a[self.bind]
            lim[self.bind_owner] = np.minimum.reduceat(ratio, self.bind_starts)
        return lim

    def limiting_industry(self, stock, firms, lim):
        """Industry of the binding input of each of ``firms`` (given their limit)."""
        out = np.full(firms.shape[0], -1, dtype=np.int64)
        if not firms.size or not self.bind.size:
            return out
        cust = self.slot_cust[self.bind]
        sel = np.isin(cust, firms)
        b = self.bind[sel]
        ratio = stock[b] / self.a[b]
        cand = b[ratio <= lim[self.slot_cust[b]]]
        f, first = np.unique(self.slot_cust[cand], return_index=True)
        out[np.searchsorted(firms, f)] = self.slot_ind[cand[first]]
        return out


def simulate(
    network: SupplyNetwork,
    scenario: Sequence[Shock] | Shock,
    days: int = 60,
    *,
    output: np.ndarray | None = None,
    inventory_days: float = 15.0,
    tau: float = 6.0,
    rationing: Literal["proportional", "priority"] = "priority",
    leontief: Literal["essential", "all"] = "essential",
    trace: Sequence[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate ``days`` days of production after the shocks of ``scenario``.

    Parameters
    ----------
    network : SupplyNetwork
    scenario : Shock or sequence of Shock
        Capacity cuts (see :class:`Shock`); an empty list is the baseline.
    days : int, default 60
    output : ndarray (n,), optional
        Baseline daily output per firm (must be >= its sales to firms);
        default ``max(s_out, s_in)``.  Final demand is ``output - s_out``.
    inventory_days : float, default 15
        Target inventory (days of use) where the links carry none.
    tau : float, default 6
        Days over which a firm closes an inventory gap by ordering.
    rationing : {"priority", "proportional"}
        ``"priority"``: the Inoue-Todo rule (least-fulfilled customers first,
        final demand last); ``"proportional"``: equal shares.
    leontief : {"essential", "all"}
        Which inputs bound production: essential ones, or all used inputs.
    trace : sequence of int, optional
        Firms whose daily production is returned in ``result.trace``.
    progress : callable(done, total), optional
        Called after each simulated day.

    Returns
    -------
    SimulationResult
    """
    if days < 1 or tau <= 0:
        raise ScenarioError("days must be >= 1 and tau > 0")
    if rationing not in ("priority", "proportional"):
        raise ScenarioError(f"unknown rationing rule {rationing!r}")
    mdl = _Model(network, output, inventory_days, leontief)
    cut = capacity_schedule(network, scenario)
    rec = _Recorder(network, mdl, days, trace)
    stock = mdl.target * mdl.a * mdl.x0[mdl.slot_cust]
    demand_prev = mdl.x0.copy()
    fulfil = np.ones(network.n_links)
    for day in range(days):
        xcap = mdl.x0 * (1.0 - cut(day))
        exp_use = mdl.a * demand_prev[mdl.slot_cust]
        slot_order = np.maximum(exp_use + (mdl.target * exp_use - stock) / tau, 0.0)
        orders = slot_order[mdl.slot] * mdl.share
        demand = np.bincount(mdl.sup, weights=orders, minlength=mdl.n) + mdl.final
        lim = mdl.input_limit(stock)
        x = np.minimum(np.minimum(xcap, lim), demand)
        if rationing == "priority":
            sent, _ = ration_priority(x, orders, mdl.out_ptr, mdl.final, fulfil, mdl.sup)
            fulfil = np.divide(sent, orders, out=np.ones_like(sent), where=orders > 0)
        else:
            sent, _ = ration_proportional(x, orders, mdl.out_ptr, mdl.final, mdl.sup)
        received = np.bincount(mdl.slot, weights=sent, minlength=mdl.n_slots)
        rec.record(day, x, lim, xcap, demand, stock)
        stock = np.maximum(stock + received - mdl.a * x[mdl.slot_cust], 0.0)
        demand_prev = demand
        if progress is not None:
            progress(day + 1, days)
    return rec.result()


class _Recorder:
    """Accumulates daily aggregates and per-firm outcomes."""

    def __init__(self, net: SupplyNetwork, mdl: _Model, days: int, trace):
        n = net.n_firms
        self.mdl, self.ind = mdl, net.industry
        reg = np.zeros(n, dtype=np.int64) if net.region is None else net.region
        self.region_codes, self.reg = np.unique(reg, return_inverse=True)
        r, k = self.region_codes.shape[0], net.n_industries
        self.prod, self.va = np.zeros(days), np.zeros(days)
        self.prod_r, self.va_r = np.zeros((days, r)), np.zeros((days, r))
        self.prod_k, self.va_k = np.zeros((days, k)), np.zeros((days, k))
        self.t90 = np.full(n, -1, dtype=np.int64)
        self.t50 = np.full(n, -1, dtype=np.int64)
        self.min_level = np.ones(n)
        self.loss = np.zeros(n)
        self.limiting = np.full(n, -1, dtype=np.int64)
        self.bound_days = np.zeros(n, dtype=np.int64)
        self.trace_idx = None if trace is None else np.asarray(trace, dtype=np.int64)
        self.trace = None if trace is None else np.zeros((days, self.trace_idx.shape[0]))

    def record(self, day, x, lim, xcap, demand, stock):
        mdl = self.mdl
        va = x * mdl.va_share
        self.prod[day], self.va[day] = x.sum(), va.sum()
        r, k = self.region_codes.shape[0], self.prod_k.shape[1]
        self.prod_r[day] = np.bincount(self.reg, weights=x, minlength=r)
        self.va_r[day] = np.bincount(self.reg, weights=va, minlength=r)
        self.prod_k[day] = np.bincount(self.ind, weights=x, minlength=k)
        self.va_k[day] = np.bincount(self.ind, weights=va, minlength=k)
        level = np.divide(x, mdl.x0, out=np.ones_like(x), where=mdl.x0 > 0)
        self.t90[(self.t90 < 0) & (level < 0.9)] = day
        self.t50[(self.t50 < 0) & (level < 0.5)] = day
        self.loss += mdl.x0 - x
        input_bound = (lim < xcap) & (lim < demand) & (level < 1.0)
        self.bound_days += input_bound
        worse = np.flatnonzero(level < self.min_level)
        if worse.size:
            self.min_level[worse] = level[worse]
            self.limiting[worse] = -1
            ib = worse[input_bound[worse]]
            self.limiting[ib] = mdl.limiting_industry(stock, ib, lim)
        if self.trace is not None:
            self.trace[day] = x[self.trace_idx]

    def result(self) -> SimulationResult:
        return SimulationResult(
            production=self.prod, value_added=self.va, region_codes=self.region_codes,
            production_by_region=self.prod_r, value_added_by_region=self.va_r,
            production_by_industry=self.prod_k, value_added_by_industry=self.va_k,
            baseline_output=self.mdl.x0, first_below_90=self.t90, first_below_50=self.t50,
            min_level=self.min_level, total_loss=self.loss, limiting_industry=self.limiting,
            days_input_bound=self.bound_days, trace=self.trace,
        )
