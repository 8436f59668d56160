"""Reference tables for the demo economy: counties, their cities and provinces, industry classes.

Everything is read once from the package's own ``chainkeeper.reference`` data (never from outside the package).
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
from dataclasses import dataclass

import numpy as np

# Regional clusters by province code; lead times grow with distance between clusters.
CLUSTERS: dict[str, tuple[str, ...]] = {
    "yangtze_delta": ("31", "32", "33", "34"),
    "south": ("44", "45", "46", "35"),
    "north": ("11", "12", "13", "14", "15", "37"),
    "northeast": ("21", "22", "23"),
    "central": ("41", "42", "43", "36"),
    "southwest": ("50", "51", "52", "53", "54"),
    "northwest": ("61", "62", "63", "64", "65"),
}
_PLACEHOLDER_CITIES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_NAME_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "地区", "省", "市", "盟")


def read_reference(filename: str) -> list[dict[str, str]]:
    """Rows of ``chainkeeper/reference/data/<filename>`` as dicts."""
    resource = importlib.resources.files("chainkeeper.reference") / "data" / filename
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def short_name(name: str) -> str:
    """A place name without its administrative suffix: 苏州市 → 苏州, 延边朝鲜族自治州 → 延边.

    >>> short_name("苏州市"), short_name("上海市"), short_name("延边朝鲜族自治州")
    ('苏州', '上海', '延边')
    """
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    if "族" in name or name.endswith("自治州"):
        return name[:2]
    return name


@dataclass(frozen=True)
class Geography:
    """County-level arrays (one entry per county in ``areas.csv``) plus lookups."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    city: np.ndarray  # 4-digit city code as int
    province: np.ndarray  # 2-digit province code as int
    cluster: np.ndarray  # index into CLUSTERS
    place: tuple[str, ...]  # short place name used as the first part of an enterprise name
    index: dict[str, int]

    def counties_of(self, code: str) -> np.ndarray:
        """Indices of counties covered by a 2-digit province, 4-digit city or 6-digit county code."""
        if len(code) == 6:
            return np.array([self.index[code]])
        column = self.province if len(code) == 2 else self.city
        found = np.flatnonzero(column == int(code))
        if found.size == 0:
            raise KeyError(f"no county in region {code}")
        return found

    def distribution(self, places: tuple[tuple[str, float], ...]) -> tuple[np.ndarray, np.ndarray]:
        """Counties and probabilities for weighted region codes; a region's weight is spread over its counties."""
        counties, weights = [], []
        for code, weight in places:
            found = self.counties_of(code)
            counties.append(found)
            weights.append(np.full(found.size, weight / found.size))
        county = np.concatenate(counties)
        weight = np.concatenate(weights)
        return county, weight / weight.sum()


def _place_name(county: dict[str, str], cities: dict[str, str], provinces: dict[str, str]) -> str:
    """Short name a firm in this county puts in front of its name (county-level city, else city or municipality)."""
    if county["name"].endswith("市") and not county["code"].endswith("00"):
        return short_name(county["name"])
    city = cities[county["cityCode"]]
    if city in _PLACEHOLDER_CITIES:
        if county["provinceCode"] in ("11", "12", "31", "50"):
            return short_name(provinces[county["provinceCode"]])
        return short_name(county["name"])
    return short_name(city)


@functools.lru_cache(maxsize=1)
def geography() -> Geography:
    """The county table, loaded once."""
    rows = read_reference("areas.csv")
    cities = {row["code"]: row["name"] for row in read_reference("cities.csv")}
    provinces = {row["code"]: row["name"] for row in read_reference("provinces.csv")}
    cluster_of = {p: i for i, members in enumerate(CLUSTERS.values()) for p in members}
    return Geography(
        codes=tuple(row["code"] for row in rows),
        names=tuple(row["name"] for row in rows),
        city=np.array([int(row["cityCode"]) for row in rows]),
        province=np.array([int(row["provinceCode"]) for row in rows]),
        cluster=np.array([cluster_of.get(row["provinceCode"], len(CLUSTERS)) for row in rows]),
        place=tuple(_place_name(row, cities, provinces) for row in rows),
        index={row["code"]: i for i, row in enumerate(rows)},
    )


@functools.lru_cache(maxsize=1)
def industry_classes() -> frozenset[str]:
    """Every 4-digit class code of GB/T 4754-2017."""
    return frozenset(row["code"] for row in read_reference("gbt4754-2017.csv") if row["level"] == "4")
