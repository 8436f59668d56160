"""The row loop shared by every table: cell access, error collection, and the all-rows validation pass."""

from __future__ import annotations

import gc
import marshal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from chainkeeper.i18n import translate
from chainkeeper.registry.importing.columns import HeaderMap
from chainkeeper.registry.importing.fields import CellError
from chainkeeper.registry.importing.issues import BadRecord, ImportIssue

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
    rows: Iterator[tuple[int, list[str] | BadRecord]],
    check_row: Callable[[Row], Any],
    language: str,
    issues: list[ImportIssue],
    progress: Callable[[int], None] | None = None,
    *,
    keep: Callable[[Any], None],
    columns: list[str] = (),
) -> int:
    """Run ``check_row`` on every row, handing each valid record to ``keep``; returns the number of rows read.

    A row the reader could not split into cells (a :class:`BadRecord`) is reported in its column, named from the
    file's header ``columns``.
    """
    count = 0
    for count, (number, cells) in enumerate(rows, start=1):
        if isinstance(cells, BadRecord):
            report_bad_record(issues, source, number, cells, columns, language)
            if cells.stop or len(issues) >= MAX_ISSUES:
                break
            continue
        row = Row(source, header, number, cells, language, issues)
        record = check_row(row)
        if row.ok:
            keep(record)
        if progress is not None and count % 50_000 == 0:
            progress(count)
        if len(issues) >= MAX_ISSUES:
            break
    return count


def report_bad_record(issues: list[ImportIssue], source: str, number: int, record: BadRecord, columns: list[str],
                      language: str) -> None:
    """The issue of a row the reader could not split into cells, in its column (named from the file's header)."""
    issues.append(ImportIssue(source, number, column_name(columns, record.column), record.code,
                              translate(record.message, language, **record.params)))


def column_name(columns: list[str], index: int | None) -> str | None:
    """The header text of column ``index`` (``#n`` when it has none)."""
    if index is None:
        return None
    return columns[index] if index < len(columns) and columns[index] else f"#{index + 1}"


class Spool:
    """Valid records kept in a temporary file in batches (not in memory) until they are written."""

    def __init__(self, batch: int = 20_000):
        self.file = tempfile.TemporaryFile(prefix="chainkeeper-import-")
        self.batch = batch
        self.buffer: list = []
        self.count = 0  # records kept so far

    def add(self, record: Any) -> None:
        """Keep one record."""
        self.buffer.append(record)
        self.count += 1
        if len(self.buffer) >= self.batch:
            self._flush()

    def extend(self, records: list) -> None:
        """Keep several records."""
        self.buffer.extend(records)
        self.count += len(records)
        if len(self.buffer) >= self.batch:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            blob = marshal.dumps(self.buffer)
            self.file.write(len(blob).to_bytes(8, "little") + blob)  # marshal.load on a file reads in tiny steps
            self.buffer = []

    def batches(self) -> Iterator[list]:
        """The records kept, batch by batch, in the order they came."""
        self._flush()
        self.file.seek(0)
        while size := self.file.read(8):
            yield marshal.loads(self.file.read(int.from_bytes(size, "little")))

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (then as it was): an import allocates a list per row that
    lives while its chunk does, and every collection would walk them all again (a third of the CPU time of a
    links import). The rows hold no cycles; nothing is left for the collector but what other code makes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
