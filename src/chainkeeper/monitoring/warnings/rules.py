"""Early-warning rules as pure functions on plain series of ``(period, value)``.

A series is any sequence of ``(period, value)`` pairs or of objects with ``period`` and ``value`` attributes (the
indicators' ``Point``). Periods are strings that sort in time order: ``'YYYY-MM'`` for monthly figures,
``'YYYY-MM-DD'`` for daily reports. A ``None`` (or NaN) value is a missing figure (January, published together with
February; ``#N/A`` in a vendor's file): it is skipped, never read as zero.

Every evaluator returns the :class:`Finding` s of the periods it was asked about (``at``: one period, a collection
of periods, or None = every period it can judge) where the rule fires. A finding carries what explains it: the
series, the threshold lines or the band, and the figures (``explanation``), so the warning page can draw the chart
and its table without evaluating again. A rule that needs more history than the series has raises
:class:`NotEnoughData` for a period asked by name; with ``at=None`` such periods are simply not judged.

>>> [f.period for f in below([("2022-03", 5.0), ("2022-04", -2.9)], threshold=0.0)]
['2022-04']
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "KINDS", "LEVELS", "Finding", "NotEnoughData", "RuleError", "below", "below_national", "evaluate",
    "inventory_level", "inventory_levels", "mom_drop", "price_rise", "robust_z", "severity", "stl_residual",
]

LEVELS = ("red", "yellow", "blue")
"""Warning levels, most severe first."""
MAD_TO_SIGMA = 1.4826
"""A normal distribution's standard deviation is 1.4826 × its median absolute deviation."""


class RuleError(ValueError):
    """A rule's parameters are not usable (the message names the parameter)."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


class NotEnoughData(RuleError):
    """The series is too short (or has too many gaps) to judge ``period``: ``needed`` points, ``available`` had."""

    def __init__(self, period: str, needed: int, available: int):
        super().__init__(f"not enough data to judge {period}: {needed} points needed, {available} available")
        self.period, self.needed, self.available = period, needed, available


@dataclass(frozen=True)
class Finding:
    """One period where a rule fires: ``value`` is the judged figure, ``level`` red/yellow/blue or None (the rule's
    own level applies), ``figures`` the numbers of the verdict (threshold, z-score, drop …), ``explanation`` the
    JSON the chart is drawn from (``series``, ``lines``, ``band``, ``reference``, ``mark``)."""

    kind: str
    period: str
    value: float
    level: str | None = None
    figures: dict = field(default_factory=dict)
    explanation: dict = field(default_factory=dict)


def severity(level: str | None) -> int:
    """3 for red, 2 for yellow, 1 for blue, 0 for none: compare levels with it."""
    return {"red": 3, "yellow": 2, "blue": 1}.get(level or "", 0)


# ------------------------------------------------------------------------------------------------------- series
def _value(raw) -> float | None:
    if raw is None:
        return None
    value = float(raw)
    return None if math.isnan(value) else value


def clean_series(series: Iterable) -> list[tuple[str, float]]:
    """The series as sorted ``(period, value)`` pairs without the missing figures; a period given twice is refused."""
    pairs = []
    for item in series:
        period, raw = (item.period, item.value) if hasattr(item, "period") else item
        value = _value(raw)
        if value is not None:
            pairs.append((str(period), value))
    pairs.sort(key=lambda pair: pair[0])
    for (a, _x), (b, _y) in zip(pairs, pairs[1:]):
        if a == b:
            raise RuleError(f"the series gives period {a} twice", "series")
    return pairs


def _wanted(pairs: Sequence[tuple[str, float]], at) -> tuple[list[int], bool]:
    """Indices of the periods to judge, and whether they were asked by name (then a refusal is raised)."""
    if at is None:
        return list(range(len(pairs))), False
    names = {at} if isinstance(at, str) else set(at)
    return [i for i, (period, _v) in enumerate(pairs) if period in names], True


def _explain(pairs, period: str, **extra) -> dict:
    return {"series": [[p, round(v, 6)] for p, v in pairs], "mark": period} | extra


def _number(params_value, name: str, *, positive: bool = False) -> float:
    try:
        value = float(params_value)
    except (TypeError, ValueError):
        raise RuleError(f"{name} must be a number, got {params_value!r}", name) from None
    if math.isnan(value) or math.isinf(value) or (positive and value <= 0):
        raise RuleError(f"{name} must be a {'positive ' if positive else ''}finite number, got {params_value!r}",
                        name)
    return value


# -------------------------------------------------------------------------------------------------- thresholds
def below(series, *, threshold: float, at=None) -> list[Finding]:
    """Growth (or any figure) below ``threshold``: fires where ``value < threshold``.

    >>> below([("2022-03", 5.0), ("2022-04", -2.9), ("2022-05", 0.7)], threshold=0.0)[0].figures
    {'threshold': 0.0, 'gap': -2.9}
    """
    threshold = _number(threshold, "threshold")
    pairs = clean_series(series)
    indices, _named = _wanted(pairs, at)
    return [Finding("below", p, v, figures={"threshold": threshold, "gap": round(v - threshold, 6)},
                    explanation=_explain(pairs, p, lines=[{"name": "threshold", "value": threshold}]))
            for i in indices for p, v in [pairs[i]] if v < threshold]


def mom_drop(series, *, points: float, at=None) -> list[Finding]:
    """A drop of at least ``points`` percentage points from the previous published figure (month on month).

    The previous figure is the previous point of the series (January is not published: March is compared with
    January–February). The first point cannot be judged.

    >>> [f.figures["drop"] for f in mom_drop([("2022-03", 5.0), ("2022-04", -2.9)], points=5)]
    [7.9]
    """
    size = _number(points, "points", positive=True)
    pairs = clean_series(series)
    indices, named = _wanted(pairs, at)
    found = []
    for i in indices:
        period, value = pairs[i]
        if i == 0:
            if named:
                raise NotEnoughData(period, 2, 1)
            continue
        previous_period, previous = pairs[i - 1]
        drop = round(previous - value, 6)
        if drop >= size:
            found.append(Finding("mom_drop", period, value,
                                 figures={"previous": previous, "previous_period": previous_period, "drop": drop,
                                          "points": size},
                                 explanation=_explain(pairs, period, lines=[
                                     {"name": "drop_line", "value": round(previous - size, 6)}])))
    return found


def below_national(series, *, national, gap: float, at=None) -> list[Finding]:
    """Below the national figure of the same period by at least ``gap`` points (``national - value >= gap``).

    Periods without a national figure are not judged (or refused, when asked by name).

    >>> below_national([("2022-04", -8.0)], national=[("2022-04", -2.9)], gap=5)[0].figures["behind"]
    5.1
    """
    gap = _number(gap, "gap", positive=True)
    pairs, reference = clean_series(series), dict(clean_series(national))
    indices, named = _wanted(pairs, at)
    found = []
    for i in indices:
        period, value = pairs[i]
        if period not in reference:
            if named:
                raise NotEnoughData(period, 1, 0)
            continue
        behind = round(reference[period] - value, 6)
        if behind >= gap:
            band = [[p, round(reference[p] - gap, 6)] for p, _v in pairs if p in reference]
            found.append(Finding("below_national", period, value,
                                 figures={"national": reference[period], "behind": behind, "gap": gap},
                                 explanation=_explain(pairs, period, reference=[[p, v] for p, v in reference.items()],
                                                      floor=band)))
    return found


def price_rise(series, *, percent: float, periods: int = 1, at=None) -> list[Finding]:
    """A price rise of at least ``percent`` % over ``periods`` points (value against the value ``periods`` back).

    >>> price_rise([("2022-02", 100.0), ("2022-03", 112.0)], percent=10)[0].figures["rise_percent"]
    12.0
    """
    percent, span = _number(percent, "percent", positive=True), int(_number(periods, "periods", positive=True))
    pairs = clean_series(series)
    indices, named = _wanted(pairs, at)
    found = []
    for i in indices:
        period, value = pairs[i]
        if i < span:
            if named:
                raise NotEnoughData(period, span + 1, i + 1)
            continue
        base_period, base = pairs[i - span]
        if base <= 0:
            continue
        rise = round((value / base - 1.0) * 100.0, 6)
        if rise >= percent:
            found.append(Finding("price_rise", period, value,
                                 figures={"base": base, "base_period": base_period, "rise_percent": rise,
                                          "percent": percent, "periods": span},
                                 explanation=_explain(pairs, period, lines=[
                                     {"name": "rise_line", "value": round(base * (1 + percent / 100), 6)}])))
    return found


# --------------------------------------------------------------------------------------------------- inventory
def inventory_level(days: float, *, red: float, yellow: float | None = None, blue: float | None = None) -> str | None:
    """The light for ``days`` of inventory: red below ``red`` days, yellow below ``yellow``, blue below ``blue``.

    >>> [inventory_level(d, red=3, yellow=7, blue=15) for d in (2, 3, 6.9, 14, 15)]
    ['red', 'yellow', 'yellow', 'blue', None]
    """
    for level, limit in (("red", red), ("yellow", yellow), ("blue", blue)):
        if limit is not None and days < limit:
            return level
    return None


def _limits(red, yellow, blue) -> dict[str, float]:
    limits = {name: _number(value, name, positive=True)
              for name, value in (("red", red), ("yellow", yellow), ("blue", blue)) if value is not None}
    if "red" not in limits:
        raise RuleError("an inventory rule needs the red limit (days)", "red")
    ordered = [limits[name] for name in LEVELS if name in limits]
    if ordered != sorted(ordered):
        raise RuleError("the limits must grow from red to yellow to blue", "yellow")
    return limits


def inventory_levels(series, *, red: float, yellow: float | None = None, blue: float | None = None,
                     at=None) -> list[Finding]:
    """Days of inventory below the red / yellow / blue limits; each finding's ``level`` is its light.

    The parts-inventory red light is this rule with ``red`` only; raw materials use all three.

    >>> [(f.period, f.level) for f in inventory_levels([("04-11", 9), ("04-12", 6), ("04-13", 2)], red=3, yellow=7)]
    [('04-12', 'yellow'), ('04-13', 'red')]
    """
    limits = _limits(red, yellow, blue)
    pairs = clean_series(series)
    indices, _named = _wanted(pairs, at)
    lines = [{"name": name, "value": value} for name, value in limits.items()]
    found = []
    for i in indices:
        period, days = pairs[i]
        level = inventory_level(days, **limits)
        if level is not None:
            found.append(Finding("inventory_levels", period, days, level=level,
                                 figures={"days": days, "limit": limits[level]} | {"limits": limits},
                                 explanation=_explain(pairs, period, lines=lines)))
    return found


# ------------------------------------------------------------------------------------------------- statistical
def _robust_centre(values: np.ndarray) -> tuple[float, float]:
    """Median and robust sigma (1.4826 × MAD; the mean absolute deviation × 1.2533 when the MAD is 0)."""
    median = float(np.median(values))
    deviations = np.abs(values - median)
    sigma = MAD_TO_SIGMA * float(np.median(deviations))
    if sigma == 0.0:
        sigma = 1.2533 * float(np.mean(deviations))
    return median, sigma


def _direction(direction: str) -> str:
    if direction not in ("low", "high", "both"):
        raise RuleError(f"direction must be low, high or both, got {direction!r}", "direction")
    return direction


def _beyond(z: float, k: float, direction: str) -> bool:
    return (direction in ("low", "both") and z <= -k) or (direction in ("high", "both") and z >= k)


def robust_z(series, *, k: float = 3.5, window: int = 24, min_history: int = 8, direction: str = "both",
             at=None) -> list[Finding]:
    """A robust z-score beyond ``k``: ``z = (value - median) / (1.4826 × MAD)`` of the ``window`` points before.

    The current point is not part of its own reference. Needs ``min_history`` earlier points; a history without any
    spread (every point equal) cannot judge either. ``direction``: ``low`` (falls only), ``high`` or ``both``.

    >>> history = [(f"2021-{m:02d}", v) for m, v in enumerate([4, 6, 5, 3, 7, 5, 4, 6], 1)]  # median 5, MAD 1
    >>> f = robust_z(history + [("2021-09", -3)], k=3.5, min_history=8)
    >>> f[0].period, round(f[0].figures["z"], 3)
    ('2021-09', -5.396)
    """
    k, direction = _number(k, "k", positive=True), _direction(direction)
    window, least = int(_number(window, "window", positive=True)), int(_number(min_history, "min_history",
                                                                               positive=True))
    pairs = clean_series(series)
    values = np.array([v for _p, v in pairs], dtype=float)
    indices, named = _wanted(pairs, at)
    found, band = [], []
    for i in range(len(pairs)):
        history = values[max(0, i - window):i]
        if history.size >= least:
            median, sigma = _robust_centre(history)
            if sigma > 0:
                band.append((i, median, sigma))
    bands = {i: (median, sigma) for i, median, sigma in band}
    for i in indices:
        period, value = pairs[i]
        if i not in bands:
            if named:
                raise NotEnoughData(period, least, min(i, window))
            continue
        median, sigma = bands[i]
        z = (value - median) / sigma
        if _beyond(z, k, direction):
            drawn = [[pairs[j][0], round(m - k * s, 6), round(m + k * s, 6)] for j, m, s in band if j <= i]
            found.append(Finding("robust_z", period, value,
                                 figures={"median": round(median, 6), "sigma": round(sigma, 6), "z": round(z, 6),
                                          "k": k},
                                 explanation=_explain(pairs, period, band=drawn)))
    return found


def _monthly_grid(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], np.ndarray]:
    """Consecutive months from the first to the last period, NaN where the series has no figure."""
    def index(period: str) -> int:
        try:
            year, month = int(period[:4]), int(period[5:7])
        except ValueError:
            raise RuleError(f"the seasonal rule needs monthly periods YYYY-MM, got {period!r}", "series") from None
        return year * 12 + month - 1

    start, end = index(pairs[0][0]), index(pairs[-1][0])
    months = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]
    grid = np.full(len(months), np.nan)
    for period, value in pairs:
        grid[index(period) - start] = value
    return months, grid


def _filled(grid: np.ndarray) -> tuple[np.ndarray, int]:
    """Gaps filled by linear interpolation (January of Jan–Feb releases); how many were filled."""
    missing = np.isnan(grid)
    if not missing.any():
        return grid, 0
    known = np.flatnonzero(~missing)
    filled = grid.copy()
    filled[missing] = np.interp(np.flatnonzero(missing), known, grid[known])
    return filled, int(missing.sum())


def stl_residual(series, *, k: float = 3.0, period: int = 12, min_cycles: int = 3, direction: str = "both",
                 at=None) -> list[Finding]:
    """A seasonal-trend decomposition (STL, Cleveland et al. 1990; statsmodels' robust STL) residual beyond ``k``
    robust sigmas (1.4826 × the residuals' MAD).

    Each judged month is decomposed with only the months up to it (what was known then), so a later figure never
    changes an earlier verdict. Needs ``min_cycles`` × ``period`` months; missing months (January of a Jan–Feb
    release) are interpolated and named in the explanation, but no more than one in six. The band drawn is trend +
    seasonal ± ``k`` sigma.
    """
    k, direction = _number(k, "k", positive=True), _direction(direction)
    season, cycles = int(_number(period, "period", positive=True)), int(_number(min_cycles, "min_cycles",
                                                                                positive=True))
    if season < 2:
        raise RuleError("the seasonal period must be at least 2", "period")
    needed = max(cycles, 2) * season + 1
    pairs = clean_series(series)
    if not pairs:
        return []
    months, grid = _monthly_grid(pairs)
    indices, named = _wanted(pairs, at)
    found = []
    for i in indices:
        month, value = pairs[i]
        end = months.index(month) + 1
        window = grid[:end]
        available = int((~np.isnan(window)).sum())
        if end < needed or np.isnan(window).sum() * 6 > end:
            if named:
                raise NotEnoughData(month, needed, available)
            continue
        finding = _stl_point(months[:end], window, value, k, season, direction)
        if finding is not None:
            found.append(finding)
    return found


def _stl_point(months: list[str], window: np.ndarray, value: float, k: float, season: int,
               direction: str) -> Finding | None:
    from statsmodels.tsa.seasonal import STL  # imported when needed: it brings pandas along (seconds to import)

    filled, n_filled = _filled(window)
    fit = STL(filled, period=season, robust=True).fit()
    residuals = np.asarray(fit.resid, dtype=float)
    expected = np.asarray(fit.trend, dtype=float) + np.asarray(fit.seasonal, dtype=float)
    known = ~np.isnan(window)
    _median, sigma = _robust_centre(residuals[known])
    sigma = max(sigma, 1e-9 * (1.0 + float(np.max(np.abs(filled)))))
    z = float(residuals[-1]) / sigma
    if not _beyond(z, k, direction):
        return None
    series = [[m, round(float(v), 6)] for m, v, ok in zip(months, window, known) if ok]
    band = [[m, round(float(e - k * sigma), 6), round(float(e + k * sigma), 6)] for m, e in zip(months, expected)]
    return Finding("stl_residual", months[-1], value,
                   figures={"expected": round(float(expected[-1]), 6), "residual": round(float(residuals[-1]), 6),
                            "sigma": round(sigma, 6), "z": round(z, 6), "k": k},
                   explanation={"series": series, "mark": months[-1], "band": band,
                                "interpolated": [m for m, ok in zip(months, known) if not ok][:n_filled]})


# ------------------------------------------------------------------------------------------------------ dispatch
EVALUATORS = {
    "below": below, "mom_drop": mom_drop, "below_national": below_national, "robust_z": robust_z,
    "stl_residual": stl_residual, "inventory_levels": inventory_levels, "price_rise": price_rise,
}
KINDS = tuple(EVALUATORS)
PARAMETERS = {  # kind → the parameters it takes (the rule editor's fields and the API's check)
    "below": ("threshold",), "mom_drop": ("points",), "below_national": ("gap",),
    "robust_z": ("k", "window", "min_history", "direction"), "stl_residual": ("k", "period", "min_cycles", "direction"),
    "inventory_levels": ("red", "yellow", "blue"), "price_rise": ("percent", "periods"),
}

READS = ("inputs", "series")
COUNTS = ("window", "min_history", "period", "min_cycles", "periods")


def _typed(name: str, value):
    """A parameter typed in a form as its number (whole for counts); words and lists as they are."""
    if name in READS or name == "direction" or isinstance(value, bool):
        return value
    number = _number(value, name)
    return int(number) if name in COUNTS and number == int(number) else number
"""Parameters that say what a rule reads, not how it judges: input industries (inventory), the price series."""


def check_parameters(kind: str, params: dict) -> dict:
    """The parameters of a rule of ``kind`` without unknown names, checked on an empty series; RuleError if wrong."""
    if kind not in EVALUATORS:
        raise RuleError(f"unknown rule kind {kind!r}; one of {', '.join(KINDS)}", "kind")
    unknown = sorted(set(params) - set(PARAMETERS[kind]) - set(READS))
    if unknown:
        raise RuleError(f"unknown parameter {unknown[0]!r} for a {kind} rule", unknown[0])
    clean = {name: _typed(name, value) for name, value in params.items() if value not in (None, "")}
    try:
        evaluate(kind, [("2000-01", 1.0)], {key: v for key, v in clean.items() if key not in READS}, national=[])
    except NotEnoughData:
        pass
    except TypeError as error:
        raise RuleError(f"a {kind} rule is missing a parameter: {error}", kind) from None
    return clean


def evaluate(kind: str, series, params: dict, *, national=None, at=None) -> list[Finding]:
    """Run the rule ``kind`` with ``params`` on ``series`` (``national``: the reference for ``below_national``)."""
    if kind not in EVALUATORS:
        raise RuleError(f"unknown rule kind {kind!r}; one of {', '.join(KINDS)}", "kind")
    arguments = dict(params)
    if kind == "below_national":
        arguments["national"] = national or []
    return EVALUATORS[kind](series, at=at, **arguments)
