"""Benchmark: ESRI of all 1,435 country-sectors of the WIOD 2011 world input-output table.

Usage:  PYTHONPATH=src python benchmarks/network_wiod.py [--dir tests/fixtures/wiod2013] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from chainkeeper.network import esri
from chainkeeper.network.io import read_wiod


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, default=Path("tests/fixtures/wiod2013"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    t = time.perf_counter()
    net, output = read_wiod(a.dir / "wiot2011_inter_matrix.csv.gz", a.dir / "wiot2011_final_output.csv.gz")
    print(f"loaded {net.n_firms} country-sectors, {net.n_links:,} links in {time.perf_counter() - t:.2f} s")
    for rule in ("linear", "threshold"):
        if rule != "linear":
            net, _ = read_wiod(a.dir / "wiot2011_inter_matrix.csv.gz", essential=rule, threshold=0.1)
        for engine in ("frontier", "sparse"):
            times = []
            for _ in range(a.runs):
                t = time.perf_counter()
                r = esri(net, engine=engine)
                times.append(time.perf_counter() - t)
            top = ", ".join(f"{net.firm_ids[i]} {r.esri[i]:.3f}" for i in r.top(5))
            print(f"essentiality={rule} engine={engine}: all {net.n_firms} scores in "
                  f"{statistics.median(times):.2f} s (median of {a.runs}); top 5: {top}")
    _ = np.asarray(output)


if __name__ == "__main__":
    main()
