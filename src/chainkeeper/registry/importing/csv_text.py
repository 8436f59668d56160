"""CSV text: which encoding a file is in (and, when none fits, what it really is), and records read line by line
with a bound on their size, so that one enormous field is a row error and never a whole file in memory."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import IO, NamedTuple

from chainkeeper.i18n import _
from chainkeeper.registry.importing.issues import UnreadableFile

CHUNK = 1024 * 1024


class DecodeError(NamedTuple):
    """Where a byte sequence is not valid in an encoding: line number and the bytes, in hex."""

    line: int
    bytes: str


def first_decode_error(stream: IO[bytes], encoding: str, *, skip: int = 0) -> DecodeError | None:
    """The first place ``stream`` (from byte ``skip``) does not decode as ``encoding``; None when all of it does."""
    stream.seek(skip)
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    try:
        while chunk := stream.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                data, at = error.object, error.start
                return DecodeError(lines + data.count(b"\n", 0, at), data[at:at + 4].hex(" "))
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return DecodeError(lines, error.object[error.start:error.start + 4].hex(" "))
        return None
    finally:
        stream.seek(0)


def _looks_utf16(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = head[:4096]
    return len(sample) >= 8 and max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4


def detect_encoding(stream: IO[bytes]) -> str:
    """``utf-8-sig`` or ``gb18030``; otherwise :class:`UnreadableFile` naming the real problem."""
    head = stream.read(4096)
    stream.seek(0)
    if _looks_utf16(head):
        raise UnreadableFile("encoding", _(
            "the file is UTF-16 text (as Excel saves “Unicode text”); save it as “CSV UTF-8” or as GBK CSV"))
    if head.startswith(b"PK\x03\x04"):
        raise UnreadableFile("format", _("the file is a ZIP archive, probably an XLSX workbook named .csv; "
                                         "give it the .xlsx extension"))
    utf8 = first_decode_error(stream, "utf-8")
    if utf8 is None:
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF8):
        if first_decode_error(stream, "gb18030", skip=len(codecs.BOM_UTF8)) is None:
            raise UnreadableFile("encoding", _(
                "the file starts with a UTF-8 byte-order mark but its text is GBK (line {line}); save it again as "
                "“CSV UTF-8”, or as GBK without the mark"), line=utf8.line)
        raise UnreadableFile("encoding", _(
            "the file starts with a UTF-8 byte-order mark but line {line} is not UTF-8 (bytes {bytes})"),
            line=utf8.line, bytes=utf8.bytes)
    if b"\x00" in head:
        raise UnreadableFile("binary", _("the file is not text (it holds NUL bytes); save it as CSV or XLSX"))
    gbk = first_decode_error(stream, "gb18030")
    if gbk is None:
        return "gb18030"
    raise UnreadableFile("encoding", _(
        "the file is neither UTF-8 (line {line}: bytes {bytes}) nor GBK/GB18030 text (line {gbk_line}: bytes "
        "{gbk_bytes}); save it as UTF-8 CSV"), line=utf8.line, bytes=utf8.bytes, gbk_line=gbk.line,
        gbk_bytes=gbk.bytes)


class LongRecord(Exception):
    """A CSV record longer than the limit; ``text`` is its beginning (at most limit + 1 characters)."""

    def __init__(self, text: str):
        super().__init__("record too long")
        self.text = text


class RecordLines:
    """The lines of a text for :func:`csv.reader`, remembering those of the record being read; a record longer
    than ``limit`` characters raises :class:`LongRecord` (the rest of its line is skipped, never held)."""

    def __init__(self, text: IO[str], limit: int):
        self.text = text
        self.limit = limit
        self.record: list[str] = []
        self.size = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.size += len(line)
        if self.size > self.limit:
            beginning = ("".join(self.record) + line)[: self.limit + 1]
            while line and not line.endswith(("\n", "\r")):
                line = self.text.readline(CHUNK)
            self.start_record()
            raise LongRecord(beginning)
        self.record.append(line)
        return line

    def start_record(self) -> None:
        """A new record begins."""
        self.record.clear()
        self.size = 0

    @property
    def text_so_far(self) -> str:
        """The text of the record read so far."""
        return "".join(self.record)


def long_field_column(text: str, delimiter: str, limit: int) -> int | None:
    """The index of the first field of a CSV record longer than ``limit`` characters (None when none is)."""
    escaped = re.escape(delimiter)
    column = length = 0
    for token in re.finditer(f'"[^"]*"?|{escaped}|[^"{escaped}]+', text):
        piece = token.group()
        if piece == delimiter:
            column, length = column + 1, 0
            continue
        length += len(piece)
        if length > limit:
            return column
    return None
