"""Reading CSV and XLSX files into a :class:`RawTable` streamed row by row, within :class:`ImportLimits`."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from chainkeeper.i18n import _
from chainkeeper.registry.importing.csv_text import LongRecord, RecordLines, detect_encoding, long_field_column
from chainkeeper.registry.importing.issues import BadRecord, UnreadableFile
from chainkeeper.registry.importing.limits import MAX_RECORD_CHARS, MB, ImportLimits, cli_limits
from chainkeeper.registry.importing.xlsx import read_sheet

__all__ = ["RawTable", "UnreadableFile", "read_table"]

Cells = list[str] | BadRecord

CELL_TOO_LONG = _("a cell holds at most {limit} characters; this one is longer")
RECORD_TOO_LONG = _("the row is longer than {limit} characters")
BLOCK_CHARS = 256 * 1024
"""Characters of CSV text read at a time."""
TOO_MANY_ROWS = _("the file has more than {limit} data rows; split it (nothing after this row was read)")


@dataclass
class RawTable:
    """A table as read: its source name, header cells, and data rows numbered as in the file (header = row 1).

    A row that could not be read as cells comes as a :class:`BadRecord`."""

    source: str
    header: list[str]
    rows: Iterator[tuple[int, Cells]]


def _numbered(rows: Iterator[tuple[int, Cells]], limits: ImportLimits, count: int = 0
              ) -> Iterator[tuple[int, Cells]]:
    """Non-empty rows, each cell within the limit, at most ``limits.rows`` of them (``count`` already read)."""
    for number, cells in rows:
        if isinstance(cells, list):
            if not "".join(cells).strip():  # no cell holds anything but spaces
                continue
            if max(map(len, cells)) > limits.cell_chars:
                long = next(i for i, cell in enumerate(cells) if len(cell) > limits.cell_chars)
                cells = BadRecord(long, "cell_too_long", CELL_TOO_LONG, {"limit": f"{limits.cell_chars:,}"})
        count += 1
        if count > limits.rows:
            yield number, _too_many_rows(limits)
            return
        yield number, cells


def _too_many_rows(limits: ImportLimits) -> BadRecord:
    return BadRecord(None, "too_many_rows", TOO_MANY_ROWS, {"limit": f"{limits.rows:,}"}, stop=True)


def _size(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return size


def _csv_records(reader, lines: RecordLines, delimiter: str, limits: ImportLimits, number: int = 1
                 ) -> Iterator[tuple[int, Cells]]:
    """The records of ``reader`` (over ``lines``) numbered from ``number`` + 1; a record it cannot read is a
    :class:`BadRecord`."""
    while True:
        number += 1
        lines.start_record()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except LongRecord as error:
            column = long_field_column(error.text, delimiter, limits.cell_chars)
            yield number, (BadRecord(None, "row_too_long", RECORD_TOO_LONG, {"limit": f"{MAX_RECORD_CHARS:,}"})
                           if column is None else
                           BadRecord(column, "cell_too_long", CELL_TOO_LONG, {"limit": f"{limits.cell_chars:,}"}))
            continue
        except csv.Error as error:
            column = long_field_column(lines.text_so_far, delimiter, limits.cell_chars)
            yield number, (BadRecord(None, "csv", _("the row is not valid CSV ({error})"), {"error": str(error)})
                           if column is None else
                           BadRecord(column, "cell_too_long", CELL_TOO_LONG, {"limit": f"{limits.cell_chars:,}"}))
            continue
        yield number, cells


def read_csv(stream: IO[bytes], source: str, limits: ImportLimits) -> RawTable:
    """A CSV file's table; the delimiter (comma, semicolon, tab) is sniffed from the header line."""
    encoding = detect_encoding(stream)
    lines = RecordLines(io.TextIOWrapper(stream, encoding=encoding, newline=""), MAX_RECORD_CHARS)
    try:
        first = next(lines)
    except StopIteration:
        raise UnreadableFile("empty", _("the file is empty")) from None
    except LongRecord:
        raise UnreadableFile("header", _("the header row is longer than {limit} characters"),
                             limit=f"{MAX_RECORD_CHARS:,}") from None
    delimiter = max((",", ";", "\t"), key=first.split("\n", 1)[0].count)
    pending = iter([first])
    reader = csv.reader(_Chain(pending, lines), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error, LongRecord):
        raise UnreadableFile("header", _("the header row cannot be read")) from None
    return RawTable(source, [h.strip() for h in header], block_records(lines.text, delimiter, limits))


def line_records(text: IO[str], delimiter: str, limits: ImportLimits, number: int = 1, count: int = 0
                 ) -> Iterator[tuple[int, Cells]]:
    """The data rows of ``text`` read record by record (each bounded by :class:`RecordLines`), numbered from
    ``number`` + 1, ``count`` rows having been read before."""
    lines = RecordLines(text, MAX_RECORD_CHARS)
    reader = csv.reader(lines, delimiter=delimiter)
    return _numbered(_csv_records(reader, lines, delimiter, limits, number), limits, count)


def block_records(text: IO[str], delimiter: str, limits: ImportLimits, block: int = BLOCK_CHARS
                  ) -> Iterator[tuple[int, Cells]]:
    """:func:`line_records`, the same rows, numbers and errors, read ``block`` characters at a time: a block of
    plain lines (:func:`plain_lines`) is split by the C ``csv`` reader at once; at the first block that is not,
    the rest of the text (that block on) is read record by record."""
    longest = min(limits.cell_chars, csv.field_size_limit(), MAX_RECORD_CHARS)
    carry, number, count = "", 1, 0  # the text after the last whole line, the last row's number, rows read
    while True:
        chunk = text.read(block)
        lines = carry + chunk
        end = lines.rfind("\n") + 1 if chunk else len(lines)  # whole lines; at the end of the text, all of it
        if not end and not chunk:
            return
        lines, carry = lines[:end], lines[end:]
        plain = plain_lines(lines, longest) if end else None
        if plain is None:
            yield from line_records(Resumed(lines + carry, text), delimiter, limits, number, count)
            return
        rows = list(csv.reader(plain, delimiter=delimiter))
        if count + len(rows) <= limits.rows and all(map(str.strip, map("".join, rows))):
            yield from zip(range(number + 1, number + 1 + len(rows)), rows)
            count += len(rows)
        else:  # a blank row to skip, or the row limit within the block: row by row, as _numbered
            for row, cells in enumerate(rows, start=number + 1):
                if not "".join(cells).strip():
                    continue
                count += 1
                if count > limits.rows:
                    yield row, _too_many_rows(limits)
                    return
                yield row, cells
        number += len(rows)
        if not chunk:
            return


def plain_lines(text: str, longest: int) -> list[str] | None:
    """The lines of ``text`` (whole lines) if each is one CSV record the C reader splits on its own, as the
    record-bounded reader would: no quote, no NUL, no carriage return but before a line feed, no line of
    ``longest`` characters or more (so no cell and no record over its limit); otherwise None."""
    if '"' in text or "\0" in text or text.count("\r") != text.count("\r\n"):
        return None
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()  # the text ends with a line feed
    if lines and max(map(len, lines)) >= longest:
        return None
    return lines


class Resumed:
    """``head`` then the rest of ``text``, read line by line as ``text`` would read them (newline="")."""

    def __init__(self, head: str, text: IO[str]):
        while head.endswith("\r") and (after := text.read(1)):
            head += after  # a line feed after it belongs to the same line
        self.head, self.text = io.StringIO(head, newline=""), text

    def readline(self, size: int = -1) -> str:
        """The next line (at most ``size`` characters)."""
        line = self.head.readline(size)
        if not line:
            return self.text.readline(size)
        if line[-1] in "\r\n" or len(line) == size:
            return line
        return line + self.text.readline(size - len(line) if size >= 0 else -1)  # the head ended mid-line


class _Chain:
    """The first line, then the rest (unlike itertools.chain, it goes on after an error from the rest)."""

    def __init__(self, first: Iterator[str], rest: RecordLines):
        self.first, self.rest = first, rest

    def __iter__(self):
        return self

    def __next__(self) -> str:
        for line in self.first:
            return line
        return next(self.rest)


def read_xlsx(stream: IO[bytes], source: str, limits: ImportLimits) -> RawTable:
    """The first worksheet of an XLSX workbook."""
    header, rows = read_sheet(stream, limits)
    return RawTable(source, header, _numbered(enumerate(rows, start=2), limits))


def _open(path: Path, data: bytes | IO[bytes] | None) -> IO[bytes]:
    if data is None:
        try:
            return path.open("rb")
        except OSError as error:
            raise UnreadableFile("io", _("cannot read the file: {error}"), error=error.strerror) from None
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def read_table(path: Path | str, data: bytes | IO[bytes] | None = None, *,
               limits: ImportLimits | None = None) -> RawTable:
    """Read ``path`` (or ``data``, bytes or a seekable binary file uploaded under that name) by its extension:
    ``.csv`` or ``.xlsx``, within ``limits`` (default: those of ``chainkeeper import``)."""
    path = Path(path)
    limits = limits or cli_limits()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise UnreadableFile("format", _("unsupported file type {suffix}; use .csv or .xlsx"), suffix=suffix or "?")
    stream = _open(path, data)
    size = _size(stream)
    if size > limits.file_bytes:
        raise UnreadableFile("too_large", _("the file has {size} MB, more than the {limit} MB allowed"),
                             size=f"{size / MB:,.1f}", limit=f"{limits.file_bytes / MB:,.0f}")
    if suffix in (".csv", ".txt"):
        return read_csv(stream, path.name, limits)
    return read_xlsx(stream, path.name, limits)
