"""How large an import may be: rows, bytes, an XLSX's unpacked content and a single cell (settings per door)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
MAX_CELL_CHARS = 131_072
"""Characters in one cell (Python's csv default field limit, 128 Ki); a longer cell is a row error."""
MAX_RECORD_CHARS = 8 * MAX_CELL_CHARS
"""Characters in one CSV record (all its cells); a longer record is a row error and is never held in memory."""
MAX_XML_RUN = 8 * MAX_CELL_CHARS
"""Bytes of XLSX markup without a tag, or of one shared string: a bigger cell is refused before it is parsed."""
MAX_SHARED_STRINGS = 256 * MB
"""Bytes of an XLSX's shared strings at most, whatever the file limit (they are all held in memory while reading)."""


@dataclass(frozen=True)
class ImportLimits:
    """The bounds of one import; an XLSX may unpack to four times ``file_bytes``, its shared strings to a quarter
    of that (at most :data:`MAX_SHARED_STRINGS`)."""

    rows: int
    file_bytes: int
    cell_chars: int = MAX_CELL_CHARS

    @property
    def unpacked_bytes(self) -> int:
        """The largest unpacked content of an XLSX file."""
        return 4 * self.file_bytes

    @property
    def shared_strings_bytes(self) -> int:
        """The largest shared-strings part of an XLSX file."""
        return min(self.file_bytes, MAX_SHARED_STRINGS)


def cli_limits() -> ImportLimits:
    """The bounds of ``chainkeeper import`` (settings ``import_max_rows``, ``import_max_mb``)."""
    from chainkeeper.config import get_settings

    settings = get_settings()
    return ImportLimits(rows=settings.import_max_rows, file_bytes=settings.import_max_mb * MB)


def web_limits(rows: int | None = None) -> ImportLimits:
    """The bounds of an upload (settings ``web_import_max_rows``, ``web_import_max_mb``); ``rows`` lowers the
    row bound (a letter's problem list)."""
    from chainkeeper.config import get_settings

    settings = get_settings()
    most = settings.web_import_max_rows if rows is None else min(rows, settings.web_import_max_rows)
    return ImportLimits(rows=most, file_bytes=settings.web_import_max_mb * MB)
