"""Benchmark: import 1,000,000 supply links from CSV into SQLite, against a raw-sqlite3 floor in the same run.

    python benchmarks/import_links.py --firms 450000 --links 1000000 --runs 3 [--before /tmp/before/src]

Each run's import happens in a fresh process; the peak resident memory of the links step alone is read from
``VmHWM`` after resetting it (``/proc/self/clear_refs``, Linux) once enterprises and products are in, and its CPU
time from the process's own counter (meaningful on a shared machine, where wall times are not). With ``--before``
another checkout's ``src`` is measured the same way, alternating with this code run by run (each run's order is
reversed from the last), on the same files and against the same run's floor.

Generates the demo economy (``chainkeeper demo --firms N``), writes its enterprises and the first ``--links`` links
as CSV, imports products and enterprises once into a migrated SQLite database (kept in the workdir as
``registry.db``), then per run: a fresh copy of that database and the timed step — ``import_file(engine,
"links", links.csv)``: read, detect encoding, validate every row, write in one transaction. ``--short`` (20,000
firms, 40,000 links) runs in well under a minute for CI. The baseline inserts the same rows, already parsed to
ids, with plain ``sqlite3.executemany`` into a table with the same indexes: the floor any importer on this machine
pays (wall and CPU time of the ``executemany``). Ratios are printed for both.

``--postgres SERVER_URL`` (e.g. ``postgresql+psycopg://chainkeeper:chainkeeper@127.0.0.1:5432/postgres``) runs the
same on PostgreSQL: the registry is built once as a database named after the workdir (``ck_import_<workdir>``),
each run imports into a copy of it (``CREATE DATABASE ... TEMPLATE``), and the floor is psycopg's ``COPY`` of the
same parsed rows into a table with the same indexes in that copy (the fastest raw way in; the importer writes
with ``COPY`` too). CPU there is the client process's plus that of the server backends of the run's database
(``/proc/<pid>/stat``; the server runs on this machine).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
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


def isolated_import(workdir: Path, run: int, src: Path | None = None, url: str | None = None
                    ) -> tuple[float, float, int, float]:
    """:func:`timed_import` in a fresh process (so one run's memory does not flatter or burden the next), with
    ``src`` (another checkout's code) first on its path when given."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
    command = [sys.executable, __file__, "--workdir", str(workdir), "--child", str(run)]
    child = subprocess.run(command + (["--postgres", url] if url else []), env=env, check=True,
                           capture_output=True, text=True)
    return tuple(json.loads(child.stdout.splitlines()[-1]))


def registry_template(workdir: Path) -> float:
    """The migrated database with the products and enterprises imported, built once per workdir (and reused, so
    that each run times only the links on a copy of the same registry); returns the seconds it took (0 if reused)."""
    template = workdir / "registry.db"
    if template.exists():
        return 0.0
    building = workdir / f"registry-{os.getpid()}.db"
    engine = make_engine(f"sqlite:///{building}")
    upgrade(engine)
    start = time.perf_counter()
    for kind in ("products", "enterprises"):
        assert import_file(engine, kind, workdir / f"{kind}.csv").written
    elapsed = time.perf_counter() - start
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    building.rename(template)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    return elapsed


def timed_import(workdir: Path, run: int, server: str | None = None) -> tuple[float, float, int, float]:
    """One run on a copy of the registry: seconds for copying it, seconds for links, peak RSS and CPU seconds of
    the links step (the CPU time stays meaningful on a machine shared with other work; on PostgreSQL the server
    backends' CPU is added)."""
    start = time.perf_counter()
    if server:
        name = pg_copy(server, pg_template_name(workdir), f"run{run}")
        url = pg_url(server, name)
    else:
        db = workdir / f"run{run}-{os.getpid()}.db"  # two checkouts may share the workdir
        shutil.copyfile(workdir / "registry.db", db)
        url = f"sqlite:///{db}"
    engine = make_engine(url)
    peak_rss(reset=True)
    middle, cpu = time.perf_counter(), time.process_time()
    report = import_file(engine, "links", workdir / "links.csv")
    end, cpu = time.perf_counter(), time.process_time() - cpu
    peak = peak_rss()
    assert report.written and report.created == report.rows, report.issues[:3]
    if server:
        cpu += backends_cpu(engine)  # the pool's connections are still open: their backends' whole CPU
    engine.dispose()
    if server:
        pg_admin(server, f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return middle - start, end - middle, peak, cpu


def pg_url(server: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server``."""
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


def pg_admin(server: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE / DROP DATABASE)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        admin.dispose()


def pg_template_name(workdir: Path) -> str:
    """The PostgreSQL registry database of a workdir."""
    return "ck_import_" + "".join(ch if ch.isalnum() else "_" for ch in workdir.resolve().name)[:40]


def pg_copy(server: str, template: str, label: str) -> str:
    """A copy of the registry database for one run; its name."""
    name = f"{template}_{label}_{os.getpid()}"[:63]
    pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def pg_registry(workdir: Path, server: str) -> float:
    """:func:`registry_template` on PostgreSQL: a database of its own, built once per workdir (a marker file
    in the workdir says it is complete); seconds it took (0 if reused)."""
    name, marker = pg_template_name(workdir), workdir / "registry-postgres.txt"
    if marker.exists() and marker.read_text() == name:
        return 0.0
    pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url(server, name))
    upgrade(engine)
    start = time.perf_counter()
    for kind in ("products", "enterprises"):
        assert import_file(engine, kind, workdir / f"{kind}.csv").written
    elapsed = time.perf_counter() - start
    engine.dispose()
    marker.write_text(name)
    return elapsed


def process_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) used so far by process ``pid`` (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends_cpu(engine) -> float:
    """CPU seconds of the server backends connected to ``engine``'s database (the pool hands the import's own
    connection to this question; the question itself costs next to nothing)."""
    with engine.connect() as connection:
        pids = connection.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                          ).scalars().all()
    return sum(process_cpu(pid) for pid in pids)


def pg_baseline(workdir: Path, run: int, server: str) -> tuple[float, float]:
    """Plain psycopg on PostgreSQL: the same rows as :func:`baseline` by ``COPY`` into an indexed table of a
    fresh database on the same server; seconds of wall and of CPU time (this process and its backend)."""
    rows = parsed_rows(workdir)
    name = f"{pg_template_name(workdir)}_floor{run}_{os.getpid()}"[:63]
    pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url(server, name))
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.execute("CREATE TABLE link (id BIGSERIAL PRIMARY KEY, s BIGINT, c BIGINT, p BIGINT, v DOUBLE PRECISION,"
                    " lt DOUBLE PRECISION, inv DOUBLE PRECISION, e BOOLEAN);"
                    " CREATE UNIQUE INDEX k ON link (s, c, coalesce(p, 0)); CREATE INDEX ci ON link (c)")
        raw.commit()
        backend = raw.info.backend_pid
        start, cpu, server_cpu = time.perf_counter(), time.process_time(), process_cpu(backend)
        with raw.cursor() as cursor, cursor.copy("COPY link (s, c, p, v, lt, inv, e) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu + process_cpu(backend) - server_cpu
    engine.dispose()
    pg_admin(server, f'DROP DATABASE "{name}" WITH (FORCE)')
    return elapsed, cpu


def parsed_rows(workdir: Path) -> list[tuple]:
    """The link rows already mapped to integer ids (as the floor writes them)."""
    with (workdir / "enterprises.csv").open(encoding="utf-8") as handle:
        ids = {row[0]: i for i, row in enumerate(islice(csv.reader(handle), 1, None), start=1)}
    products: dict[str, int] = {}
    with (workdir / "links.csv").open(encoding="utf-8") as handle:
        rows = [(ids[r[0]], ids[r[1]], products.setdefault(r[2], len(products) + 1) if r[2] else None,
                 float(r[3]), float(r[4] or 0), float(r[5] or 0), r[6] == "1")
                for r in islice(csv.reader(handle), 1, None)]
    return rows


def baseline(workdir: Path, run: int) -> tuple[float, float]:
    """Plain sqlite3: the same link rows, already mapped to integer ids, into an indexed table; seconds of wall
    and of CPU time."""
    rows = parsed_rows(workdir)
    db = workdir / f"baseline{run}-{os.getpid()}.db"
    connection = sqlite3.connect(db)
    connection.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        "CREATE TABLE link (id INTEGER PRIMARY KEY, s INTEGER, c INTEGER, p INTEGER, v REAL, lt REAL, inv REAL,"
        " e BOOLEAN); CREATE UNIQUE INDEX k ON link (s, c, coalesce(p, 0)); CREATE INDEX ci ON link (c);"
    )
    start, cpu = time.perf_counter(), time.process_time()
    with connection:
        connection.executemany("INSERT INTO link (s, c, p, v, lt, inv, e) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return elapsed, cpu


def summary(label: str, results: list[tuple], floors: list[tuple], count: int) -> str:
    """Medians of one code's runs, and their ratios to the floor of the same runs (wall and CPU)."""
    firms, walls, peaks, cpus = (list(column) for column in zip(*results))
    floor_wall, floor_cpu = (statistics.median(column) for column in zip(*floors))
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    per_wall = ", ".join(f"{x / y[0]:.1f}" for x, y in zip(walls, floors))
    per_cpu = ", ".join(f"{x / y[1]:.1f}" for x, y in zip(cpus, floors))
    return (f"{label}: import links {wall:.2f} s wall ({count / wall:,.0f} links/s), {cpu:.2f} s CPU; ratio to the "
            f"floor {wall / floor_wall:.1f}x wall (per run {per_wall}), {cpu / floor_cpu:.1f}x CPU "
            f"(per run {per_cpu}); "
            f"registry copy {statistics.median(firms):.1f} s; peak RSS of the links step "
            f"{statistics.median(peaks) / 2**20:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=600_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", type=Path, help="keep the generated CSV files here and reuse them if present "
                                                     "(to measure two checkouts on the same files)")
    parser.add_argument("--short", action="store_true", help="20,000 firms, 40,000 links, 3 runs (for CI: ratios)")
    parser.add_argument("--before", type=Path, help="another checkout's src (e.g. git archive main src | tar -x -C "
                                                    "DIR; give DIR/src): measured too, alternating run by run")
    parser.add_argument("--postgres", metavar="SERVER_URL", help="run on PostgreSQL (a database per run on this "
                                                                   "server; the floor by COPY)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(timed_import(args.workdir, args.child, args.postgres)))
        return
    if args.short:
        args.firms, args.links, args.runs = 20_000, 40_000, 3
    codes = ([("before", args.before)] if args.before else []) + [("this code", None)]
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
        built = pg_registry(workdir, args.postgres) if args.postgres else registry_template(workdir)
        print(f"registry of products and enterprises: {'built in %.1f s' % built if built else 'reused'}",
              flush=True)
        results: dict[str, list] = {label: [] for label, _ in codes}
        floors = []
        for run in range(args.runs):
            order = codes if run % 2 == 0 else codes[::-1]  # alternating: neither code always runs first
            for label, src in order:
                firms_s, links_s, peak, cpu = result = isolated_import(workdir, run, src, args.postgres)
                results[label].append(result)
                print(f"run {run + 1}, {label}: registry copied in {firms_s:.1f} s, links {links_s:.2f} s "
                      f"({cpu:.2f} s CPU, peak RSS {peak / 2**20:,.0f} MB)", flush=True)
            floors.append(pg_baseline(workdir, run, args.postgres) if args.postgres else baseline(workdir, run))
            print(f"run {run + 1}: raw {'psycopg COPY' if args.postgres else 'sqlite3'} floor {floors[-1][0]:.2f} s ({floors[-1][1]:.2f} s CPU); load average "
                  f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}" + (", PostgreSQL (floor: psycopg COPY)" if args.postgres else ""))
    print(f"median of {args.runs}: raw floor {statistics.median(f[0] for f in floors):.2f} s wall, "
          f"{statistics.median(f[1] for f in floors):.2f} s CPU")
    for label, _ in codes:
        print(summary(label, results[label], floors, count))


if __name__ == "__main__":
    main()
