"""Hostile workbooks for the import limits: built on disk in a streaming way, so the test itself stays small."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

MB = 1024 * 1024
ENTERPRISE_HEADER = ["uscc", "name", "county_code", "industry_code", "size"]


def _base_workbook(rows: list[list]) -> dict[str, bytes]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


SHEET = "xl/worksheets/sheet1.xml"


def string_bomb(path: Path, megabytes: int = 400) -> Path:
    """A workbook of a few hundred KB whose sheet holds one ``megabytes`` MB string (an inline string cell)."""
    parts = _base_workbook([ENTERPRISE_HEADER, ["91320583MA1XXXXXX5", "x", "320583", "3670", "small"]])
    head, tail = parts.pop(SHEET).split(b"</sheetData>")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open(SHEET, "w") as part:
            part.write(head + b'<row r="3"><c r="B3" t="inlineStr"><is><t>')
            block = b"A" * MB
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</t></is></c></row></sheetData>" + tail)
    return path


def lying_bomb(path: Path, megabytes: int = 300) -> Path:
    """Like :func:`string_bomb`, but the zip headers claim the sheet unpacks to 1 KB."""
    string_bomb(path, megabytes)
    data = bytearray(path.read_bytes())
    name = SHEET.encode()
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if data[start + name_offset:start + name_offset + length] == name:
                struct.pack_into("<I", data, start + size_offset, 1024)
            start += 4
    path.write_bytes(bytes(data))
    return path


def workbook(path: Path, rows: list[list], replace: dict[bytes, bytes] | None = None) -> Path:
    """A plain workbook of ``rows``; ``replace`` rewrites text in the sheet (openpyxl cuts cells at 32,767
    characters, other writers need not)."""
    parts = _base_workbook(rows)
    for old, new in (replace or {}).items():
        parts[SHEET] = parts[SHEET].replace(old, new)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


class Unpacked:
    """Counts the bytes really unpacked from any ZIP member while the block runs (``zipfile.ZipExtFile.read``,
    wrapped and called through): what a bomb's refusal must bound, on any machine, where a wall time would not."""

    def __init__(self, monkeypatch):
        self.bytes = 0
        real = zipfile.ZipExtFile.read

        def read(part, n=-1):
            data = real(part, n)
            self.bytes += len(data)
            return data

        monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
