"""Supply-link rows validated a chunk at a time, column by column (issue 15): the import of a million links.

Each chunk of rows is cut into columns; a column is checked at once with C-level passes (USCCs mapped to ids with
one ``dict.get`` per cell through ``map``, numbers parsed with ``float`` over the whole column, yes/no looked up
the same way). A row every one of whose cells passes is kept without any per-row Python check but the duplicate
key; every other row — an unknown or unnormalised code, a number with thousands separators, a bad cell, a
self-link, a row outside the caller's scope, a duplicate — goes to the row-by-row :class:`.LinkChecker`, which
accepts it (a normalisable value) or names its errors. The errors are therefore the row checker's own: the same
messages, rows, columns and order, the same limit (:data:`.rows.MAX_ISSUES`), the same records kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from itertools import islice, repeat
from operator import eq, itemgetter, lshift, or_
from typing import Any

from chainkeeper.registry.importing import fields
from chainkeeper.registry.importing.columns import HeaderMap
from chainkeeper.registry.importing.issues import BadRecord, ImportIssue, UnreadableFile
from chainkeeper.registry.importing.links import LinkChecker, link_key
from chainkeeper.registry.importing.rows import MAX_ISSUES, Row, report_bad_record

CHUNK_ROWS = 20_000
"""Rows read and checked together."""
PROGRESS_EVERY = 50_000
"""Rows between two progress calls (as the row-by-row pass)."""
_KEYS = ("supplier_uscc", "customer_uscc", "product_code", "annual_value", "lead_time_days", "inventory_days",
         "essential")
_MISSING = object()
_NO_PRODUCT = {None: 0}


def _number_column(texts: tuple[str, ...], required: bool) -> tuple[list, set[int]]:
    """The column's values as :func:`.fields.number` gives them, and the positions of the cells it refuses."""
    try:
        values = list(map(float, texts))
    except ValueError:
        values = None
    if values is not None:
        total = sum(values)  # nan or inf if any cell is (or the sum overflows: then the cells are looked at)
        if math.isfinite(total) and (not values or min(values) >= 0):
            return values, set()
    values, bad = [], set()
    for index, text in enumerate(texts):
        try:
            value = float(text)
        except ValueError:
            try:
                value = fields.number(text, required=required)
            except fields.CellError:
                bad.add(index)
                value = None
        else:
            if not 0 <= value < math.inf:
                bad.add(index)
        values.append(value)
    return values, bad


def _boolean_column(texts: tuple[str, ...]) -> tuple[list, set[int]]:
    """The column's values as :func:`.fields.boolean` gives them, and the positions of the cells it refuses."""
    values = list(map(fields.BOOL_WORDS.get, texts))
    bad = set()
    if None in values:
        for index, value in enumerate(values):
            if value is None:
                value = fields.BOOL_WORDS.get(texts[index].strip().lower())
                values[index] = value
                if value is None:
                    bad.add(index)
    return values, bad


def _link_keys(records: list[tuple]) -> list[int]:
    """:func:`.links.link_key` of each record, column by column (the records hold known ids)."""
    suppliers, customers, products = islice(zip(*records), 3)
    products = map(_NO_PRODUCT.get, products, products)
    return list(map(or_, map(lshift, suppliers, repeat(80)), map(or_, map(lshift, customers, repeat(40)), products)))


def _positions(values: list, wanted: Any) -> set[int]:
    """Where ``values`` hold ``wanted`` (compared by identity)."""
    return {i for i, value in enumerate(values) if value is wanted} if wanted in values else set()


class LinkColumns:
    """A chunk of link rows checked column by column; see the module's docstring."""

    def __init__(self, checker: LinkChecker, header: HeaderMap):
        self.checker = checker
        self.header = header
        lookups = checker.lookups
        self.enterprise_ids = lookups.enterprise_ids
        self.products = dict(lookups.product_ids)
        self.products[""] = None  # an empty product cell: no product
        access = lookups.access
        self.scope = None if access is None else access.ids
        present = [key for key in _KEYS if key in header.positions]
        self.present = present
        self.width = max(header.positions[key] for key in present) + 1
        self.cut = itemgetter(*(header.positions[key] for key in present))

    def columns(self, rows: list[list[str]]) -> dict[str, tuple[str, ...]]:
        """The chunk's cells by column key ('' for a missing column or a short row)."""
        if min(map(len, rows)) < self.width:
            rows = [row + [""] * (self.width - len(row)) if len(row) < self.width else row for row in rows]
        cut = list(zip(*map(self.cut, rows)))
        blank = ("",) * len(rows)
        found = dict(zip(self.present, cut))
        return {key: found.get(key, blank) for key in _KEYS}

    def check(self, rows: list[list[str]]) -> tuple[list[tuple], set[int]]:
        """Each row's record if every cell passes, and the positions of the rows the row checker must see."""
        cells = self.columns(rows)
        suppliers = list(map(self.enterprise_ids.get, cells["supplier_uscc"]))
        customers = list(map(self.enterprise_ids.get, cells["customer_uscc"]))
        products = list(map(self.products.get, map(str.strip, cells["product_code"]), repeat(_MISSING)))
        values, bad_values = _number_column(cells["annual_value"], True)
        lead_times, bad_leads = _number_column(cells["lead_time_days"], False)
        inventories, bad_stocks = _number_column(cells["inventory_days"], False)
        essentials, bad_flags = _boolean_column(cells["essential"])
        refer = _positions(suppliers, None) | _positions(customers, None) | _positions(products, _MISSING)
        refer |= bad_values | bad_leads | bad_stocks | bad_flags
        if any(map(eq, suppliers, customers)):
            refer |= {i for i, (s, c) in enumerate(zip(suppliers, customers)) if s == c}
        if self.scope is not None:
            scope = self.scope
            refer |= {i for i, (s, c) in enumerate(zip(suppliers, customers)) if s not in scope and c not in scope}
        records = list(zip(suppliers, customers, products, values, lead_times, inventories, essentials))
        return records, refer


def validate_links(
    source: str,
    header: HeaderMap,
    rows: Iterator[tuple[int, list[str] | BadRecord]],
    checker: LinkChecker,
    language: str,
    issues: list[ImportIssue],
    progress: Callable[[int], None] | None = None,
    *,
    keep: Callable[[list], None],
    columns: list[str] = (),
    chunk: int = CHUNK_ROWS,
) -> int:
    """:func:`.rows.validate_rows` for links, a chunk at a time: the same issues, records and count; ``keep``
    takes a list of records (tuples in :data:`.links.LINK_FIELDS` order)."""
    rows = iter(rows)
    batch = _Chunk(source, header, LinkColumns(checker, header), checker, language, issues, keep, columns)
    count = 0
    while True:
        items, failure = _take(rows, chunk)
        count, stopped = batch.run(items, count, progress)
        if stopped:
            return count
        if failure is not None:
            raise failure
        if len(items) < chunk:
            return count


def _take(rows: Iterator, size: int) -> tuple[list, UnreadableFile | None]:
    """Up to ``size`` rows, and the error that stopped the reading early (raised once the rows before it are
    checked, as the row-by-row pass would)."""
    items: list = []
    try:
        items.extend(islice(rows, size))
    except UnreadableFile as error:
        return items, error
    return items, None


class _Chunk:
    """Checks one chunk of rows and hands on its records and issues in row order."""

    def __init__(self, source, header, columnar: LinkColumns, checker: LinkChecker, language, issues, keep,
                 columns):
        self.source, self.header, self.columnar, self.checker = source, header, columnar, checker
        self.language, self.issues, self.keep, self.columns = language, issues, keep, columns

    def run(self, items: list, count: int, progress: Callable[[int], None] | None) -> tuple[int, bool]:
        """Check ``items`` (the rows after the first ``count``); returns the new count and whether to stop."""
        if not items:
            return count, False
        numbers, cells = zip(*items)
        whole = BadRecord not in set(map(type, cells))
        good = list(cells) if whole else [c for c in cells if not isinstance(c, BadRecord)]
        records, refer = self.columnar.check(good) if good else ([], set())
        if whole and not refer and self._all_new(records, numbers):
            self.keep(records)
            if progress is not None:
                for done in range(count + PROGRESS_EVERY - count % PROGRESS_EVERY, count + len(items) + 1,
                                  PROGRESS_EVERY):
                    progress(done)
            return count + len(items), False
        return self._row_by_row(items, records, refer, count, progress)

    def _all_new(self, records: list[tuple], numbers: tuple[int, ...]) -> bool:
        """Record the chunk's keys as seen if none was seen before nor twice in it; False (nothing recorded)
        otherwise."""
        seen = self.checker.seen
        keys = _link_keys(records)
        if not seen.keys().isdisjoint(keys):
            return False
        before = len(seen)
        seen.update(zip(keys, numbers))
        if len(seen) - before == len(keys):
            return True
        for key in keys:  # a key twice in the chunk: undo, the rows are checked one by one
            seen.pop(key, None)
        return False

    def _row_by_row(self, items, records, refer, count, progress) -> tuple[int, bool]:
        """The chunk in row order: rows that passed whole need only the duplicate check, the others the row
        checker; kept records go on in order."""
        kept: list = []
        position = -1  # index among the readable rows
        stopped = False
        for count, (number, cells) in enumerate(items, start=count + 1):
            if isinstance(cells, BadRecord):
                report_bad_record(self.issues, self.source, number, cells, self.columns, self.language)
                if cells.stop or len(self.issues) >= MAX_ISSUES:
                    stopped = True
                    break
                continue
            position += 1
            record = records[position]
            if position in refer or self.checker.seen.setdefault(link_key(*record[:3]), number) != number:
                row = Row(self.source, self.header, number, cells, self.language, self.issues)
                record = self.checker(row)
            if record is not None:
                kept.append(record)
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            if len(self.issues) >= MAX_ISSUES:
                stopped = True
                break
        self.keep(kept)
        return count, stopped
