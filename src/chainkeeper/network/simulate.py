"""Day-by-day shock propagation: the firm-level ARIO model of Inoue & Todo (2019).

The model is the one of the authors' public simulator (H. Inoue,
``HiroyasuInoue/ProductionNetworkSimulator``, ``proNet.cpp``), itself
Hallegatte's (2008) adaptive regional input-output model taken to firms.
Firm ``i`` has a baseline daily output ``x0_i``, buys ``A_ij`` a day from each
supplier ``j`` and sells ``c_i = x0_i - sum_j A_ji`` to final demand.  It
keeps a stock ``S_ij`` of each supplier's product, targeted at ``n`` days of
use.  Every day ``t``:

1. stocks receive yesterday's deliveries and lose yesterday's use:
   ``S_ij += O*_ij(t-1) - A_ij P_i(t-1) / x0_i`` (at least 0);
2. each firm orders against its **realised** production of yesterday:
   ``O_ij = A_ij P_i(t-1) / x0_i + (n A_ij P_i(t-1) / x0_i - S_ij) / tau``
   (at least 0);
3. demand ``D_j = c_j + sum_i O_ij``;
4. production ``P_i = min(capacity, input limit, D_i)``; the input limit of a
   binding input industry ``k`` is ``x0_i * sum_{j in k} S_ij / sum_{j in k} A_ij``
   (the industry's total stock across its suppliers);
5. a supplier short of its demand rations its production (:mod:`.rationing`);
   deliveries ``O*_ij`` arrive the next day.

The engine carries every quantity as a deviation from the baseline, so with
no shock every firm produces exactly ``x0`` for ever.  Options keep the
earlier chainkeeper rules available (``orders="demand"``,
``stock="industry"``, ``rationing="least_fulfilled_first"``); see
``docs/engine.md`` for their sources and effect.

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

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Literal, Mapping, Sequence

import numpy as np

from . import _sim_kernels as kern
from ._sim_linkpass import deliveries
from ._sim_parallel import DayRunner
from ._sim_model import SimModel
from .initial_state import as_link_days
from ._sim_outcome import Recorder, locked_firms_of_day
from .errors import ScenarioError
from .network import SupplyNetwork
from .scenario import Shock, capacity_schedule
from .stability import ORDER_RULES, StabilityReport, stability

__all__ = ["SimulationResult", "SimulationWarning", "simulate", "iterate_days", "DayState", "RATIONING_RULES",
           "ORDER_RULES",
           "AUTO_STABILITY_MAX_LINKS"]

#: rationing rules and the authors' ``-R`` option each reproduces (least_fulfilled_first: earlier chainkeeper)
RATIONING_RULES = {"proportional": 0, "final_demand_last": 1, "priority": 2,
                   "priority_final_demand_last": 3, "least_fulfilled_first": 4}
#: ``stock="link"``: run the day in supplier (CSR) order (:mod:`._sim_linkpass`); False runs the customer-order
#: kernels that ``stock="industry"`` uses - the same numbers bitwise, kept as the yardstick of the tests
SUPPLIER_ORDER = True
#: ``check_stability=None`` computes the verdict up to this many links
AUTO_STABILITY_MAX_LINKS = 200_000


@dataclass(frozen=True)
class SimulationWarning:
    """Something the analyst must know about a result: a stable ``code``, an English ``message``, ``params``.

    Codes: ``unstable`` (params ``spectral_radius``, ``inventory_days``, ``tau``), ``marginal``
    (``spectral_radius``), ``stability_unchecked`` (``n_links``), ``locked_firms`` (``count``,
    ``no_input``, ``no_demand``), ``not_recovered`` (``level``: last day's production over baseline,
    ``firms_below``), ``inventory_raised`` (``count``: links whose stock target was below one day and
    was raised to one day).
    """

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SimulationResult:
    """Daily aggregates and per-firm outcomes of :func:`simulate`.

    Attributes
    ----------
    production, value_added : ndarray (days,)
        National totals per day (baseline: ``x0.sum()`` and its value added).
    final_demand_served : ndarray (days,)
        What final demand received per day (baseline: ``sum(c)``).
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
    limiting_at_90 : ndarray of int (n,)
        Input industry that bound production on the day the firm first fell
        below 90% (-1: capacity- or demand-bound, or never below 90%).
    days_input_bound : ndarray of int (n,)
        Days on which an input shortage was the binding constraint.
    trace : ndarray (days, len(trace_firms)) or None
        Daily production of the firms asked for with ``trace``.
    locked_firms : ndarray of int
        Firms stopped on the last day that the model will never restart.
    locked_reason : ndarray of str
        Per locked firm: ``"no_input"`` (a binding input's stock is empty and
        the firm orders against its own zero production) or ``"no_demand"``
        (no final demand and every customer is locked).
    locked_industry : ndarray of int
        Per locked firm: the empty input industry (-1 for ``no_demand``).
    stability : StabilityReport or None
        Whether the network returns to its steady state (see :func:`stability`).
    warnings : tuple of SimulationWarning
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
    final_demand_served: np.ndarray | None = None
    locked_firms: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    locked_reason: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<U9"))
    locked_industry: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    stability: StabilityReport | None = None
    warnings: tuple[SimulationWarning, ...] = ()
    limiting_at_90: np.ndarray | None = None

    @property
    def hit(self) -> np.ndarray:
        """Indices of firms whose production ever fell below 99.9% of baseline."""
        return np.flatnonzero(self.min_level < 0.999)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        """The codes of :attr:`warnings`, in order."""
        return tuple(w.code for w in self.warnings)


def simulate(
    network: SupplyNetwork,
    scenario: Sequence[Shock] | Shock,
    days: int = 60,
    *,
    output: np.ndarray | None = None,
    inventory_days: float = 15.0,
    tau: float = 6.0,
    rationing: Literal["priority", "proportional", "final_demand_last", "priority_final_demand_last",
                       "least_fulfilled_first"] = "priority",
    orders: Literal["realised", "keep_initial_target", "ignore_negative_gap", "demand"] = "realised",
    stock: Literal["link", "industry"] = "link",
    leontief: Literal["essential", "all"] = "essential",
    check_stability: bool | None = None,
    initial_stock_days: np.ndarray | Mapping[tuple[int, int], float] | None = None,
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
        Target stock in days of use where the links carry none: ``inventoryN = 15``
        in the authors' ``proNet.cpp``.  Targets below one day are raised to one
        day (a daily model cannot run on less; a warning says how many).
    tau : float, default 6
        Days over which a firm closes a stock gap by ordering: ``tau = 6`` in
        ``proNet.cpp`` (Hallegatte 2008's inventory adjustment time).
    rationing : str, default "priority"
        How a short supplier splits its production (authors' ``-R``):
        ``"priority"`` (-R 2, Inoue & Todo's rule: customers, final demand
        included, are served up to a common ratio of their order to their
        pre-shock order, lowest ratios first), ``"proportional"`` (-R 0,
        Hallegatte's: everyone the same share), ``"final_demand_last"`` (-R 1),
        ``"priority_final_demand_last"`` (-R 3), ``"least_fulfilled_first"``
        (the earlier chainkeeper rule: firms whose previous order was least
        fulfilled are served first and in full, final demand last).
    orders : str, default "realised"
        What a firm orders against (authors' ``-o``): ``"realised"`` (-o 0,
        yesterday's production), ``"keep_initial_target"`` (-o 1: the stock
        target stays at its pre-shock level, so a stopped firm still refills
        its stocks and can restart), ``"ignore_negative_gap"`` (-o 2: a stock
        above target does not reduce orders), ``"demand"`` (the earlier
        chainkeeper rule: yesterday's demand, which has no capacity ceiling).
    stock : {"link", "industry"}, default "link"
        A stock per supplier link (the authors') or per input industry (the
        earlier chainkeeper rule: a shortfall is reordered from every supplier of
        the industry by baseline share).
    leontief : {"essential", "all"}, default "essential"
        Which input industries bound production: those rated essential (2) in
        the network's essentiality matrix, or every industry the firm buys from
        (the authors' model, whatever the matrix says).
    check_stability : bool, optional
        Compute :func:`stability` and warn when the network does not return to
        its steady state.  Default: only up to ``AUTO_STABILITY_MAX_LINKS`` links.
    initial_stock_days : ndarray (m,) or mapping (firm, input industry) -> days, optional
        Start from a reported state instead of the steady state: each link's
        stock on day 0, in days of its baseline use (``d * A_ij``, the unit of
        ``inventoryN`` in ``proNet.cpp``); per link in the network's (CSR)
        order, or per customer and input industry (see
        :func:`~chainkeeper.network.initial_state.stock_days_per_link`); NaN =
        the link's target.  Flows of day -1 are the baseline, so the stock on
        day 0 is exactly the one given; targets stay at ``inventory_days``.
        Today's capacities are the ``scenario``'s shocks.
    trace : sequence of int, optional
        Firms whose daily production is returned in ``result.trace``.
    progress : callable(done, total), optional
        Called after each simulated day.

    Returns
    -------
    SimulationResult
    """
    mdl = _model(network, output, inventory_days, tau, rationing, orders, stock, leontief, days, initial_stock_days)
    rec = Recorder(network, mdl, days, trace)
    for st in _days(mdl, network, capacity_schedule(network, scenario), days, RATIONING_RULES[rationing],
                    ORDER_RULES[orders], tau):
        rec.record(st.day, st.p, st.pm, st.pm_ind, st.cut, st.d, st.fc, st.runner)
        if progress is not None:
            progress(st.day + 1, days)
    firms, reasons, inds = locked_firms_of_day(network, mdl, ORDER_RULES[orders], st)
    report = _stability(network, output, inventory_days, tau, orders, stock, leontief, check_stability)
    warns = _warnings(mdl, report, firms, reasons, inventory_days, tau)
    warns += _not_recovered(mdl, st.cut, rec)
    return SimulationResult(
        production=rec.prod, value_added=rec.va, region_codes=rec.region_codes,
        production_by_region=rec.prod_r, value_added_by_region=rec.va_r,
        production_by_industry=rec.prod_k, value_added_by_industry=rec.va_k,
        baseline_output=mdl.x0, first_below_90=rec.t90, first_below_50=rec.t50,
        min_level=rec.min_level, total_loss=rec.loss, limiting_industry=rec.limiting,
        days_input_bound=rec.bound_days, trace=rec.trace, final_demand_served=rec.fc,
        locked_firms=firms, locked_reason=reasons, locked_industry=inds, stability=report,
        warnings=warns, limiting_at_90=rec.limiting_90,
    )


class DayState:
    """The model's state at the end of a day (yielded by :func:`iterate_days`; valid until the next day).

    Attributes are absolute quantities: ``production``, ``capacity``,
    ``demand``, ``input_limit`` (inf where no input binds) and
    ``final_demand_served`` per firm; ``orders`` and ``deliveries`` per link
    in the network's (CSR) link order; ``stock`` per stock unit (per link,
    or per customer and input industry with ``stock="industry"``) after the
    day's stock update.
    """

    def __init__(self, mdl: SimModel, order_on_demand: bool = False, levels: bool = False):
        n, m = mdl.n, mdl.m
        self._mdl = mdl
        self.day = -1
        # stock="link": stocks per link in CSR order (the supplier-order day, :mod:`._sim_linkpass`)
        self.by_supplier = mdl.stock == "link" and SUPPLIER_ORDER
        self.s = mdl.initial_stock_csr() if self.by_supplier else mdl.initial_stock_dev()
        # per customer, over x0: yesterday's production and what it orders against (the same array unless orders
        # follow demand: the order rule "demand")
        self.q_use = np.zeros(n)
        self.q_order = np.zeros(n) if order_on_demand else self.q_use
        # priority rules with a stock per link: no delivery per link is stored, each supplier keeps its level
        # (``lam``; ``full``: every order delivered) and a delivery is computed where it is used (_sim_linkpass)
        self.levels = levels and self.by_supplier
        self.lam, self.full = np.full(n, np.inf), np.ones(n, dtype=bool)
        if self.levels:
            self.o, self.od_store = np.zeros(m), np.zeros(0)
        else:
            # orders and deliveries of a link side by side: the customer pass reads a link's delivery and writes
            # its order in the same cache line (one random access per link instead of two)
            self._o_od = np.zeros((m, 2))
            self.o, self.od_store = self._o_od[:, 0], self._o_od[:, 1]
        self.fulfil = np.ones(0 if self.levels else m)   # read by least_fulfilled_first only
        self.p, self.d, self.d_prev = np.zeros(n), np.zeros(n), np.zeros(n)
        self.pm, self.pm_ind, self.fc = np.zeros(n), np.zeros(n, np.int64), np.zeros(n)
        self.cut = np.zeros(n)
        self.runner = None               # the day's thread pool (:class:`._sim_parallel.DayRunner`)

    @property
    def od(self) -> np.ndarray:
        """Delivery deviations per link (CSR order)."""
        if not self.levels:
            return self.od_store
        mdl = self._mdl
        out = np.empty(mdl.m)
        deliveries(mdl.out_ptr, mdl.a_csr, self.o, self.lam, self.full, out)
        return out

    @property
    def production(self) -> np.ndarray:
        return self._mdl.x0 + self.p

    @property
    def capacity(self) -> np.ndarray:
        return self._mdl.x0 * (1.0 - self.cut)

    @property
    def demand(self) -> np.ndarray:
        return self._mdl.x0 + self.d

    @property
    def input_limit(self) -> np.ndarray:
        return self._mdl.x0 + self.pm

    @property
    def final_demand_served(self) -> np.ndarray:
        return self.fc

    @property
    def orders(self) -> np.ndarray:
        return self._mdl.a_csr + self.o

    @property
    def deliveries(self) -> np.ndarray:
        return self._mdl.a_csr + self.od

    @property
    def s_units(self) -> np.ndarray:
        """Stock deviations per stock unit (customer order), whatever the layout the day ran in."""
        return self.s[self._mdl.link_of] if self.by_supplier else self.s

    @property
    def stock(self) -> np.ndarray:
        return self._mdl.unit_ta + self.s_units

    def stock_days_tomorrow(self) -> np.ndarray:
        """Per link (CSR order): the stock it starts the next day with, in days of the link's baseline use.

        What a firm reports at the end of the day: today's stock plus today's deliveries minus today's use
        (step 1 of the next day, at least 0); with ``stock="industry"`` each link shows its unit's days.  Fed
        back as ``initial_stock_days`` it starts a simulation from this evening's stocks.
        """
        mdl = self._mdl
        safe = np.where(mdl.x0 > 0, mdl.x0, 1.0)
        recv = np.bincount(mdl.link_unit, weights=self.deliveries[mdl.link_of], minlength=mdl.unit_a.shape[0])
        use = mdl.unit_a * (self.production / safe)[mdl.unit_cust]
        days_unit = np.maximum(self.stock + recv - use, 0.0) / mdl.unit_a
        out = np.empty(mdl.m)
        out[mdl.link_of] = days_unit[mdl.link_unit]
        return out


def iterate_days(network: SupplyNetwork, scenario: Sequence[Shock] | Shock, days: int = 60, *,
                 output: np.ndarray | None = None, inventory_days: float = 15.0, tau: float = 6.0,
                 rationing: str = "priority", orders: str = "realised", stock: str = "link",
                 leontief: str = "essential", initial_stock_days=None) -> Iterator[DayState]:
    """The days of :func:`simulate` one at a time (same parameters), as :class:`DayState` objects."""
    mdl = _model(network, output, inventory_days, tau, rationing, orders, stock, leontief, days, initial_stock_days)
    yield from _days(mdl, network, capacity_schedule(network, scenario), days, RATIONING_RULES[rationing],
                     ORDER_RULES[orders], tau)


def _model(network, output, inventory_days, tau, rationing, orders, stock, leontief, days,
           initial_stock_days=None) -> SimModel:
    if days < 1 or not tau > 0:
        raise ScenarioError("days must be >= 1 and tau > 0")
    if rationing not in RATIONING_RULES:
        raise ScenarioError(f"unknown rationing rule {rationing!r}; use one of {', '.join(RATIONING_RULES)}")
    if orders not in ORDER_RULES:
        raise ScenarioError(f"unknown order rule {orders!r}; use one of {', '.join(ORDER_RULES)}")
    return SimModel(network, output, inventory_days, leontief, stock, as_link_days(network, initial_stock_days))


def _days(mdl: SimModel, net: SupplyNetwork, cut, days, ration_rule, order_rule, tau) -> Iterator[DayState]:
    """The daily loop (see the module docstring for the order of the steps)."""
    st = DayState(mdl, order_rule == 3, ration_rule in (2, 3))
    safe_x0 = np.where(mdl.x0 > 0, mdl.x0, 1.0)
    kernel_rule = 0 if order_rule == 3 else order_rule
    runner = st.runner = DayRunner(mdl, net.out_ptr)
    try:
        if st.by_supplier:
            yield from _days_by_supplier(mdl, net, cut, days, ration_rule, kernel_rule, order_rule == 3, tau, st,
                                         runner, safe_x0)
            return
        for day in range(days):
            q_use = st.p / safe_x0
            q_order = st.d_prev / safe_x0 if order_rule == 3 else q_use
            runner.inputs_and_orders(mdl, q_use, q_order, 1.0 / tau, kernel_rule, st)
            st.cut = cut(day)
            kern.produce(mdl.x0, st.cut, st.pm, st.d, st.p)
            runner.ration(ration_rule, net.weight, mdl, st)
            st.day = day
            yield st
            st.d_prev[:] = st.d
    finally:
        runner.close()


def _days_by_supplier(mdl, net, cut, days, ration_rule, kernel_rule, order_on_demand, tau, st, runner,
                      safe_x0) -> Iterator[DayState]:
    """The daily loop with a stock per link: the same steps, links in CSR order (:mod:`._sim_linkpass`)."""
    for day in range(days):
        st.cut = cut(day)
        runner.link_day(mdl, ration_rule, net.weight, kernel_rule, order_on_demand, 1.0 / tau, safe_x0, st)
        st.day = day
        yield st


def _not_recovered(mdl: SimModel, last_cut: np.ndarray, rec: Recorder) -> tuple[SimulationWarning, ...]:
    """Warn when no cut is left on the last day but production has not come back."""
    base = float(mdl.x0.sum())
    level = float(rec.prod[-1] / base) if base > 0 else 1.0
    if last_cut.any() or level >= 0.999:
        return ()
    x = mdl.x0 + rec.last_p
    below = int((x < 0.999 * mdl.x0).sum())
    return (SimulationWarning(
        "not_recovered",
        f"No capacity is cut on the last day, yet production is {level:.1%} of baseline: {below} firms are still "
        "below their baseline, held there by stocks their suppliers cannot refill (orders follow production, so "
        "the economy can settle below its baseline) or stopped for good.",
        {"level": level, "firms_below": below}),)


def _stability(net, output, inventory_days, tau, orders, stock, leontief, check) -> StabilityReport:
    if check is None:
        check = net.n_links <= AUTO_STABILITY_MAX_LINKS
    if not check:
        gain = 1.0 if orders == "keep_initial_target" else 1.0 + inventory_days / tau
        return StabilityReport("unchecked", None, gain, "none")
    return stability(net, output=output, inventory_days=inventory_days, tau=tau, orders=orders, stock=stock,
                     leontief=leontief)


def _warnings(mdl, report, firms, reasons, inventory_days, tau) -> tuple[SimulationWarning, ...]:
    out = []
    rho = report.spectral_radius
    if report.verdict == "unstable":
        out.append(SimulationWarning(
            "unstable",
            f"The network does not return to its steady state with {inventory_days:g}-day stock targets and "
            f"tau = {tau:g}: any deviation grows by a factor {rho:.3f} a day (orders pass changes upstream "
            f"with gain 1 + n/tau around the network's cycles), so late days show oscillation, not the shock. "
            f"Use shorter stock targets, a longer tau or orders='keep_initial_target'.",
            {"spectral_radius": rho, "inventory_days": inventory_days, "tau": tau}))
    elif report.verdict == "marginal":
        out.append(SimulationWarning(
            "marginal",
            "Part of the network neither returns to nor leaves a disturbed state (a closed loop of firms "
            "without final demand): its production may settle at a new level after a shock.",
            {"spectral_radius": rho}))
    elif report.verdict == "unchecked":
        out.append(SimulationWarning(
            "stability_unchecked",
            f"Stability was not checked for this network of {mdl.m:,} links (call stability() or pass "
            "check_stability=True).", {"n_links": mdl.m}))
    if firms.size:
        n_in = int((reasons == "no_input").sum())
        out.append(SimulationWarning(
            "locked_firms",
            f"{firms.size} firms have stopped and will not restart: {n_in} have an empty input they no longer "
            f"reorder (they order against their own production, which is zero) and {firms.size - n_in} have no "
            "demand left (no final demand, and every customer has stopped for good). "
            "orders='keep_initial_target' keeps them ordering.",
            {"count": int(firms.size), "no_input": n_in, "no_demand": int(firms.size - n_in)}))
    if mdl.raised_links:
        out.append(SimulationWarning(
            "inventory_raised",
            f"{mdl.raised_links} links had a stock target below one day; it was raised to one day.",
            {"count": mdl.raised_links}))
    return tuple(out)
