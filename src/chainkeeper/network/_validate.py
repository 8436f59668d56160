"""Input checks shared by the network constructors (internal)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import (
    EssentialityMatrixError,
    InvalidWeightError,
    LengthMismatchError,
    MissingIndustryError,
    NetworkInputError,
    UnknownFirmError,
)


def _first(mask: np.ndarray, limit: int = 5) -> list[int]:
    return np.flatnonzero(mask)[:limit].tolist()


def same_length(*named: tuple[str, np.ndarray]) -> None:
    """Raise :class:`LengthMismatchError` unless all arrays have one length."""
    lengths = {name: len(a) for name, a in named}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k}={n}" for k, n in lengths.items())
        raise LengthMismatchError(f"arrays must have the same length: {desc}")


def _integral(values: Any, what: str, missing_error: type[NetworkInputError]) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise LengthMismatchError(f"{what} must be one-dimensional, got shape {arr.shape}")
    if arr.dtype == object:
        bad = np.array([x is None or (isinstance(x, float) and np.isnan(x)) for x in arr], bool)
        if bad.any():
            raise missing_error(f"{what} missing for entries {_first(bad)}")
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise NetworkInputError(f"{what} must be integers: {exc}") from None
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            raise missing_error(f"{what} missing (NaN) for entries {_first(bad)}")
        if (arr != np.round(arr)).any():
            raise NetworkInputError(f"{what} must be integers, got {arr[arr != np.round(arr)][:3]}")
    elif arr.dtype.kind not in "iub":
        raise NetworkInputError(f"{what} must be integers, got dtype {arr.dtype}")
    return arr.astype(np.int64)


def industry_array(industry: Any) -> np.ndarray:
    """Industries as int64; negative/NaN/None raise :class:`MissingIndustryError`."""
    ind = _integral(industry, "industry", MissingIndustryError)
    bad = ind < 0
    if bad.any():
        raise MissingIndustryError(f"firms {_first(bad)} have no industry (negative code)")
    return ind


def region_array(region: Any, n: int) -> np.ndarray:
    """Region codes as int64 (non-negative), one per firm."""
    reg = _integral(region, "region", NetworkInputError)
    if reg.shape[0] != n:
        raise LengthMismatchError(f"region has {reg.shape[0]} entries for {n} firms")
    if (reg < 0).any():
        raise NetworkInputError(f"region codes must be >= 0 (firms {_first(reg < 0)})")
    return reg


def essential_matrix(essential: Any, industry: np.ndarray) -> np.ndarray:
    """Check shape (K, K), values in {0, 1, 2} and that every industry is < K."""
    try:
        ess = np.asarray(essential, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EssentialityMatrixError(f"essentiality matrix is not numeric: {exc}") from None
    if ess.ndim != 2 or ess.shape[0] != ess.shape[1] or ess.shape[0] == 0:
        raise EssentialityMatrixError(f"essentiality matrix must be square K x K, got shape {ess.shape}")
    if not np.isin(ess, (0.0, 1.0, 2.0)).all():
        raise EssentialityMatrixError("essentiality matrix values must be 0, 1 or 2")
    k = ess.shape[0]
    if industry.size and industry.max() >= k:
        raise EssentialityMatrixError(
            f"essentiality matrix is {k}x{k} but industry codes go up to {int(industry.max())}")
    out = ess.astype(np.int8)
    return out


def weight_array(weight: Any, what: str) -> np.ndarray:
    """Float64 weights; NaN/inf/negative raise :class:`InvalidWeightError`."""
    try:
        w = np.asarray(weight, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidWeightError(f"{what} must be numbers: {exc}") from None
    if w.ndim != 1:
        raise LengthMismatchError(f"{what} must be one-dimensional, got shape {w.shape}")
    bad = ~np.isfinite(w)
    if bad.any():
        raise InvalidWeightError(f"{what} is NaN or infinite at links {_first(bad)}")
    if (w < 0).any():
        raise InvalidWeightError(f"{what} is negative at links {_first(w < 0)}")
    return w


def inventory_array(days: Any) -> np.ndarray:
    """Inventory days per link: positive or NaN (unknown)."""
    d = np.asarray(days, dtype=np.float64)
    if d.ndim != 1:
        raise LengthMismatchError(f"inventory_days must be one-dimensional, got shape {d.shape}")
    bad = np.isinf(d) | (d < 0)
    if bad.any():
        raise InvalidWeightError(f"inventory_days must be >= 0 or NaN (links {_first(bad)})")
    return d


def firm_id_array(firm_ids: Any, n: int) -> np.ndarray:
    """Unique firm identifiers, one per firm."""
    ids = np.asarray(firm_ids)
    if ids.ndim != 1 or ids.shape[0] != n:
        raise LengthMismatchError(f"firm_ids has {ids.size} entries for {n} firms")
    uniq, counts = np.unique(ids, return_counts=True)
    if (counts > 1).any():
        raise NetworkInputError(f"firm_ids are not unique: {uniq[counts > 1][:5].tolist()}")
    return ids


def firm_index(values: Any, n: int, ids: np.ndarray | None, what: str) -> np.ndarray:
    """Map link end points to firm indices ``0..n-1`` (through ``ids`` if given)."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise LengthMismatchError(f"{what} must be one-dimensional, got shape {arr.shape}")
    if ids is None:
        idx = _integral(arr, what, UnknownFirmError)
        bad = (idx < 0) | (idx >= n)
        if bad.any():
            raise UnknownFirmError(
                f"{what} index out of range 0..{n - 1} at links {_first(bad)}: {idx[bad][:5].tolist()}")
        return idx
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    try:
        pos = np.searchsorted(sorted_ids, arr)
    except TypeError as exc:
        raise UnknownFirmError(f"{what} values cannot be compared with firm_ids: {exc}") from None
    pos = np.clip(pos, 0, max(n - 1, 0))
    found = (sorted_ids[pos] == arr) if n else np.zeros(arr.shape, bool)
    if not np.all(found):
        raise UnknownFirmError(f"unknown {what} ids: {arr[~found][:5].tolist()}")
    return order[pos].astype(np.int64)
