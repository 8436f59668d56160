"""The raw floor into the real ``supply_link`` table (its foreign keys and check constraints) of a copy of an
``import_links.py`` workdir's registry: the rows ``import_links.py``'s floor writes, by ``sqlite3.executemany`` and
by psycopg ``COPY``; CPU of this process, plus the server backend's on PostgreSQL.

    python benchmarks/import_real_floor.py WORKDIR POSTGRES_SERVER_URL RUNS

The workdir needs ``registry.db`` and the PostgreSQL registry (run ``import_links.py`` there first, with and
without ``--postgres``).
"""

import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import import_links as il

from chainkeeper.db import make_engine

COLUMNS = "supplier_id, customer_id, product_id, annual_value, lead_time_days, inventory_days, essential"


def sqlite_floor(work: Path, rows: list[tuple]) -> None:
    db = work / f"real-floor-{os.getpid()}.db"
    shutil.copyfile(work / "registry.db", db)
    connection = sqlite3.connect(db)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    wall, cpu = time.perf_counter(), time.process_time()
    with connection:
        connection.executemany(f"INSERT INTO supply_link ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    print(f"sqlite3 executemany into supply_link: wall {time.perf_counter() - wall:.2f} s, "
          f"CPU {time.process_time() - cpu:.2f} s", flush=True)
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def postgres_floor(work: Path, rows: list[tuple], server: str) -> None:
    name = il.pg_copy(server, il.pg_template_name(work), "realfloor")
    engine = make_engine(il.pg_url(server, name))
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        raw.commit()
        pid = raw.info.backend_pid
        wall, cpu, server_cpu = time.perf_counter(), time.process_time(), il.process_cpu(pid)
        with raw.cursor() as cursor, cursor.copy(f"COPY supply_link ({COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
        print(f"psycopg COPY into supply_link: wall {time.perf_counter() - wall:.2f} s, CPU client "
              f"{time.process_time() - cpu:.2f} s + backend {il.process_cpu(pid) - server_cpu:.2f} s", flush=True)
    engine.dispose()
    il.pg_admin(server, f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> None:
    work, server, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rows = il.parsed_rows(work)
    for _ in range(runs):
        sqlite_floor(work, rows)
        postgres_floor(work, rows, server)


if __name__ == "__main__":
    main()
