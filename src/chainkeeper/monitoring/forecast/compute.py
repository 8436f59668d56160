"""The forecast's arithmetic, free of the database: a reported state in, lines per key enterprise out.

A :class:`ReportedState` is what the latest daily-scheduling reports say (lane B's field keys): each reporting
enterprise's capacity (``capacity_utilisation / 100``) and its days of inventory per input industry or per
supplier.  :func:`forecast_network` seeds the engine with it — reported capacities as cuts that last the whole
horizon (nothing is known about recovery: a persistence forecast), reported stocks as the initial stock of the
matching links (:func:`chainkeeper.network.stock_days_per_link`), every other firm at its steady state — and runs
Inoue & Todo's day-by-day model (:func:`chainkeeper.network.simulate`).

Days are counted from the report date ``made_on``: forecast day 1 is the day after it.  A line's ``day_below_90``
is the first day the enterprise makes less than 90% of its normal output; "stops" means below 50%.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from chainkeeper.network import Shock, SupplyNetwork, limiting_chain, stock_days_per_link

if TYPE_CHECKING:
    from chainkeeper.network.simulate import SimulationResult

RED_DAYS = 3
"""A key enterprise that stops (below 50%) within this many days is red."""
YELLOW_DAYS = 7
"""... within this many days, yellow."""
LIGHT_RED = 3.0
"""Days of inventory below this: a red inventory light (below :data:`LIGHT_YELLOW`: yellow)."""
LIGHT_YELLOW = 7.0
CAPACITY_STEP = 1e-3
"""Reported capacities are grouped to this precision (one engine shock per group)."""


@dataclass(frozen=True)
class InventoryRow:
    """One row of a report's ``inventory`` table."""

    enterprise_id: int
    input_industry: str
    supplier_uscc: str
    part: str
    days: float

    @property
    def light(self) -> str:
        """``"red"`` (< 3 days), ``"yellow"`` (< 7 days) or ``""``."""
        return "red" if self.days < LIGHT_RED else "yellow" if self.days < LIGHT_YELLOW else ""


@dataclass(frozen=True)
class ReportedState:
    """What the reports say: capacity factor per enterprise id (1.0 = normal) and its inventory rows."""

    capacity: Mapping[int, float] = field(default_factory=dict)
    inventory: tuple[InventoryRow, ...] = ()

    @property
    def n_reporting(self) -> int:
        return len(set(self.capacity) | {row.enterprise_id for row in self.inventory})


def state_from_values(values: Mapping[int, Mapping]) -> ReportedState:
    """A :class:`ReportedState` from report values per enterprise id (lane B's ``daily_scheduling`` keys).

    >>> s = state_from_values({7: {"capacity_utilisation": 40, "inventory": [{"input_industry": "3670",
    ...                                                                        "days": 2.5}]}})
    >>> s.capacity, s.inventory[0].light
    ({7: 0.4}, 'red')
    """
    capacity, rows = {}, []
    for eid, vals in values.items():
        if vals.get("capacity_utilisation") is not None:
            capacity[int(eid)] = float(vals["capacity_utilisation"]) / 100.0
        for row in vals.get("inventory") or ():
            if row.get("days") is None:
                continue
            rows.append(InventoryRow(int(eid), str(row.get("input_industry") or ""),
                                     str(row.get("supplier_uscc") or ""), str(row.get("part") or ""),
                                     float(row["days"])))
    return ReportedState(capacity, tuple(rows))


@dataclass(frozen=True)
class Line:
    """The forecast for one key enterprise (firm index ``firm``; days from the report date, None = not within)."""

    firm: int
    day_below_90: int | None
    day_below_50: int | None
    min_level: float
    binding_industry: int  # industry index, -1 = own capacity or demand
    chain: tuple[int, ...]  # firm indices, nearest supplier first
    capacity: float = 1.0  # its own capacity as reported (1.0 when it does not report)

    @property
    def level(self) -> str:
        """``"red"`` (stops within 3 days), ``"yellow"`` (within 7) or ``""``.

        An enterprise whose own reported capacity is already below 50% has stopped: it is no forecast, no level.
        """
        d = self.day_below_50
        if d is None or self.capacity < 0.5:
            return ""
        return "red" if d <= RED_DAYS else "yellow" if d <= YELLOW_DAYS else ""


def shocks_from_capacity(capacity: np.ndarray) -> list[Shock]:
    """One never-ending shock per distinct capacity below 1 (``capacity``: factor per firm index)."""
    cut = np.round((1.0 - np.clip(capacity, 0.0, 1.0)) / CAPACITY_STEP) * CAPACITY_STEP
    out = []
    for value in np.unique(cut[cut > 0]):
        out.append(Shock(cut=float(min(value, 1.0)), firms=np.flatnonzero(cut == value)))
    return out


def seed_arrays(net: SupplyNetwork, firm_of: Mapping[int, int], usccs: Mapping[str, int], industries: list[str],
                state: ReportedState) -> tuple[np.ndarray, np.ndarray]:
    """Capacity per firm index and initial stock days per link from a state keyed by enterprise id.

    An inventory row names a supplier (its USCC; the link's stock) or an input industry: a GB/T 4754 code that
    covers every registry industry it prefixes (``"36"`` = division 36, ``"3670"`` = that class).  Rows of
    enterprises, suppliers or links outside the network are skipped.
    """
    capacity = np.ones(net.n_firms)
    for eid, factor in state.capacity.items():
        if eid in firm_of:
            capacity[firm_of[eid]] = factor
    by_industry, by_supplier = {}, {}
    covered = _prefixes(industries)
    cust_sup = set(zip(net.customer.tolist(), net.supplier.tolist())) if any(
        r.supplier_uscc for r in state.inventory) else set()
    for row in state.inventory:
        firm = firm_of.get(row.enterprise_id)
        if firm is None:
            continue
        if row.supplier_uscc:
            sup = usccs.get(row.supplier_uscc)
            if sup is not None and (firm, sup) in cust_sup:
                by_supplier[(firm, sup)] = row.days
            continue
        for k in covered.get(row.input_industry, ()):
            by_industry[(firm, k)] = row.days
    return capacity, stock_days_per_link(net, by_industry=by_industry, by_supplier=by_supplier)


def _prefixes(industries: list[str]) -> dict[str, list[int]]:
    """Every prefix of every industry code -> the industry indices it covers."""
    out: dict[str, list[int]] = {}
    for k, code in enumerate(industries):
        for end in range(1, len(code) + 1):
            out.setdefault(code[:end], []).append(k)
    return out


def forecast_network(net: SupplyNetwork, capacity: np.ndarray, stock_days: np.ndarray, horizon: int,
                     **options) -> SimulationResult:
    """Run the engine from the reported state for ``horizon`` days (options go to :func:`simulate`)."""
    from chainkeeper.network import simulate  # numba on first use, not at start-up

    options.setdefault("check_stability", False)
    options.setdefault("rationing", "priority")
    return simulate(net, shocks_from_capacity(capacity), days=horizon, initial_stock_days=stock_days, **options)


def lines_for(net: SupplyNetwork, result: SimulationResult, key_firms: Iterable[int],
              capacity: np.ndarray | None = None) -> list[Line]:
    """Lines for the key firms that fall below 90% within the result's days, soonest first."""
    out = []
    for firm in key_firms:
        t90 = int(result.first_below_90[firm])
        if t90 < 0:
            continue
        t50 = int(result.first_below_50[firm])
        binding = int(result.limiting_at_90[firm])
        out.append(Line(firm=int(firm), day_below_90=t90 + 1, day_below_50=t50 + 1 if t50 >= 0 else None,
                        min_level=float(result.min_level[firm]), binding_industry=binding,
                        chain=tuple(limiting_chain(net, result, firm)),
                        capacity=1.0 if capacity is None else float(capacity[firm])))
    out.sort(key=lambda line: (line.day_below_50 or 10**6, line.day_below_90, line.firm))
    return out
