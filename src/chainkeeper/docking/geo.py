"""County coordinates (package data from ``cpca``, see ``data/PROVENANCE.md``) and great-circle distances."""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from importlib import resources

EARTH_RADIUS_KM = 6371.0


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float]]:
    """Region code → (longitude, latitude) for every region of the registry."""
    with resources.files("chainkeeper.docking").joinpath("data/centroids.csv").open(encoding="utf-8") as handle:
        return {row["code"]: (float(row["longitude"]), float(row["latitude"])) for row in csv.DictReader(handle)}


def point(code: str) -> tuple[float, float] | None:
    """The point of a region code (county, then its city, then its province); None when unknown."""
    known = centroids()
    for candidate in (code, code[:4], code[:2]):
        if candidate in known:
            return known[candidate]
    return None


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float:
    """Great-circle (haversine) distance between two (longitude, latitude) points; 0 when either is unknown."""
    if a is None or b is None:
        return 0.0
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
