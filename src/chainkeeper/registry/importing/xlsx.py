"""XLSX workbooks: the archive is checked before openpyxl reads anything (a zip bomb is refused in milliseconds),
then the first sheet is streamed row by row."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO
from xml.etree import ElementTree

from chainkeeper.i18n import _
from chainkeeper.registry.importing.issues import UnreadableFile
from chainkeeper.registry.importing.limits import MAX_XML_RUN, MB, ImportLimits

CHUNK = 1024 * 1024
MAX_MEMBERS = 10_000
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_LONG_TEXT = re.compile(rb"(?:<|^)[^<]{%d}" % MAX_XML_RUN)  # starts only after a '<': linear time
_SHARED_STRING = re.compile(rb"<si[\s>/]")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)

NOT_A_WORKBOOK = _("the file is not a readable XLSX workbook ({error})")
TOO_BIG = _("unpacked, the workbook holds {size} MB, more than the {limit} MB allowed")
STRINGS_TOO_BIG = _("the workbook's shared strings hold {size} MB, more than the {limit} MB allowed")
CELL_TOO_BIG = _("the workbook holds a cell or text of more than {limit} bytes ({part}); at most {chars} characters "
                 "per cell")


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f}"


def _shared_string_parts(archive: zipfile.ZipFile, names: list[str]) -> set[str]:
    """The shared-strings parts: named in [Content_Types].xml, or by the usual name."""
    found = {name for name in names if name.lower().endswith("sharedstrings.xml")}
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return found
    if info.file_size > MB:
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error="[Content_Types].xml")
    root = ElementTree.fromstring(archive.read(info))
    for override in root:
        if override.get("ContentType") == SHARED_STRINGS_TYPE:
            found.add((override.get("PartName") or "").lstrip("/"))
    return found


class _PartScan:
    """Streams one XML part: counts its bytes, finds over-long text and runs between shared-string items."""

    def __init__(self, name: str, shared: bool):
        self.name, self.shared = name, shared
        self.carry = 0  # bytes since the last '<' (or '<si')
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        if _DOCTYPE.search(self.tail + chunk):
            raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=f"{self.name}: DOCTYPE")
        self.tail = chunk[-16:]
        marks = [m.start() for m in _SHARED_STRING.finditer(chunk)] if self.shared else None
        first = chunk.find(b"<") if marks is None else (marks[0] if marks else -1)
        if first < 0:
            self.carry += len(chunk)
        else:
            self.carry += first
            if self.carry > MAX_XML_RUN or (marks is None and _LONG_TEXT.search(chunk, first)):
                self._too_big()
            if marks is not None and any(b - a > MAX_XML_RUN for a, b in zip(marks, marks[1:])):
                self._too_big()
            self.carry = len(chunk) - (marks[-1] if marks is not None else chunk.rfind(b"<"))
        if self.carry > MAX_XML_RUN:
            self._too_big()

    def _too_big(self) -> None:
        from chainkeeper.registry.importing.limits import MAX_CELL_CHARS

        raise UnreadableFile("cell_too_large", CELL_TOO_BIG, limit=f"{MAX_XML_RUN:,}", part=self.name,
                             chars=f"{MAX_CELL_CHARS:,}")


def check_archive(stream: IO[bytes], limits: ImportLimits) -> None:
    """Refuse a workbook whose unpacked parts, shared strings or single texts exceed ``limits`` before anything
    is parsed: the sizes the central directory declares first, then the bytes really unpacked (headers can lie)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=error) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=f"{len(members)} parts")
        declared = sum(member.file_size for member in members)
        if declared > limits.unpacked_bytes:
            raise UnreadableFile("unpacked_too_large", TOO_BIG, size=_megabytes(declared),
                                 limit=f"{limits.unpacked_bytes / MB:,.0f}")
        shared = _shared_string_parts(archive, [member.filename for member in members])
        strings = sum(member.file_size for member in members if member.filename in shared)
        if strings > limits.shared_strings_bytes:
            raise UnreadableFile("shared_strings_too_large", STRINGS_TOO_BIG, size=_megabytes(strings),
                                 limit=f"{limits.shared_strings_bytes / MB:,.0f}")
        _scan_parts(archive, members, shared, limits)


def _scan_parts(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], shared: set[str],
                limits: ImportLimits) -> None:
    unpacked = 0
    try:
        for member in members:
            if member.is_dir() or not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            scan = _PartScan(member.filename, member.filename in shared)
            with archive.open(member) as part:
                while chunk := part.read(CHUNK):
                    unpacked += len(chunk)
                    if unpacked > limits.unpacked_bytes:
                        raise UnreadableFile("unpacked_too_large", TOO_BIG, size=_megabytes(unpacked),
                                             limit=f"{limits.unpacked_bytes / MB:,.0f}")
                    scan.feed(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=error) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_sheet(stream: IO[bytes], limits: ImportLimits) -> tuple[list[str], Iterator[list[str]]]:
    """The header and the rows (as text cells) of the first worksheet, after :func:`check_archive`."""
    check_archive(stream, limits)
    stream.seek(0)
    from openpyxl import load_workbook  # imported late: a refused file costs no import


    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        declared_rows = sheet.max_row or 0
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=error) from None
    if first is None:
        workbook.close()
        raise UnreadableFile("empty", _("the file is empty"))
    if declared_rows > limits.rows + 1:
        workbook.close()
        raise UnreadableFile("too_many_rows", _("the sheet has {rows} rows, more than the {limit} allowed; split the "
                                                "file"), rows=f"{declared_rows - 1:,}", limit=f"{limits.rows:,}")
    return [_cell_text(v).strip() for v in first], _text_rows(workbook, rows)


def _text_rows(workbook, rows) -> Iterator[list[str]]:
    try:
        for row in rows:
            yield [_cell_text(v) for v in row]
    except Exception as error:  # a part damaged after the header
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=error) from None
    finally:
        workbook.close()
