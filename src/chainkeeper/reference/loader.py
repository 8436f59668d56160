"""Reads the reference tables shipped in ``reference/data`` into plain rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from chainkeeper.reference.chains import DEFAULT_CHAINS

REGION_GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("yrd", "长三角", "Yangtze River Delta", ("31", "32", "33", "34")),
    ("jjj", "京津冀", "Beijing–Tianjin–Hebei", ("11", "12", "13")),
    (
        "prd",
        "珠三角",
        "Pearl River Delta",
        ("4401", "4403", "4404", "4406", "4407", "4412", "4413", "4419", "4420"),
    ),
    ("cy", "成渝", "Chengdu–Chongqing", ("50", "51")),
)


def _read(name: str) -> Iterator[dict[str, str]]:
    text = (resources.files("chainkeeper.reference") / "data" / name).read_text(encoding="utf-8-sig")
    yield from csv.DictReader(text.splitlines())


@lru_cache
def region_rows() -> tuple[dict, ...]:
    """Provinces, prefectures and counties as rows of the ``region`` table, parents first."""
    rows = [
        dict(code=r["code"], name=r["name"], level=1, parent_code=None, province_code=r["code"], city_code=None)
        for r in _read("provinces.csv")
    ]
    rows += [
        dict(
            code=r["code"], name=r["name"], level=2, parent_code=r["provinceCode"],
            province_code=r["provinceCode"], city_code=r["code"],
        )
        for r in _read("cities.csv")
    ]
    rows += [
        dict(
            code=r["code"], name=r["name"], level=3, parent_code=r["cityCode"],
            province_code=r["provinceCode"], city_code=r["cityCode"],
        )
        for r in _read("areas.csv")
    ]
    return tuple(rows)


def _industry_parent(code: str, level: int, section: str, known: set[str]) -> str | None:
    if level == 1:
        return None
    if level == 2:
        return section
    for length in range(len(code) - 1, 1, -1):
        if code[:length] in known:
            return code[:length]
    return section


@lru_cache
def industry_names_en() -> dict[str, str]:
    """English names of the GB/T 4754-2017 sections and divisions by code (``gbt4754-2017-en.csv``)."""
    return {r["code"]: r["name_en"] for r in _read("gbt4754-2017-en.csv")}


def industry_name(code: str, name: str, language: str) -> str:
    """An industry's ``name`` (the standard's Chinese) for a reader of ``language``: in English its English name
    where one is shipped (sections and divisions), else the Chinese."""
    return industry_names_en().get(code, name) if language == "en" else name


@lru_cache
def industry_rows() -> tuple[dict, ...]:
    """GB/T 4754-2017 codes as rows of the ``industry`` table, parents first."""
    raw = list(_read("gbt4754-2017.csv"))
    known = {r["code"] for r in raw}
    rows = [
        dict(
            code=r["code"], name=r["name"], level=int(r["level"]), section=r["section"],
            parent_code=_industry_parent(r["code"], int(r["level"]), r["section"], known),
        )
        for r in raw
    ]
    return tuple(sorted(rows, key=lambda row: row["level"]))


def region_group_rows() -> tuple[list[dict], list[dict]]:
    """Rows of ``region_group`` and ``region_group_member``."""
    groups = [dict(code=c, name_zh=zh, name_en=en) for c, zh, en, _ in REGION_GROUPS]
    members = [dict(group_code=c, region_code=m) for c, _, _, ms in REGION_GROUPS for m in ms]
    return groups, members


def key_chain_rows() -> tuple[list[dict], list[dict]]:
    """Rows of ``key_chain`` and ``key_chain_industry`` for the default chains."""
    chains = [
        dict(code=c.code, name_zh=c.name_zh, name_en=c.name_en, position=i)
        for i, c in enumerate(DEFAULT_CHAINS)
    ]
    members = [dict(chain_code=c.code, industry_code=code) for c in DEFAULT_CHAINS for code in c.industry_codes]
    return chains, members
