"""The statistical size standard (统计上大中小微型企业划分办法（2017）, 国统字〔2017〕213号) as data.

The thresholds live in ``data/size_standard_2017.json`` (source and checks in ``data/PROVENANCE.md``); this module
reads them once and finds the sector row a GB/T 4754-2017 industry code belongs to.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

INDICATORS = ("employees", "revenue_wan", "assets_wan")
"""The standard's indicators: employees (从业人员, persons), revenue (营业收入, 10,000 yuan), assets (资产总额)."""


@dataclass(frozen=True)
class Threshold:
    """The lower bounds of one indicator for the large, medium and small classes (micro is below small)."""

    indicator: str
    large: float
    medium: float
    small: float


@dataclass(frozen=True)
class Sector:
    """One row of the standard: the industry codes it covers and its thresholds."""

    key: str
    name_zh: str
    name_en: str
    sections: tuple[str, ...]
    codes: tuple[str, ...]
    thresholds: tuple[Threshold, ...]

    def label(self, language: str | None) -> str:
        """The row's name in ``language`` (the standard's Chinese name unless English)."""
        return self.name_en if (language or "").startswith("en") else self.name_zh


@dataclass(frozen=True)
class Standard:
    """The whole standard: its sectors, the codes it does not cover, and its source."""

    title: str
    document: str
    sectors: tuple[Sector, ...]
    not_covered: tuple[str, ...]

    def sector(self, key: str) -> Sector:
        """The row named ``key`` (KeyError when unknown)."""
        for sector in self.sectors:
            if sector.key == key:
                return sector
        raise KeyError(key)


@lru_cache
def standard() -> Standard:
    """The 2017 standard, read from the package data once."""
    path = resources.files("chainkeeper.sme.size") / "data" / "size_standard_2017.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    sectors = tuple(
        Sector(key=row["key"], name_zh=row["name_zh"], name_en=row["name_en"], sections=tuple(row["sections"]),
               codes=tuple(row["codes"]), thresholds=tuple(Threshold(**t) for t in row["thresholds"]))
        for row in raw["sectors"])
    return Standard(title=raw["title"], document=raw["document"], sectors=sectors,
                    not_covered=tuple(raw["not_covered"]["codes"]))


@lru_cache
def _divisions_of_section(section: str) -> frozenset[str]:
    """The two-digit divisions of a GB/T 4754-2017 section, from the shipped reference table."""
    path = resources.files("chainkeeper.reference") / "data" / "gbt4754-2017.csv"
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle)
        return frozenset(r["code"] for r in rows if r["level"] == "2" and r["section"] == section)


def normalize_code(code: str) -> str:
    """An industry code as the standard's tables write it: trimmed, section letters upper-case."""
    return (code or "").strip().upper()


def find_sector(code: str) -> Sector | None | tuple[Sector, ...]:
    """The row covering the GB/T 4754-2017 ``code`` (a section letter, division, group or class).

    Returns the :class:`Sector`, ``None`` when the standard does not cover the code, or a tuple of the candidate
    rows when the code is too coarse to decide (e.g. ``59`` spans transport's loading and warehousing).
    """
    code = normalize_code(code)
    rows = standard().sectors
    if code.isalpha():
        whole = [s for s in rows if code in s.sections]
        if whole:
            return whole[0]
        return _candidates(code, rows, by_section=True)
    for sector in rows:
        if any(code.startswith(prefix) for prefix in sector.codes):
            return sector
    if any(code.startswith(prefix) for prefix in standard().not_covered):
        return None
    return _candidates(code, rows, by_section=False)


def _candidates(code: str, rows: tuple[Sector, ...], *, by_section: bool) -> tuple[Sector, ...] | None:
    """Rows with a code inside ``code`` (a coarse code); None when there is none."""
    if by_section:
        inside = _divisions_of_section(code)
        found = tuple(s for s in rows if any(p[:2] in inside for p in s.codes))
    else:
        found = tuple(s for s in rows if any(p.startswith(code) for p in s.codes))
    return found or None
