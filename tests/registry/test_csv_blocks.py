"""The CSV block reader (issue 15) gives exactly what the record-by-record reader gives, on random texts: the same
rows, row numbers and cells, the same bad records (too long, broken quoting, NUL, row limit) and the same stop —
whatever the block size, wherever a block ends (mid-line, between CR and LF), and when it must hand the rest of the
text to the record-by-record reader."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chainkeeper.registry.importing import readers
from chainkeeper.registry.importing.limits import MB, ImportLimits

PIECES = ["a", "b", "7", "中", " ", ",", ";", "\t", "\n", "\n", "\n", "\r\n", "\r\n", "\r", '"', '""', "\0",
          "\x0b", "\u2028", "\x85", "xxxxxxxxxxxx"]
PLAIN = ["a", "7", "中", " ", ",", ",", "\n", "\r\n"]


def texts() -> st.SearchStrategy[str]:
    """Mostly plain lines (so the block path runs), now and then anything the record reader must deal with."""
    plain = st.lists(st.sampled_from(PLAIN), max_size=60).map("".join)
    wild = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
    return st.lists(st.one_of(plain, plain, plain, wild), max_size=5).map("".join)


def both(text: str, delimiter: str, limits: ImportLimits, block: int) -> tuple[list, list]:
    """Every (row number, cells or bad record) of the two readers over ``text``."""
    by_record = list(readers.line_records(io.StringIO(text, newline=""), delimiter, limits))
    by_block = list(readers.block_records(io.StringIO(text, newline=""), delimiter, limits, block))
    return by_block, by_record


@given(texts(), st.sampled_from([",", ";", "\t"]), st.integers(1, 40), st.integers(1, 12), st.integers(1, 80),
       st.integers(20, 200))
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
def test_block_reader_reads_what_the_record_reader_reads(text, delimiter, block, rows, cell, record):
    limits = ImportLimits(rows=rows, file_bytes=MB, cell_chars=cell)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readers, "MAX_RECORD_CHARS", record)  # the record bound, low enough for random texts
        by_block, by_record = both(text, delimiter, limits, block)
    assert by_block == by_record


def test_plain_lines_in_blocks_keep_their_numbers_and_skip_blank_rows():
    """A readable case: CRLF lines, a blank row and a row of spaces are skipped but counted, blocks end mid-line."""
    text = "a,1\r\nb,2\r\n\r\n , \r\nc,3\r\nd,4"
    limits = ImportLimits(rows=10, file_bytes=MB)
    by_block, by_record = both(text, ",", limits, 7)
    assert by_block == by_record == [(2, ["a", "1"]), (3, ["b", "2"]), (6, ["c", "3"]), (7, ["d", "4"])]


def test_the_row_limit_stops_inside_a_block():
    limits = ImportLimits(rows=3, file_bytes=MB)
    by_block, by_record = both("".join(f"r{i},{i}\n" for i in range(10)), ",", limits, 1000)
    assert by_block == by_record
    assert [number for number, _ in by_block] == [2, 3, 4, 5] and by_block[-1][1].code == "too_many_rows"


def test_a_quote_after_plain_blocks_is_read_record_by_record():
    """Plain blocks first, then a quoted field holding a line break: one record, the numbers go on."""
    text = "".join(f"r{i},{i}\n" for i in range(50)) + 'x,"two\nlines"\ny,1\n'
    limits = ImportLimits(rows=100, file_bytes=MB)
    by_block, by_record = both(text, ",", limits, 64)
    assert by_block == by_record
    assert by_block[-2:] == [(52, ["x", "two\nlines"]), (53, ["y", "1"])]
