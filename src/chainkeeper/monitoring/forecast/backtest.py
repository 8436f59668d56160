"""Backtest: forecasts made on each report day of a story, checked against what the simulation then produced.

The story is a scenario run day by day (:func:`chainkeeper.network.simulate.iterate_days`).  Each evening the
reporting firms report as lane B's daily scheduling does: their capacity (the share of normal capacity the plant
could run today: a plant idle for lack of parts keeps its capacity) and days of inventory per input industry
(``DayState.stock_days_tomorrow`` summed over the industry's suppliers).  On
each report day a forecast is seeded with those reports only (:mod:`.compute`) and compared, for every key firm
that was still above the threshold that day, with the first day the story brought it below 90% / 50%:

* an **event** is a key firm the story brings below the threshold within ``window`` days;
* a **hit** is an event the forecast also puts within the window; a **miss** one it does not;
* a **false alarm** is a firm the forecast puts below within the window that the story does not;
* the **error** of a hit is forecast day minus true day (positive = the forecast is late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from chainkeeper.network import Shock, SupplyNetwork

from .compute import forecast_network

THRESHOLDS = {"90": 0.9, "50": 0.5}


@dataclass(frozen=True)
class Score:
    """Counts and errors of one threshold over one or more report days."""

    events: int = 0
    predicted: int = 0
    hits: int = 0
    false_alarms: int = 0
    abs_error_sum: float = 0.0
    error_sum: float = 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(*(a + b for a, b in zip(asdict(self).values(), asdict(other).values())))

    @property
    def misses(self) -> int:
        return self.events - self.hits

    @property
    def hit_rate(self) -> float | None:
        """Hits over events (None without events)."""
        return self.hits / self.events if self.events else None

    @property
    def false_alarm_ratio(self) -> float | None:
        """False alarms over predicted falls (None without predictions)."""
        return self.false_alarms / self.predicted if self.predicted else None

    @property
    def mean_abs_error(self) -> float | None:
        """Mean absolute error of the hits, in days."""
        return self.abs_error_sum / self.hits if self.hits else None

    @property
    def mean_error(self) -> float | None:
        """Mean signed error of the hits, in days (positive: the forecast says later than it happened)."""
        return self.error_sum / self.hits if self.hits else None

    def as_dict(self) -> dict:
        return asdict(self) | {"misses": self.misses, "hit_rate": self.hit_rate,
                               "false_alarm_ratio": self.false_alarm_ratio, "mean_abs_error": self.mean_abs_error,
                               "mean_error": self.mean_error}


@dataclass(frozen=True)
class Story:
    """The story's daily output levels and capacities (days x firms) and each evening's stock days per link."""

    level: np.ndarray
    stock_days: np.ndarray
    capacity: np.ndarray


def run_story(net: SupplyNetwork, shocks: Sequence[Shock], days: int, **options) -> Story:
    """Run the scenario and keep what the reports and the truth need."""
    from chainkeeper.network.simulate import iterate_days  # numba on first use, not at start-up

    level = np.zeros((days, net.n_firms))
    capacity = np.ones((days, net.n_firms))
    stock = np.zeros((days, net.n_links))
    for st in iterate_days(net, shocks, days, **options):
        level[st.day] = np.divide(st.production, st.production - st.p, out=np.ones(net.n_firms),
                                  where=st.production - st.p > 0)
        capacity[st.day] = 1.0 - st.cut
        stock[st.day] = st.stock_days_tomorrow()
    return Story(level, stock, capacity)


def reported_seed(net: SupplyNetwork, story: Story, day: int, reporters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Capacity per firm and initial stock days per link as the reporters' reports of ``day`` say.

    Capacity as the report's ``capacity_utilisation / 100``; stocks per input industry as days of the industry's
    total baseline use (what an ``inventory`` row holds), the same for each of its links.
    """
    capacity = np.ones(net.n_firms)
    capacity[reporters] = story.capacity[day, reporters]
    reporting = np.zeros(net.n_firms, dtype=bool)
    reporting[reporters] = True
    keep = reporting[net.customer]
    k = net.n_industries
    slot = net.customer.astype(np.int64) * k + net.industry[net.supplier]
    stock = story.stock_days[day] * net.weight
    slots, inverse = np.unique(slot[keep], return_inverse=True)
    days = np.bincount(inverse, weights=stock[keep]) / np.bincount(inverse, weights=net.weight[keep])
    out = np.full(net.n_links, np.nan)
    out[np.flatnonzero(keep)] = days[inverse]
    return capacity, out


def score_day(story: Story, result, day: int, key_firms: np.ndarray, window: int) -> dict[str, Score]:
    """Scores of the forecast made on ``day`` (its result's day 0 is the story's ``day + 1``)."""
    out = {}
    future = story.level[day + 1: day + 1 + window, key_firms]
    for name, thr in THRESHOLDS.items():
        running = story.level[day, key_firms] >= thr
        below = future < thr
        true_day = np.where(below.any(axis=0), below.argmax(axis=0) + 1, -1)
        first = (result.first_below_90 if name == "90" else result.first_below_50)[key_firms]
        fc_day = np.where((first >= 0) & (first < window), first + 1, -1)
        event, pred = running & (true_day > 0), running & (fc_day > 0)
        hit = event & pred
        err = (fc_day - true_day)[hit]
        out[name] = Score(int(event.sum()), int(pred.sum()), int(hit.sum()), int((pred & ~event).sum()),
                          float(np.abs(err).sum()), float(err.sum()))
    return out


def backtest(net: SupplyNetwork, shocks: Sequence[Shock], report_days: Sequence[int], key_firms, reporters, *,
             horizon: int = 30, window: int = 14, seed_for=None, **options) -> list[dict[str, Score]]:
    """Scores per report day (story days, 0 = the scenario's first day), thresholds "90" and "50".

    ``seed_for(day)`` may return the (capacity, stock days) of stored reports for a story day (None: the
    reporters report the story, :func:`reported_seed`).
    """
    key_firms = np.asarray(key_firms, dtype=np.int64)
    reporters = np.asarray(reporters, dtype=np.int64)
    story = run_story(net, shocks, max(report_days) + 1 + window, **options)
    out = []
    for day in report_days:
        seeded = seed_for(day) if seed_for is not None else None
        capacity, stock = seeded if seeded is not None else reported_seed(net, story, day, reporters)
        result = forecast_network(net, capacity, stock, horizon, **options)
        out.append(score_day(story, result, day, key_firms, window))
    return out


def total(scores: Sequence[dict[str, Score]]) -> dict[str, Score]:
    """The report days' scores added up per threshold."""
    return {name: sum((s[name] for s in scores), Score()) for name in THRESHOLDS}
