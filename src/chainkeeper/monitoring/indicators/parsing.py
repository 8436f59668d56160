"""The published file shapes, read into observations: the statistics bureau's exports and data vendors' sheets.

A file is a grid of text cells (rows numbered as in the file). From the top:

1. metadata lines, one cell ``key：value`` ("数据库：分省月度数据", "指标：…", "地区：…", "时间：…"), ignored but for
   ``指标`` (must name the imported indicator when it names a known one) and ``地区`` (the file's region);
2. a table, in one of two orientations:
   - months as columns: a header row whose cells after the first are months ("2022年4月", "2022-04", …); each
     following row is labelled in its first cell by a region, an industry division or an indicator name;
   - months as rows: rows whose first cell is a month (a data vendor's "date,value"); the rows above them are a
     header block ("指标名称,中国:规模以上工业增加值:当月同比", "单位,%", …) whose ``指标名称``/``地区`` row (or
     else its last row) labels each value column;
3. a footer from a line starting with "数据来源", "注", "Source" or "Note" to the end, ignored.

Cells "", "#N/A", "—", "--" mean not published. January missing with February published means February is
January–February together (``combined_months`` 2), as the bureau publishes value added and output; an index (the
PMI) is never combined. See docs/monitoring.md, "Monthly indicators".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chainkeeper.i18n import _
from chainkeeper.monitoring.indicators.catalogue import IndicatorSpec, label_matches, names_other_indicator
from chainkeeper.monitoring.indicators.models import NATIONAL
from chainkeeper.monitoring.indicators.periods import BadMonth, Month, is_missing, parse_month, parse_number

META_KEYS = ("数据库", "指标", "地区", "时间", "频率", "单位", "来源", "行业", "更新时间", "database", "indicator",
             "region", "time", "unit", "frequency")
FOOTER_STARTS = ("数据来源", "注", "附注", "source", "note")
HEADER_KEYS = ("指标名称", "指标", "地区", "名称", "indicator", "region", "name", "series")
NATIONAL_NAMES = ("全国", "中国", "全国合计", "national", "china", "总计", "合计")
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")

NO_MONTHS = _("no months found: put the months in a header row (e.g. 2022年4月, 2022-04) or in the first column; "
              "see the format in docs/monitoring.md")
BAD_MONTH = _("“{text}” is not a valid month (use 2022年4月, 2022-04 or 2022/4; only January–February may be "
              "combined, as 2022年1-2月)")
BAD_NUMBER = _("“{text}” is not a number (a missing value may be empty, #N/A, — or --)")
UNKNOWN_LABEL = _("“{text}” is neither a region, an industry division nor the indicator {indicator}")
OTHER_INDICATOR = _("the file holds the indicator “{text}”, not {indicator}")
DUPLICATE = _("{period} of {key} is given twice (also in row {row})")
NO_REGION = _("the file does not say which region its figures are for: give the region (--region)")
REGION_CONFLICT = _("the file is for region “{text}”, not the region chosen ({region})")
NOTHING = _("the file holds no figure of {indicator}")


@dataclass(frozen=True)
class Observation:
    """One figure read from a file, with where it was (row number, column label)."""

    region_code: str
    industry_code: str
    period: str
    value: float
    combined_months: int
    row: int
    column: str


@dataclass(frozen=True)
class Problem:
    """Something wrong at (row, column): a translatable message and its parameters."""

    row: int | None
    column: str | None
    code: str
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Names:
    """How labels become codes: region names (full and short) and industry division names, by code."""

    regions: Mapping[str, str]
    industries: Mapping[str, str]

    @classmethod
    def build(cls, regions: Mapping[str, str], industries: Mapping[str, str]) -> Names:
        """From code → name maps (the reference tables)."""
        by_name: dict[str, str] = {}
        for code, name in regions.items():
            by_name[name] = code
            by_name.setdefault(_short(name), code)
            by_name.setdefault(code, code)
            if len(code) == 2:
                by_name.setdefault(code + "0000", code)
        for name in NATIONAL_NAMES:
            by_name[name] = NATIONAL
        by_name[NATIONAL] = NATIONAL
        industry = {name: code for code, name in industries.items() if len(code) == 2 and code.isdigit()}
        return cls(by_name, industry)

    def region(self, label: str) -> str | None:
        """The code of a region label (None when it is not one)."""
        text = label.strip()
        return self.regions.get(text) or self.regions.get(text.lower()) or self.regions.get(_short(text))

    def industry(self, label: str) -> str | None:
        """The GB/T 4754 division code of an industry label (None when it is not one)."""
        text = re.sub(r"^\s*\d{2}\s*", "", label.strip())
        return self.industries.get(text)


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Key:
    """Where a row or column of figures belongs (region, industry), or None for a series of another indicator."""

    region_code: str | None
    industry_code: str


@dataclass
class Parsed:
    """What a file held: the observations and the problems (nothing is stored when there is any problem)."""

    observations: list[Observation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def column_name(index: int, header: str = "") -> str:
    """An Excel-style column name, with the column's title when it has one: ``C (2022年4月)``."""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters} ({header.strip()})" if header.strip() else letters


def _trim(cells: list[str]) -> list[str]:
    cells = [cell.strip() for cell in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _meta(cells: list[str]) -> tuple[str, str] | None:
    """``(key, value)`` of a metadata line (one cell ``key：value``), else None."""
    if len(cells) != 1:
        return None
    parts = re.split(r"[：:]", cells[0], maxsplit=1)
    if len(parts) != 2:
        return None
    return parts[0].strip(), parts[1].strip()


def _is_footer(cells: list[str]) -> bool:
    first = cells[0].strip().lower() if cells else ""
    return any(first.startswith(word) for word in FOOTER_STARTS) and (len(cells) == 1 or not any(cells[1:]))


def _month_or_none(text: str) -> Month | None:
    try:
        return parse_month(text)
    except BadMonth:
        return None


class _Reader:
    """The state of one file's reading (see the module's docstring for the shapes)."""

    def __init__(self, spec: IndicatorSpec, names: Names, region: str | None, industry: str):
        self.spec, self.names, self.region, self.industry = spec, names, region, industry
        self.out = Parsed()
        self.seen: dict[tuple[str, str, str], int] = {}

    def problem(self, row: int | None, column: str | None, code: str, message: str, **params) -> None:
        self.out.problems.append(Problem(row, column, code, message, params))

    def meta(self, key: str, value: str, row: int) -> None:
        """Check the metadata lines that matter: the indicator and the region."""
        if key in ("指标", "indicator") and names_other_indicator(self.spec, value) \
                and not label_matches(self.spec, value):
            self.problem(row, "A", "other_indicator", OTHER_INDICATOR, text=value, indicator=self.spec.name_zh)
        if key in ("地区", "region"):
            code = self.names.region(value)
            if code is not None and self.region is not None and code != self.region:
                self.problem(row, "A", "region_conflict", REGION_CONFLICT, text=value, region=self.region)
            elif code is not None:
                self.region = code

    def key_of(self, label: str, row: int, column: str, *, alone: bool) -> Key | None:
        """Where a labelled row or column belongs; None (skipped) for another indicator's series."""
        text = label.strip()
        parts = [p.strip() for p in re.split(r"[：:]", text) if p.strip()]
        region = self.names.region(parts[0]) if len(parts) > 1 else None
        if region is not None:
            parts = parts[1:]
        rest = "".join(parts)
        if not text or label_matches(self.spec, rest) or (region is not None and not rest):
            return Key(region or self.region, self.industry)
        if names_other_indicator(self.spec, rest):
            self.out.warnings.append(Problem(row, column, "other_indicator", OTHER_INDICATOR,
                                             {"text": text, "indicator": self.spec.name_zh}))
            return None
        code = self.names.region(text)
        if code is not None:
            return Key(code, self.industry)
        industry = self.names.industry(text)
        if industry is not None:
            return Key(region or self.region, industry)
        if alone:
            return Key(region or self.region, self.industry)
        self.problem(row, column, "unknown_label", UNKNOWN_LABEL, text=text, indicator=self.spec.name_zh)
        return None

    def value(self, key: Key, month: Month, text: str, row: int, column: str) -> None:
        """One cell of figures."""
        if is_missing(text):
            return
        number = parse_number(text)
        if number is None:
            self.problem(row, column, "not_a_number", BAD_NUMBER, text=text[:40])
            return
        if key.region_code is None:
            if not any(p.code == "no_region" for p in self.out.problems):
                self.problem(row, column, "no_region", NO_REGION)
            return
        ident = (key.region_code, key.industry_code, month.period)
        if ident in self.seen:
            self.problem(row, column, "duplicate", DUPLICATE, period=month.period,
                         key="/".join(filter(None, ident[:2])), row=self.seen[ident])
            return
        self.seen[ident] = row
        self.out.observations.append(Observation(key.region_code, key.industry_code, month.period, number,
                                                 month.combined_months, row, column))

    def month_cell(self, text: str, row: int, column: str) -> Month | None:
        try:
            return parse_month(text)
        except BadMonth:
            self.problem(row, column, "bad_month", BAD_MONTH, text=text[:40])
            return None

    def months_as_columns(self, header: list[str], header_row: int, rows: list[tuple[int, list[str]]]) -> None:
        months = {j: self.month_cell(cell, header_row, column_name(j, cell))
                  for j, cell in enumerate(header) if j > 0 and cell}
        data = [(number, cells) for number, cells in rows if any(cells)]
        for number, cells in data:
            key = self.key_of(cells[0] if cells else "", number, column_name(0, header[0]), alone=len(data) == 1)
            if key is None:
                continue
            for j, month in months.items():
                if month is not None and j < len(cells):
                    self.value(key, month, cells[j], number, column_name(j, header[j]))

    def months_as_rows(self, block: list[tuple[int, list[str]]], rows: list[tuple[int, list[str]]]) -> None:
        width = max(len(cells) for _n, cells in rows)
        labels = self._column_labels(block, width)
        keys = {}
        for j in range(1, width):
            label_row, label = labels.get(j, (None, ""))
            keys[j] = self.key_of(label, label_row or (rows[0][0]), column_name(j, label), alone=width == 2)
        for number, cells in rows:
            month = self.month_cell(cells[0], number, column_name(0))
            if month is None:
                continue
            for j in range(1, len(cells)):
                if keys.get(j) is not None:
                    self.value(keys[j], month, cells[j], number, column_name(j, labels.get(j, (0, ""))[1]))

    @staticmethod
    def _column_labels(block: list[tuple[int, list[str]]], width: int) -> dict[int, tuple[int, str]]:
        """Each value column's label: from the block's 指标名称/地区 row, else its last row with cells."""
        chosen = next((r for r in block if r[1] and r[1][0].strip().lower() in HEADER_KEYS), None)
        if chosen is None:
            chosen = next((r for r in reversed(block) if len(r[1]) > 1), None)
        if chosen is None:
            return {}
        number, cells = chosen
        return {j: (number, cells[j]) for j in range(1, min(width, len(cells)))}

    def combine_jan_feb(self) -> None:
        """February without January (missing) is January–February together, except for an index."""
        if self.spec.kind == "index":
            return
        periods = {(o.region_code, o.industry_code, o.period) for o in self.out.observations}
        combined = []
        for o in self.out.observations:
            january = (o.region_code, o.industry_code, o.period[:5] + "01")
            if o.period.endswith("-02") and o.combined_months == 1 and january not in periods:
                o = Observation(o.region_code, o.industry_code, o.period, o.value, 2, o.row, o.column)
            combined.append(o)
        self.out.observations = combined


def parse_grid(rows: Iterable[tuple[int, list[str]]], spec: IndicatorSpec, names: Names, *,
               region: str | None = None, industry: str = "") -> Parsed:
    """Read a file's rows (numbered as in the file, header included) as figures of ``spec``.

    ``region``/``industry``: what the figures are for when the file does not say (a single series).
    """
    reader = _Reader(spec, names, region, industry)
    table: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        cells = _trim(cells)
        if not cells:
            continue
        if table and _is_footer(cells):
            break
        meta = _meta(cells)
        if not table and meta is not None and _month_or_none(cells[0]) is None:
            reader.meta(*meta, number)
            continue
        if not table and _is_footer(cells):
            continue
        table.append((number, cells))
    _read_table(reader, table)
    if not reader.out.problems:
        reader.combine_jan_feb()
        if not reader.out.observations:
            reader.problem(None, None, "nothing", NOTHING, indicator=spec.name_zh)
    return reader.out


def _read_table(reader: _Reader, table: list[tuple[int, list[str]]]) -> None:
    for index, (number, cells) in enumerate(table):
        tail = [cell for cell in cells[1:] if cell]
        if tail and _month_or_none(cells[0]) is None and sum(_looks_month(c) for c in tail) >= max(1, len(tail) // 2):
            reader.months_as_columns(cells, number, table[index + 1:])
            return
        if cells and _looks_month(cells[0]):
            reader.months_as_rows(table[:index], [(n, c) for n, c in table[index:] if c])
            return
    reader.problem(table[0][0] if table else None, None, "no_months", NO_MONTHS)


def _looks_month(text: str) -> bool:
    """True for a month label, valid or not (so that a bad one is named rather than taken for a label)."""
    try:
        return parse_month(text) is not None
    except BadMonth:
        return True
