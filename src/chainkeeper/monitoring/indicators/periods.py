"""Months as files print them: "2022年4月", "2022年1-2月", "2022-04", "2022/4", "2022-04-30", "2022M04"; and the
cells that mean "not published" ("", "#N/A", "—", "--", …)."""

from __future__ import annotations

import re
from typing import NamedTuple

MISSING = frozenset({"", "#N/A", "N/A", "NA", "#NA", "—", "——", "--", "-", "－", "…", "...", "..", "NaN", "nan",
                     "None", "null", "#VALUE!", "#DIV/0!"})

_CN = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})(?:\s*[-—–~～至]\s*(\d{1,2}))?\s*月份?$")
_ISO = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_M = re.compile(r"^(\d{4})M(\d{1,2})$", re.IGNORECASE)


class Month(NamedTuple):
    """A parsed month: ``period`` 'YYYY-MM' (the last month covered) and ``combined_months``."""

    period: str
    combined_months: int


class BadMonth(ValueError):
    """A month-like label that is not a valid month (e.g. month 13, or a range other than January–February)."""


def parse_month(text: str) -> Month | None:
    """The month a label names; None when it does not look like a month; :class:`BadMonth` when it looks like one
    but is not valid.

    >>> parse_month("2022年4月"), parse_month("2022年1-2月"), parse_month("2022/4/30"), parse_month("地区")
    (Month(period='2022-04', combined_months=1), Month(period='2022-02', combined_months=2), \
Month(period='2022-04', combined_months=1), None)
    """
    text = text.strip()
    found = _CN.match(text) or _ISO.match(text) or _M.match(text)
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    end = int(found.group(3)) if found.re is _CN and found.group(3) else None
    if end is not None:
        if (month, end) != (1, 2):
            raise BadMonth(text)
        month = 2
    if not 1 <= month <= 12 or not 1900 <= year <= 2100:
        raise BadMonth(text)
    return Month(f"{year:04d}-{month:02d}", 2 if end else 1)


def is_missing(text: str) -> bool:
    """True when a cell means "not published"."""
    return text.strip() in MISSING


def parse_number(text: str) -> float | None:
    """A cell's number (thousands separators and a trailing % allowed); None when it is not a number."""
    cleaned = text.strip().replace(",", "").replace("，", "").rstrip("%").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
