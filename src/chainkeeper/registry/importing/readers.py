"""Reading CSV and XLSX files into a :class:`RawTable`, detecting the text encoding of CSV files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chainkeeper.i18n import _

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
"""Tried in order: UTF-8 (with or without BOM), then GB18030, a superset of GBK and GB2312."""


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``message`` is a translatable source string with ``params``."""

    def __init__(self, code: str, message: str, /, **params: object):
        super().__init__(message.format(**params))
        self.code = code
        self.message = message
        self.params = params


@dataclass
class RawTable:
    """A table as read: its source name, header cells, and data rows numbered as in the file (header = row 1)."""

    source: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding that decoded it."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "encoding", _("the file is neither UTF-8 nor GBK/GB18030 text; save it as UTF-8 CSV")
    )


def _numbered(rows: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(rows, start=2):
        if any(cell.strip() for cell in row):
            yield number, row


def read_csv(data: bytes, source: str) -> RawTable:
    """A CSV file's table; the delimiter (comma, semicolon, tab) is sniffed from the header line."""
    text, _encoding = decode_csv_bytes(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile("empty", _("the file is empty")) from None
    return RawTable(source, [h.strip() for h in header], _numbered(reader))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes, source: str) -> RawTable:
    """The first worksheet of an XLSX workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("xlsx", _("the file is not a readable XLSX workbook ({error})"), error=error) from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    try:
        header = [_cell_text(v).strip() for v in next(rows)]
    except StopIteration:
        raise UnreadableFile("empty", _("the file is empty")) from None
    return RawTable(source, header, _numbered([_cell_text(v) for v in row] for row in rows))


def read_table(path: Path | str, data: bytes | None = None) -> RawTable:
    """Read ``path`` (or ``data`` uploaded under that name) by its extension: ``.csv`` or ``.xlsx``."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UnreadableFile("io", _("cannot read the file: {error}"), error=error.strerror) from None
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv(data, path.name)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, path.name)
    raise UnreadableFile("format", _("unsupported file type {suffix}; use .csv or .xlsx"), suffix=suffix or "?")
