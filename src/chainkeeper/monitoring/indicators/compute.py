"""Pure computations on monthly series: growth from levels, cumulative growth, contributions, rankings, gaps.

A series is a list of :class:`Point` ('YYYY-MM', value, combined_months). Jan–Feb published together is one point
dated February with ``combined_months`` 2. Nothing here touches the database.

>>> yoy_from_levels([Point("2021-03", 100.0), Point("2022-03", 95.0)])
[Point(period='2022-03', value=-5.0, combined_months=1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    """One monthly figure: ``period`` 'YYYY-MM', ``value``, ``combined_months`` (2 for Jan–Feb together)."""

    period: str
    value: float
    combined_months: int = 1


@dataclass(frozen=True)
class Ranked:
    """A place in a ranking: ``rank`` (ties share a rank: 1, 2, 2, 4), ``key`` and ``value``."""

    rank: int
    key: str
    value: float


def shift_year(period: str, years: int = -1) -> str:
    """The same month ``years`` later ('2022-04', -1 → '2021-04')."""
    return f"{int(period[:4]) + years:04d}{period[4:]}"


def _by_period(points: Iterable[Point]) -> dict[str, Point]:
    return {point.period: point for point in points}


def _growth(now: float, before: float) -> float | None:
    """Growth in % (None when the base is not positive)."""
    return None if before <= 0 else round((now / before - 1.0) * 100.0, 6)


def yoy_from_levels(levels: Iterable[Point]) -> list[Point]:
    """Year-on-year growth (%) of each month whose month a year before is known, with the same months combined.

    >>> yoy_from_levels([Point("2021-02", 50.0, 2), Point("2022-02", 55.0, 2), Point("2022-03", 9.0)])
    [Point(period='2022-02', value=10.0, combined_months=2)]
    """
    known = _by_period(levels)
    out = []
    for period, point in sorted(known.items()):
        before = known.get(shift_year(period))
        if before is None or before.combined_months != point.combined_months:
            continue
        growth = _growth(point.value, before.value)
        if growth is not None:
            out.append(Point(period, growth, point.combined_months))
    return out


def _year_to_date(known: Mapping[str, Point], period: str) -> float | None:
    """The sum of the levels from January to ``period`` (None when a month is missing)."""
    year, month = period[:4], int(period[5:7])
    total, covered = 0.0, 0
    for m in range(month, 0, -1):
        if covered >= month - m + 1:
            continue
        point = known.get(f"{year}-{m:02d}")
        if point is None:
            return None
        total += point.value
        covered += point.combined_months
    return total if covered == month else None


def cumulative_yoy_from_levels(levels: Iterable[Point]) -> list[Point]:
    """Cumulative (year-to-date) growth in % for every month whose year-to-date sums are known this year and last.

    >>> pts = [Point("2021-02", 10.0, 2), Point("2021-03", 10.0), Point("2022-02", 11.0, 2), Point("2022-03", 13.0)]
    >>> cumulative_yoy_from_levels(pts)
    [Point(period='2022-02', value=10.0, combined_months=2), Point(period='2022-03', value=20.0, combined_months=1)]
    """
    known = _by_period(levels)
    out = []
    for period in sorted(known):
        now, before = _year_to_date(known, period), _year_to_date(known, shift_year(period))
        if now is None or before is None:
            continue
        growth = _growth(now, before)
        if growth is not None:
            out.append(Point(period, growth, known[period].combined_months))
    return out


def cumulative_yoy_from_monthly(yoy: Iterable[Point], base_levels: Iterable[Point]) -> list[Point]:
    """Cumulative growth from monthly growth rates, weighted by last year's monthly levels (the base of each rate).

    cum_t = Σ_{m≤t} L_{m,y-1}·(1 + g_m/100) / Σ_{m≤t} L_{m,y-1} − 1. Without last year's levels the cumulative rate
    is not derivable (equal weights would be a guess), so a month with any base missing is left out.

    >>> yoy = [Point("2022-02", 10.0, 2), Point("2022-03", -10.0)]
    >>> base = [Point("2021-02", 200.0, 2), Point("2021-03", 100.0)]
    >>> cumulative_yoy_from_monthly(yoy, base)[-1].value
    3.333333
    """
    rates, base = _by_period(yoy), _by_period(base_levels)
    out = []
    for period in sorted(rates):
        year, month = period[:4], int(period[5:7])
        now = then = 0.0
        covered = 0
        for m in range(1, month + 1):
            key = f"{year}-{m:02d}"
            if key not in rates:
                continue
            last = base.get(shift_year(key))
            if last is None or last.combined_months != rates[key].combined_months:
                covered = -1
                break
            now += last.value * (1 + rates[key].value / 100.0)
            then += last.value
            covered += rates[key].combined_months
        if covered == month and then > 0:
            out.append(Point(period, round((now / then - 1.0) * 100.0, 6), rates[period].combined_months))
    return out


def contributions(parts: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """Each part's contribution (percentage points) to the total's growth: weight share × the part's growth.

    ``parts`` maps a key (region, industry) to (growth %, weight: its level in the base period).

    >>> contributions({"a": (10.0, 3.0), "b": (-2.0, 1.0)})
    {'a': 7.5, 'b': -0.5}
    """
    total = sum(weight for _growth_pct, weight in parts.values())
    if total <= 0:
        return {key: 0.0 for key in parts}
    return {key: round(weight / total * growth, 6) for key, (growth, weight) in parts.items()}


def contribution_shares(contribution: Mapping[str, float]) -> dict[str, float | None]:
    """Each contribution as a share (%) of the total growth (拉动率 / 贡献率); None when the total is zero."""
    total = sum(contribution.values())
    return {key: None if abs(total) < 1e-12 else round(value / total * 100.0, 6)
            for key, value in contribution.items()}


def rank(values: Mapping[str, float], *, descending: bool = True) -> list[Ranked]:
    """Keys ordered by value (highest first unless ``descending`` is False); ties share the rank (1, 2, 2, 4) and
    are listed by key.

    >>> [(r.rank, r.key) for r in rank({"31": -61.5, "22": -37.9, "11": -1.0, "12": -1.0})]
    [(1, '11'), (1, '12'), (3, '22'), (4, '31')]
    """
    order = sorted(values.items(), key=lambda kv: ((-kv[1] if descending else kv[1]), kv[0]))
    out: list[Ranked] = []
    for index, (key, value) in enumerate(order):
        place = out[-1].rank if out and out[-1].value == value else index + 1
        out.append(Ranked(place, key, value))
    return out


def gap(value: float | None, reference: float | None) -> float | None:
    """``value`` − ``reference`` in the unit of both (percentage points for rates); None when either is unknown.

    >>> gap(-61.5, -2.9), gap(1.0, None)
    (-58.6, None)
    """
    if value is None or reference is None:
        return None
    return round(value - reference, 6)
