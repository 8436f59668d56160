"""CSV input/output for networks and results (no pandas needed).

File formats (UTF-8, header row required except in the essentiality file):

* **edges**: ``supplier,customer,weight[,inventory_days]`` -- one row per
  link; supplier/customer are firm ids from the firms file; an empty
  ``inventory_days`` cell means unknown.
* **firms**: ``firm,industry[,region]`` -- ``industry`` is an integer code
  ``0..K-1`` or an industry label from the essentiality header; ``region``
  an integer code.
* **essentiality**: a ``K x K`` matrix of 0/1/2 (row = supplier industry,
  column = customer industry), optionally preceded by a header row of ``K``
  industry labels.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "e.csv").write_text("supplier,customer,weight\\nA,B,2.5\\n")
>>> _ = (d / "f.csv").write_text("firm,industry,region\\nA,metal,31\\nB,cars,32\\n")
>>> _ = (d / "x.csv").write_text("metal,cars\\n0,2\\n0,0\\n")
>>> net = read_network_csv(d / "e.csv", d / "f.csv", d / "x.csv")
>>> net.firm_ids.tolist(), net.industry.tolist(), net.region.tolist()
(['A', 'B'], [0, 1], [31, 32])
"""

from __future__ import annotations

import csv
import gzip
import io as _io
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np


from .errors import NetworkInputError
from .network import SupplyNetwork

__all__ = [
    "read_network_csv",
    "read_essentiality_csv",
    "read_wiod",
    "write_esri_csv",
    "write_simulation_csv",
]

PathLike = str | Path


def _open(path: PathLike):
    p = Path(path)
    if p.suffix == ".gz":
        return _io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8", newline="")
    return open(p, encoding="utf-8-sig", newline="")


def _columns(path: PathLike, required: Iterable[str]) -> dict[str, list[str]]:
    with _open(path) as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise NetworkInputError(f"{path}: empty file") from None
        missing = [c for c in required if c not in header]
        if missing:
            raise NetworkInputError(f"{path}: missing columns {missing} (has {header})")
        rows = list(reader)
    cols = {h: [r[i].strip() if i < len(r) else "" for r in rows] for i, h in enumerate(header)}
    return cols


def read_essentiality_csv(path: PathLike) -> tuple[np.ndarray, list[str] | None]:
    """Read a ``K x K`` essentiality matrix and its optional header labels."""
    with _open(path) as fh:
        rows = [r for r in csv.reader(fh) if r]
    labels = None
    try:
        float(rows[0][0])
    except (ValueError, IndexError):
        labels = [x.strip() for x in rows[0]]
        rows = rows[1:]
    try:
        mat = np.array([[float(x) for x in r] for r in rows])
    except ValueError as exc:
        raise NetworkInputError(f"{path}: essentiality values must be numbers: {exc}") from None
    return mat, labels


def _industry_codes(values: list[str], labels: list[str] | None) -> np.ndarray:
    if labels is not None and any(not v.lstrip("-").isdigit() for v in values if v):
        index = {lab: i for i, lab in enumerate(labels)}
        unknown = sorted({v for v in values if v and v not in index})
        if unknown:
            raise NetworkInputError(f"industries not in the essentiality header: {unknown[:5]}")
        return np.array([index.get(v, np.nan) for v in values], dtype=float)
    return np.array([float(v) if v else np.nan for v in values])


def read_network_csv(edges: PathLike, firms: PathLike, essentiality: PathLike) -> SupplyNetwork:
    """Build a :class:`SupplyNetwork` from the three CSV files (module docstring)."""
    f = _columns(firms, ["firm", "industry"])
    ess, labels = read_essentiality_csv(essentiality)
    industry = _industry_codes(f["industry"], labels)
    region = None
    if "region" in f:
        region = np.array([float(v) if v else np.nan for v in f["region"]])
    e = _columns(edges, ["supplier", "customer", "weight"])
    try:
        weight = np.array([float(v) for v in e["weight"]])
    except ValueError as exc:
        raise NetworkInputError(f"{edges}: weight must be numeric: {exc}") from None
    inv = None
    if "inventory_days" in e:
        inv = np.array([float(v) if v else np.nan for v in e["inventory_days"]])
    return SupplyNetwork.from_edges(
        np.array(e["supplier"], dtype=object), np.array(e["customer"], dtype=object), weight,
        industry, ess, firm_ids=np.array(f["firm"], dtype=object), region=region,
        inventory_days=inv, industry_labels=labels,
    )


def read_wiod(inter_matrix: PathLike, final_output: PathLike | None = None,
              essential: Any = "linear", threshold: float = 0.1):
    """Load a WIOD-style table (labels ``CHN_c14``) as a network of country-sectors.

    Parameters
    ----------
    inter_matrix : path
        CSV (optionally ``.gz``): header ``row,<labels>``, one row per
        supplier with its label first; ``matrix[i, j]`` = flow from i to j.
    final_output : path, optional
        CSV of final demand (same row labels, any number of columns); the
        row sums give each node's final demand.
    essential, threshold
        Passed to :meth:`SupplyNetwork.from_io_table`.

    Returns
    -------
    network : SupplyNetwork
        Industries are the sectors (``c1..c35``), regions the countries.
    output : ndarray or None
        Gross output per node (intermediate sales + final demand) if
        ``final_output`` is given.
    """
    with _open(inter_matrix) as fh:
        reader = csv.reader(fh)
        labels = next(reader)[1:]
        rows = [r for r in reader]
    if [r[0] for r in rows] != labels:
        raise NetworkInputError("row labels of the input-output matrix differ from its columns")
    z = np.array([[float(x) for x in r[1:]] for r in rows])
    z[z < 0] = 0.0  # WIOD has a few tiny negative cells (statistical discrepancies)
    region = [lab.split("_", 1)[0] for lab in labels]
    sector = [lab.split("_", 1)[1] if "_" in lab else lab for lab in labels]
    order = sorted(set(sector), key=lambda s: (len(s), s))
    sector_code = [order.index(s) for s in sector]
    net = SupplyNetwork.from_io_table(z, sector=sector_code, region=region, labels=labels,
                                      essential=essential, threshold=threshold)
    net = _relabel_industries(net, order)
    output = None
    if final_output is not None:
        with _open(final_output) as fh:
            reader = csv.reader(fh)
            next(reader)
            fd = {r[0]: sum(max(float(x), 0.0) for x in r[1:]) for r in reader}
        output = net.s_out + np.array([fd.get(lab, 0.0) for lab in labels])
    return net, output


def _relabel_industries(net: SupplyNetwork, names: list[str]) -> SupplyNetwork:
    from dataclasses import replace

    return replace(net, industry_labels=tuple(names))


def _as_is(row: tuple) -> tuple:
    return row


def _write(path: PathLike, header: list[str], columns: list[Any], cells: Callable[[tuple], Any] = _as_is) -> None:
    """A CSV file; ``cells`` may rewrite each row (the platform passes its formula neutraliser)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(cells(row) for row in zip(*columns))


def write_esri_csv(path: PathLike, network: SupplyNetwork, result: Any, *,
                   cells: Callable[[tuple], Any] = _as_is) -> None:
    """Write ``firm,esri,downstream,upstream,iterations`` (one row per scenario); ``cells`` rewrites each row."""
    firms = result.firms if result.firms is not None else np.arange(len(result))
    ids = network.firm_ids[firms] if network.firm_ids is not None else firms
    _write(path, ["firm", "esri", "downstream", "upstream", "iterations"],
           [ids.tolist(), result.esri.tolist(), result.downstream.tolist(),
            result.upstream.tolist(), result.iterations.tolist()], cells)


def write_simulation_csv(prefix: PathLike, network: SupplyNetwork, result: Any, *,
                         cells: Callable[[tuple], Any] = _as_is) -> list[Path]:
    """Write ``<prefix>_daily.csv`` (national and per-region series) and ``<prefix>_firms.csv``."""
    prefix = Path(prefix)
    daily = prefix.with_name(prefix.name + "_daily.csv")
    firms_path = prefix.with_name(prefix.name + "_firms.csv")
    days = np.arange(result.production.shape[0])
    reg_cols = [f"production_region_{c}" for c in result.region_codes]
    _write(daily, ["day", "production", "value_added", *reg_cols],
           [days.tolist(), result.production.tolist(), result.value_added.tolist(),
            *[result.production_by_region[:, i].tolist() for i in range(len(reg_cols))]], cells)
    ids = network.firm_ids if network.firm_ids is not None else np.arange(network.n_firms)
    _write(firms_path, ["firm", "baseline_output", "first_below_90", "first_below_50",
                        "min_level", "total_loss", "limiting_industry", "days_input_bound"],
           [ids.tolist(), result.baseline_output.tolist(), result.first_below_90.tolist(),
            result.first_below_50.tolist(), result.min_level.tolist(), result.total_loss.tolist(),
            result.limiting_industry.tolist(), result.days_input_bound.tolist()], cells)
    return [daily, firms_path]
