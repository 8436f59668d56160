"""The coordination desk's working-day calendar: Chinese public holidays and adjusted working days (调休).

Holidays and adjusted working days come from the State Council General Office's yearly notices
(国务院办公厅关于…部分节假日安排的通知), shipped in ``data/cn_holidays.json``. A year outside the data falls back to
Monday–Friday. The desk works in Asia/Shanghai: every datetime passed in must be timezone-aware and is read in that
zone; every datetime returned is in it.

Data file shape (shipped file and override file alike)::

    {"2022": {"source": "国务院办公厅关于2022年部分节假日安排的通知 …",
              "holidays": ["2022-01-31", …],
              "working_days": ["2022-01-29", …]}}

A year's dates lie in that year, or in the December before it (a notice may start the New Year holiday on
31 December, as the 2023 one does). Adjusted working days must be Saturdays or Sundays.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from chainkeeper.errors import ValidationFailed

DESK_ZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_CLOSE = time(18, 0)
SHIPPED_NAME = "cn_holidays.json"
_FIELDS = ("source", "holidays", "working_days")


class CalendarError(ValidationFailed):
    """A holiday data file is malformed; the message names the file, year, field and value."""

    code = "calendar_invalid"

    def __init__(self, file: str, problem: str, *, year: str | None = None, field: str | None = None,
                 value: object = None):
        where = [file]
        if year is not None:
            where.append(f"year {year}")
        if field is not None:
            where.append(f"field {field!r}")
        if value is not None:
            where.append(f"value {value!r}")
        detail = {"file": file, "year": year, "field": field, "value": None if value is None else str(value)}
        super().__init__(f"{': '.join(where)}: {problem}", [detail | {"problem": problem}])


@dataclass(frozen=True)
class YearRule:
    """One year's notice: its holidays, adjusted working days and where they come from."""

    year: int
    holidays: frozenset[date]
    working_days: frozenset[date]
    source: str


# --- parsing -------------------------------------------------------------------------------------------------------


def _parse_dates(raw: object, file: str, year: int, field: str) -> frozenset[date]:
    if not isinstance(raw, list):
        raise CalendarError(file, "must be a list of YYYY-MM-DD dates", year=str(year), field=field, value=raw)
    seen: set[date] = set()
    for item in raw:
        try:
            day = date.fromisoformat(item) if isinstance(item, str) and len(item) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise CalendarError(file, "not a YYYY-MM-DD date", year=str(year), field=field, value=item)
        if not (date(year - 1, 12, 1) <= day <= date(year, 12, 31)):
            raise CalendarError(file, f"date outside {year} (or the December before)", year=str(year),
                                field=field, value=item)
        if day in seen:
            raise CalendarError(file, "date listed twice", year=str(year), field=field, value=item)
        seen.add(day)
    return frozenset(seen)


def _parse_year(key: str, entry: object, file: str) -> YearRule:
    if not (isinstance(key, str) and key.isascii() and key.isdigit() and len(key) == 4):
        raise CalendarError(file, "year keys must be four-digit years", year=key)
    if not isinstance(entry, dict):
        raise CalendarError(file, "each year must be an object", year=key, value=entry)
    for name in entry:
        if name not in _FIELDS:
            raise CalendarError(file, f"unknown field (expected {', '.join(_FIELDS)})", year=key, field=name)
    for name in _FIELDS:
        if name not in entry:
            raise CalendarError(file, "missing field", year=key, field=name)
    source = entry["source"]
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(file, "must name the notice", year=key, field="source", value=source)
    year = int(key)
    holidays = _parse_dates(entry["holidays"], file, year, "holidays")
    working = _parse_dates(entry["working_days"], file, year, "working_days")
    for day in sorted(working):
        if day in holidays:
            raise CalendarError(file, "date is both a holiday and a working day", year=key,
                                field="working_days", value=day.isoformat())
        if day.weekday() < 5:
            raise CalendarError(file, "an adjusted working day must be a Saturday or Sunday", year=key,
                                field="working_days", value=day.isoformat())
    return YearRule(year, holidays, working, source.strip())


def parse_years(text: str, file: str) -> dict[int, YearRule]:
    """Parse a data file's text; ``file`` names it in errors."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarError(file, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    if not isinstance(raw, dict):
        raise CalendarError(file, "top level must be an object keyed by year")
    rules = [_parse_year(key, entry, file) for key, entry in raw.items()]
    return {rule.year: rule for rule in rules}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError(str(path), f"cannot be read ({exc})") from exc


def _check_overlaps(rules: Mapping[int, YearRule], origin: Mapping[int, str]) -> None:
    """Reject a date that one year calls a holiday and another a working day (possible via December dates).

    The error is reported against the override file's year when one of the two comes from it.
    """
    for rule in rules.values():
        other = rules.get(rule.year + 1)
        if other is None:
            continue
        clash = sorted((rule.holidays & other.working_days) | (rule.working_days & other.holidays))
        if clash:
            blamed, partner = (rule, other) if origin[rule.year] != SHIPPED_NAME else (other, rule)
            field = "holidays" if clash[0] in blamed.holidays else "working_days"
            raise CalendarError(origin[blamed.year], f"date is both a holiday and a working day (see year "
                                f"{partner.year} in {origin[partner.year]})", year=str(blamed.year),
                                field=field, value=clash[0].isoformat())


# --- the calendar --------------------------------------------------------------------------------------------------


class WorkCalendar:
    """Working days of the desk, with a close-of-business time.

    Parameters
    ----------
    years
        Holiday rules by year; years absent fall back to Monday–Friday.
    close_of_business
        Local (Asia/Shanghai) time at which a working day ends; default 18:00.
    """

    def __init__(self, years: Mapping[int, YearRule] | None = None, close_of_business: time = DEFAULT_CLOSE):
        if close_of_business.tzinfo is not None:
            raise ValueError("close_of_business is a local wall-clock time; give it without tzinfo")
        self._years = dict(years or {})
        self._holidays = frozenset().union(*(r.holidays for r in self._years.values()))
        self._working = frozenset().union(*(r.working_days for r in self._years.values()))
        self.close_of_business = close_of_business
        self.zone = DESK_ZONE

    @classmethod
    def load(cls, extra: Path | str | None = None, close_of_business: time = DEFAULT_CLOSE) -> WorkCalendar:
        """Load the shipped notices, then let the years of ``extra`` (same shape) replace them."""
        shipped = resources.files("chainkeeper.coordination") / "data" / SHIPPED_NAME
        rules = parse_years(shipped.read_text(encoding="utf-8"), SHIPPED_NAME)
        origin = dict.fromkeys(rules, SHIPPED_NAME)
        if extra is not None:
            path = Path(extra)
            replaced = parse_years(_read(path), str(path))
            rules |= replaced
            origin |= dict.fromkeys(replaced, str(path))
        _check_overlaps(rules, origin)
        return cls(rules, close_of_business)

    # -- years ------------------------------------------------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        """The years the data covers, ascending."""
        return tuple(sorted(self._years))

    def knows(self, year: int) -> bool:
        """Whether ``year`` has holiday data (otherwise it is plain Monday–Friday)."""
        return year in self._years

    def source(self, year: int) -> str | None:
        """The notice a year's data comes from, or None for a year outside the data."""
        rule = self._years.get(year)
        return rule.source if rule else None

    # -- days -------------------------------------------------------------------------------------------------------

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the desk's zone; a naive datetime is an error."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment.isoformat()}: the desk needs timezone-aware times")
        return moment.astimezone(self.zone)

    def _day(self, d: date) -> date:
        return self.local(d).date() if isinstance(d, datetime) else d

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` (a date, or an aware datetime read in Asia/Shanghai) is a working day."""
        day = self._day(d)
        if day in self._holidays:
            return False
        return day in self._working or day.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        day = self._day(d) + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days ``d`` with ``a < d <= b``; negative when ``b`` is before ``a``.

        So ``working_days_between(start, add_working_days(start, n).date()) == n`` for ``n >= 1``.
        """
        a, b = self._day(a), self._day(b)
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))

    # -- deadlines --------------------------------------------------------------------------------------------------

    def close_of(self, d: date) -> datetime:
        """Close of business on day ``d``, as an aware datetime in the desk's zone."""
        return datetime.combine(self._day(d), self.close_of_business, tzinfo=self.zone)

    def end_of_working_day(self, start: datetime) -> datetime:
        """Close of ``start``'s day if that is a working day and ``start`` is before close, else of the next one."""
        here = self.local(start)
        if self.is_working_day(here.date()) and here < self.close_of(here.date()):
            return self.close_of(here.date())
        return self.close_of(self.next_working_day(here.date()))

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Close of business of the ``n``-th working day after ``start``'s (local) day.

        ``n == 0`` means :meth:`end_of_working_day`; a negative ``n`` is an error.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        here = self.local(start)
        if n == 0:
            return self.end_of_working_day(here)
        day = here.date()
        for _ in range(n):
            day = self.next_working_day(day)
        return self.close_of(day)
