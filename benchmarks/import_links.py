"""Benchmark: import 1,000,000 supply links from CSV into SQLite, against a raw-sqlite3 floor in the same run.

    python benchmarks/import_links.py --firms 600000 --links 1000000 --runs 3

Each run's import happens in a fresh process; the peak resident memory of the links step alone is read from
``VmHWM`` after resetting it (``/proc/self/clear_refs``, Linux) once enterprises and products are in. Run it with
another checkout's ``src`` first on ``PYTHONPATH`` to measure that code the same way.

Generates the demo economy (``chainkeeper demo --firms N``), writes its enterprises and the first ``--links`` links
as CSV, then per run: a fresh SQLite database, migrations, products and enterprises imported (timed apart), and the
timed step — ``import_file(engine, "links", links.csv)``: read, detect encoding, validate every row, write in one
transaction. ``--short`` (20,000 firms, 40,000 links) runs in well under a minute for CI. The baseline inserts the same rows, already parsed to ids, with plain ``sqlite3.executemany`` into a
table with the same indexes: the floor any importer on this machine pays.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from itertools import islice
from pathlib import Path

from chainkeeper.db import make_engine, upgrade
from chainkeeper.demo.generator import LINK_COLUMNS, generate_economy
from chainkeeper.registry.importing import import_file


def write_csv(path: Path, columns: dict[str, list], limit: int | None = None) -> int:
    """Write columnar data as CSV; returns the number of rows written."""
    rows = islice(zip(*columns.values()), limit)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns.keys())
        count = 0
        for count, row in enumerate(rows, start=1):
            writer.writerow(row)
    return count


def prepare(workdir: Path, firms: int, links: int, seed: int) -> int:
    """Generate the economy and write products, enterprises and links CSV files."""
    economy = generate_economy(firms, seed=seed)
    write_csv(workdir / "products.csv", economy.products)
    write_csv(workdir / "enterprises.csv", economy.enterprises)
    written = write_csv(workdir / "links.csv", {k: economy.links[k] for k in LINK_COLUMNS}, links)
    if written < links:
        raise SystemExit(f"only {written} links for {firms} firms; raise --firms")
    return written


def peak_rss(reset: bool = False) -> int:
    """This process's peak resident memory in bytes (VmHWM); ``reset`` starts a new peak (Linux ≥ 4.0)."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
        return 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _measured_run(workdir: Path, run: int, queue) -> None:
    queue.put(timed_import(workdir, run))


def isolated_import(workdir: Path, run: int) -> tuple[float, float, int, float]:
    """:func:`timed_import` in a fresh process (so one run's memory does not flatter or burden the next)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_measured_run, args=(workdir, run, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def timed_import(workdir: Path, run: int) -> tuple[float, float, int, float]:
    """One run: seconds for enterprises + products, seconds for links, peak RSS and CPU seconds of the links step
    (the CPU time stays meaningful on a machine shared with other work)."""
    db = workdir / f"run{run}-{os.getpid()}.db"  # two checkouts may share the workdir
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    start = time.perf_counter()
    for kind in ("products", "enterprises"):
        assert import_file(engine, kind, workdir / f"{kind}.csv").written
    peak_rss(reset=True)
    middle, cpu = time.perf_counter(), time.process_time()
    report = import_file(engine, "links", workdir / "links.csv")
    end, cpu = time.perf_counter(), time.process_time() - cpu
    peak = peak_rss()
    assert report.written and report.created == report.rows, report.issues[:3]
    engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return middle - start, end - middle, peak, cpu


def baseline(workdir: Path, run: int) -> float:
    """Plain sqlite3: the same link rows, already mapped to integer ids, into an indexed table."""
    with (workdir / "enterprises.csv").open(encoding="utf-8") as handle:
        ids = {row[0]: i for i, row in enumerate(islice(csv.reader(handle), 1, None), start=1)}
    products: dict[str, int] = {}
    with (workdir / "links.csv").open(encoding="utf-8") as handle:
        rows = [(ids[r[0]], ids[r[1]], products.setdefault(r[2], len(products) + 1) if r[2] else None,
                 float(r[3]), float(r[4] or 0), float(r[5] or 0), r[6] == "1")
                for r in islice(csv.reader(handle), 1, None)]
    db = workdir / f"baseline{run}-{os.getpid()}.db"
    connection = sqlite3.connect(db)
    connection.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE link (id INTEGER PRIMARY KEY, s INTEGER, c INTEGER, p INTEGER, v REAL, lt REAL, inv REAL,"
        " e BOOLEAN); CREATE UNIQUE INDEX k ON link (s, c, coalesce(p, 0)); CREATE INDEX ci ON link (c);"
    )
    start = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO link (s, c, p, v, lt, inv, e) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - start
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=600_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, help="keep the generated CSV files here and reuse them if present "
                                                     "(to measure two checkouts on the same files)")
    parser.add_argument("--short", action="store_true", help="20,000 firms, 40,000 links, 3 runs (for CI: ratios)")
    args = parser.parse_args()
    if args.short:
        args.firms, args.links, args.runs = 20_000, 40_000, 3
    with tempfile.TemporaryDirectory(prefix="ck-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        if args.workdir and (workdir / "links.csv").exists():
            count = sum(1 for _ in (workdir / "links.csv").open(encoding="utf-8")) - 1
            print(f"reusing {count:,} links in {workdir}")
        else:
            count = prepare(workdir, args.firms, args.links, args.seed)
            print(f"generated {args.firms:,} firms and wrote {count:,} links in {time.perf_counter() - start:.1f} s")
        firms_times, link_times, base_times, peaks, cpus = [], [], [], [], []
        for run in range(args.runs):
            firms_s, links_s, peak, cpu = isolated_import(workdir, run)
            base_s = baseline(workdir, run)
            firms_times.append(firms_s), link_times.append(links_s), base_times.append(base_s), peaks.append(peak)
            cpus.append(cpu)
            print(f"run {run + 1}: enterprises+products {firms_s:.1f} s, links {links_s:.1f} s "
                  f"({cpu:.1f} s CPU, peak RSS {peak / 2**20:,.0f} MB), raw sqlite3 floor {base_s:.1f} s", flush=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}")
    print(f"median of {args.runs}: import links {statistics.median(link_times):.1f} s "
          f"({count / statistics.median(link_times):,.0f} links/s), enterprises+products "
          f"{statistics.median(firms_times):.1f} s, raw floor {statistics.median(base_times):.2f} s, ratio "
          f"{statistics.median(link_times) / statistics.median(base_times):.1f}x (per run "
          f"{', '.join(f'{x / y:.1f}' for x, y in zip(link_times, base_times))}); peak RSS of the "
          f"links step {statistics.median(peaks) / 2**20:,.0f} MB, its CPU time {statistics.median(cpus):.1f} s")


if __name__ == "__main__":
    main()
