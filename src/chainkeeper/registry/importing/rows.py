"""The row loop shared by every table: cell access, error collection, and the all-rows validation pass."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from chainkeeper.i18n import translate
from chainkeeper.registry.importing.columns import HeaderMap
from chainkeeper.registry.importing.fields import CellError
from chainkeeper.registry.importing.issues import ImportIssue

INVALID = object()
"""Returned by :meth:`Row.parse` for a bad cell (the error is already recorded)."""

MAX_ISSUES = 10_000
"""Stop collecting after this many problems; the report says so."""


class Row:
    """One data row: its cells by column key, and the errors found in it."""

    __slots__ = ("source", "header", "number", "cells", "language", "issues", "ok")

    def __init__(self, source: str, header: HeaderMap, number: int, cells: list[str], language: str, issues: list):
        self.source = source
        self.header = header
        self.number = number
        self.cells = cells
        self.language = language
        self.issues = issues
        self.ok = True

    def text(self, key: str) -> str:
        """The raw text of column ``key`` ('' when the column is absent or the row is short)."""
        position = self.header.positions.get(key)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def parse(self, key: str, parser: Callable[..., Any], **options: Any) -> Any:
        """``parser(text)``, or :data:`INVALID` after recording the cell's error."""
        try:
            return parser(self.text(key), **options)
        except CellError as error:
            self.fail(key, error.code, error.message, **error.params)
            return INVALID

    def fail(self, key: str | None, code: str, message: str, /, **params: object) -> None:
        """Record an error in column ``key`` (or the whole row when None)."""
        self.ok = False
        column = self.header.names.get(key, key) if key else None
        text = translate(message, self.language, **params)
        self.issues.append(ImportIssue(self.source, self.number, column, code, text))


def validate_rows(
    source: str,
    header: HeaderMap,
    rows: Iterator[tuple[int, list[str]]],
    check_row: Callable[[Row], Any],
    language: str,
    issues: list[ImportIssue],
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Any], int]:
    """Run ``check_row`` on every row; returns the valid records and the number of rows read."""
    records = []
    count = 0
    for count, (number, cells) in enumerate(rows, start=1):
        row = Row(source, header, number, cells, language, issues)
        record = check_row(row)
        if row.ok:
            records.append(record)
        if progress is not None and count % 50_000 == 0:
            progress(count)
        if len(issues) >= MAX_ISSUES:
            break
    return records, count
