"""The picture's arithmetic, pure: figures over plain rows (one per monitored enterprise and day), no database.

For a set of monitored enterprises on one day (only those that reported count; the others are "missing"):

- resumption rate 复工率 = enterprises that produced (output > 0) / enterprises that reported;
- capacity-attainment rate 达产率 = Σ output value / Σ baseline output value (万元, over the reporting members:
  units differ between an OEM's vehicles and a supplier's parts, values add up);
- staff return rate = Σ staff on site / Σ normal staff (as reported);
- output index = 100 × 达产率 (100 = the pre-shock baseline), the key groups' daily line.

>>> rows = [MemberDay(1, "A", "31", "3101", "auto", (1,), 100, 50.0, 10, reported=True, output_units=50,
...                   output_value=25.0, staff_on_site=6, staff_normal=10),
...         MemberDay(2, "B", "32", "3205", "auto", (1,), 10, 50.0, 10, reported=True, output_units=0,
...                   output_value=0.0, staff_on_site=2, staff_normal=10),
...         MemberDay(3, "C", "32", "3205", "auto", (1,), 10, 50.0, 10)]
>>> f = figures(rows)
>>> f.reported, f.resumed, f.resumption_rate, f.attainment_rate, f.staff_return_rate, f.output_index
(2, 1, 0.5, 0.25, 0.4, 25.0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

FIGURES = ("resumption", "attainment", "staff", "reported")
"""The figures a reader can click through to the enterprises behind them."""


@dataclass(frozen=True)
class MemberDay:
    """One monitored enterprise on one day: where it is, its baseline and what it reported (None: no report)."""

    enterprise_id: int
    name: str
    province_code: str
    city_code: str
    chain_code: str
    group_ids: tuple[int, ...]
    baseline_units: int
    baseline_value: float
    baseline_staff: int
    uscc: str = ""
    reported: bool = False
    output_units: int | None = None
    output_value: float | None = None
    capacity_utilisation: float | None = None
    staff_on_site: int | None = None
    staff_normal: int | None = None
    min_inventory_days: float | None = None
    logistics: str | None = None
    problem: str = ""
    report_id: int | None = None
    late: bool = False

    @property
    def resumed(self) -> bool:
        """Produced something on the day (reported output above zero)."""
        return self.reported and ((self.output_units or 0) > 0 or (self.output_value or 0) > 0)

    @property
    def attainment(self) -> float | None:
        """Its own 达产率: output against baseline, in units where it has a unit baseline, else in value."""
        if not self.reported:
            return None
        if self.baseline_units > 0 and self.output_units is not None:
            return self.output_units / self.baseline_units
        if self.baseline_value > 0 and self.output_value is not None:
            return self.output_value / self.baseline_value
        return None

    @property
    def state(self) -> str:
        """``resumed``, ``stopped`` (reported no output) or ``missing`` (no report)."""
        return "missing" if not self.reported else "resumed" if self.resumed else "stopped"


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


@dataclass(frozen=True)
class Figures:
    """The picture's figures over a set of monitored enterprises on one day."""

    members: int = 0
    reported: int = 0
    resumed: int = 0
    output_value: float = 0.0
    baseline_value: float = 0.0
    staff_on_site: int = 0
    staff_normal: int = 0

    @property
    def missing(self) -> int:
        """Members without a report for the day."""
        return self.members - self.reported

    @property
    def resumption_rate(self) -> float | None:
        """复工率: share of reporting members that produced (None when nobody reported)."""
        return _ratio(self.resumed, self.reported)

    @property
    def attainment_rate(self) -> float | None:
        """达产率: Σ output value / Σ baseline output value of the reporting members."""
        return _ratio(self.output_value, self.baseline_value)

    @property
    def staff_return_rate(self) -> float | None:
        """Σ staff on site / Σ normal staff of the reporting members."""
        return _ratio(self.staff_on_site, self.staff_normal)

    @property
    def output_index(self) -> float | None:
        """Output against the pre-shock baseline, baseline = 100."""
        rate = self.attainment_rate
        return None if rate is None else 100.0 * rate

    def as_dict(self) -> dict:
        """Counts and rates, for the API and the home panel."""
        return {"members": self.members, "reported": self.reported, "missing": self.missing,
                "resumed": self.resumed, "output_value": self.output_value, "baseline_value": self.baseline_value,
                "staff_on_site": self.staff_on_site, "staff_normal": self.staff_normal,
                "resumption_rate": self.resumption_rate, "attainment_rate": self.attainment_rate,
                "staff_return_rate": self.staff_return_rate, "output_index": self.output_index}


def figures(rows: Iterable[MemberDay]) -> Figures:
    """The figures of ``rows`` (each enterprise once)."""
    members = reported = resumed = on_site = normal = 0
    value = baseline = 0.0
    for row in rows:
        members += 1
        if not row.reported:
            continue
        reported += 1
        resumed += row.resumed
        value += row.output_value or 0.0
        baseline += row.baseline_value
        on_site += row.staff_on_site or 0
        normal += row.staff_normal or 0
    return Figures(members, reported, resumed, value, baseline, on_site, normal)


@dataclass(frozen=True)
class Breakdown:
    """The figures of one part of the picture (a province, a city, a chain, a group)."""

    key: str
    figures: Figures
    children: tuple[Breakdown, ...] = field(default=())


def breakdown(rows: Iterable[MemberDay], key: Callable[[MemberDay], str]) -> list[Breakdown]:
    """The figures per value of ``key``, in key order."""
    parts: dict[str, list[MemberDay]] = {}
    for row in rows:
        parts.setdefault(key(row), []).append(row)
    return [Breakdown(name, figures(found)) for name, found in sorted(parts.items())]


def by_region(rows: Iterable[MemberDay]) -> list[Breakdown]:
    """Per province, each with its cities."""
    rows = list(rows)
    provinces = []
    for part in breakdown(rows, lambda row: row.province_code):
        inside = [row for row in rows if row.province_code == part.key]
        provinces.append(Breakdown(part.key, part.figures, tuple(breakdown(inside, lambda row: row.city_code))))
    return provinces


def by_chain(rows: Iterable[MemberDay]) -> list[Breakdown]:
    """Per key chain ('' = none)."""
    return breakdown(rows, lambda row: row.chain_code)


def by_group(rows: Iterable[MemberDay], group_ids: Iterable[int]) -> list[Breakdown]:
    """Per group (an enterprise in two groups counts in both), in the order of ``group_ids``."""
    rows = list(rows)
    return [Breakdown(str(group), figures(row for row in rows if group in row.group_ids)) for group in group_ids]


def output_series(days: list[dict[int, float | None]], members: list[tuple[int, tuple[int, ...], float]],
                  group_ids: Iterable[int]) -> tuple[dict[int, list[float | None]], list[float | None]]:
    """Each group's output index per day and the output index of all members per day, from each day's reported
    output values by enterprise (a member absent did not report) and the members' (enterprise id, group ids,
    baseline value) in the rows' order: in one pass per day, added in the rows' order as :func:`figures` and
    :func:`by_group` add (the same floats); None on a day without reports."""
    series: dict[int, list[float | None]] = {group: [] for group in group_ids}
    total: list[float | None] = []
    for outputs in days:
        sums = {group: [0.0, 0.0] for group in series}
        value = baseline = 0.0
        for enterprise_id, groups, member_baseline in members:
            if enterprise_id not in outputs:
                continue
            output = outputs[enterprise_id] or 0.0
            value += output
            baseline += member_baseline
            for group in groups:
                found = sums.get(group)
                if found is not None:
                    found[0] += output
                    found[1] += member_baseline
        for group, (group_value, group_baseline) in sums.items():
            series[group].append(_index(group_value, group_baseline))
        total.append(_index(value, baseline))
    return series, total


def _index(value: float, baseline: float) -> float | None:
    """:attr:`Figures.output_index` of these sums."""
    rate = _ratio(value, baseline)
    return None if rate is None else 100.0 * rate


def behind(rows: Iterable[MemberDay], figure: str, state: str = "") -> list[MemberDay]:
    """The enterprises behind a figure, those in ``state`` first filtered when given.

    ``resumption``: the reporting members (``state`` resumed/stopped); ``attainment`` and ``staff``: the reporting
    members, lowest first; ``reported``: every member (``state`` missing shows who did not report).
    """
    if figure not in FIGURES:
        raise ValueError(f"unknown figure {figure!r}; use one of {', '.join(FIGURES)}")
    rows = list(rows)
    if figure != "reported":
        rows = [row for row in rows if row.reported]
    if state:
        rows = [row for row in rows if row.state == state]
    if figure == "attainment":
        return sorted(rows, key=lambda row: (row.attainment if row.attainment is not None else 9e9, row.name))
    if figure == "staff":
        return sorted(rows, key=lambda row: (_ratio(row.staff_on_site or 0, row.staff_normal or 0) or 0, row.name))
    return sorted(rows, key=lambda row: (row.state != "stopped", row.state != "missing", row.name))
