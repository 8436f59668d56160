"""Test databases: every test that takes ``engine`` runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``CHAINKEEPER_TEST_POSTGRES_URL`` (a server URL whose user may create databases); each test
run creates its own database and drops it at the end. Without the variable the PostgreSQL half is skipped, unless
``CHAINKEEPER_REQUIRE_POSTGRES=1`` (as in CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, delete
from sqlalchemy.engine import make_url
from db_templates import drop_database, migrated_postgres, migrated_sqlite

from chainkeeper import models  # noqa: F401
from chainkeeper.db import Base, make_engine

# The cheapest argon2id the settings allow, for this process and every server or CLI it starts (they inherit the
# environment): the production cost (3 passes over 64 MiB, tests/auth/test_password_cost.py) takes ~0.3 s per hash
# or login here, and the suite creates thousands of users. Hashes stay real argon2id: a wrong password still fails.
TEST_PASSWORD_COST = {"CHAINKEEPER_PASSWORD_HASH_TIME_COST": "1", "CHAINKEEPER_PASSWORD_HASH_MEMORY_KIB": "64",
                      "CHAINKEEPER_PASSWORD_HASH_PARALLELISM": "1"}
for _key, _value in TEST_PASSWORD_COST.items():
    os.environ.setdefault(_key, _value)

# No per-example wall-clock deadline for hypothesis (its default is 200 ms): on two workers sharing two cores (with
# servers and Chromium beside them) one example's wall time depends on the other worker; a property test with
# 0.23 s of CPU failed after 8.7 s of wall time. What a property test checks is its assertion, not its speed; the
# timed tests are in SERIAL_PATHS.
hypothesis_settings.register_profile("chainkeeper", deadline=None)
hypothesis_settings.load_profile("chainkeeper")

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE_TABLES = {"region", "region_group", "region_group_member", "industry", "key_chain", "key_chain_industry",
                    "alembic_version"}
APPEND_ONLY_TABLES = {"audit_event", "audit_head"}
"""Never emptied between tests (triggers refuse it): tests must not assume an empty audit log."""
BACKENDS = ("sqlite", "postgresql")


def _postgres_server_url() -> str | None:
    url = os.environ.get("CHAINKEEPER_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CHAINKEEPER_REQUIRE_POSTGRES") == "1":
        pytest.fail("CHAINKEEPER_REQUIRE_POSTGRES=1 but CHAINKEEPER_TEST_POSTGRES_URL is not set")
    return None


def _create_postgres_database(server_url: str) -> tuple[str, callable]:
    """A migrated database of its own (a copy of the run's migrated template), and how to drop it."""
    name = f"chainkeeper_test_{uuid.uuid4().hex[:12]}"
    migrated_postgres(server_url, name)
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")

    def drop() -> None:
        drop_database(admin, name)
        admin.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session", autouse=True)
def isolated_data_dir(tmp_path_factory):
    """Keys, attachments and default databases of the run go to a temporary directory, never the checkout."""
    from chainkeeper.config import get_settings

    path = tmp_path_factory.mktemp("data")
    previous = os.environ.get("CHAINKEEPER_DATA_DIR")
    os.environ["CHAINKEEPER_DATA_DIR"] = str(path)
    get_settings.cache_clear()
    yield path
    if previous is None:
        os.environ.pop("CHAINKEEPER_DATA_DIR", None)
    else:
        os.environ["CHAINKEEPER_DATA_DIR"] = previous
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def migrated_engines(tmp_path_factory):
    """One migrated engine per backend, created lazily (copies of the run's migrated templates: tests/db_templates.py)."""
    engines, cleanups = {}, []

    def get(backend: str):
        if backend not in engines:
            if backend == "sqlite":
                url = migrated_sqlite(tmp_path_factory.mktemp("db") / "test.db")
            else:
                server = _postgres_server_url()
                if server is None:
                    pytest.skip("PostgreSQL not configured (set CHAINKEEPER_TEST_POSTGRES_URL)")
                url, drop = _create_postgres_database(server)
                cleanups.append(drop)
            engine = make_engine(url)
            engines[backend] = engine
        return engines[backend]

    yield get
    for engine in engines.values():
        engine.dispose()
    for drop in cleanups:
        drop()


BULK_ROWS = 20_000
"""A PostgreSQL table holding more rows than this is emptied with TRUNCATE rather than DELETE (see clear_data)."""


def clear_data(engine) -> None:
    """Delete every row a test may have written, keeping the reference tables.

    On PostgreSQL the DELETEs go to the server as one batch (one round trip instead of one per table: 0.2 s less
    per call on the shared machine, twice per test). After a bulk test (the 38 Willems chains: 16k enterprises, 44k
    links) the DELETEs take 20–25 s, each deleted enterprise's foreign-key checks scanning the dead rows of the
    tables that point at it; when a table holds more than BULK_ROWS rows, one TRUNCATE of all the tables is used
    instead (4 s at load 25). Not always: the TRUNCATE costs 3–4 s at that load even on empty tables (new files for
    75 tables) where the DELETEs take 10–20 ms, and after one chain (2k enterprises, 16k links) the DELETEs still win
    (2.5–2.9 s against 3.3–4.0 s); the check costs ~1 ms (docs/benchmarks.md, "Test suite")."""
    tables = [table for table in reversed(Base.metadata.sorted_tables)
              if table.name not in REFERENCE_TABLES | APPEND_ONLY_TABLES]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            quote = connection.dialect.identifier_preparer.quote
            names = [quote(table.name) for table in tables]
            bulk = connection.exec_driver_sql(
                "SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {name} OFFSET {BULK_ROWS})" for name in names)
            ).scalar()
            if bulk:
                connection.exec_driver_sql(f"TRUNCATE {', '.join(names)}")
            else:
                connection.exec_driver_sql("; ".join(f"DELETE FROM {name}" for name in names))
            return
        for table in tables:
            connection.execute(delete(table))


def fresh_connections(engine) -> None:
    """SQLite: close the pooled connections, so that none carries an earlier test's unfinished read into this one.

    In WAL mode a SELECT left unfinished on a connection keeps its snapshot after the pool's rollback (Python 3.11's
    sqlite3 no longer resets statements then): the next user of that connection reads the database as it was, e.g.
    ``CREATE TRIGGER`` finds a trigger dropped since ("trigger audit_event_no_update already exists" in
    ``tests/audit/test_concurrency.py``, after the audit and notification files in another order: found by running
    the files in the order one worker of ``-n 2`` ran them; reproduced serially). Reconnecting costs ~1 ms."""
    if engine.dialect.name == "sqlite":
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request, migrated_engines):
    """A migrated database with empty registry tables, on each backend."""
    engine = migrated_engines(request.param)
    fresh_connections(engine)
    clear_data(engine)
    yield engine
    clear_data(engine)


@pytest.fixture
def sqlite_engine(migrated_engines):
    """The SQLite database only (for tests about SQLite itself or that need no second backend)."""
    engine = migrated_engines("sqlite")
    fresh_connections(engine)
    clear_data(engine)
    yield engine
    clear_data(engine)


@pytest.fixture(scope="session")
def xlsx_bomb(tmp_path_factory):
    """A 412 KB workbook holding a 400 MB string (built once per run; see tests/xlsx_bombs.py)."""
    from xlsx_bombs import string_bomb

    return string_bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx")


@pytest.fixture(scope="session")
def compiled_engine():
    """The engine's numba kernels compiled before a test times a job (tests/analysis: a run within 30 s).

    In a fresh checkout numba's cache (``__pycache__`` beside the source) is empty: the first simulation compiles
    the kernels, 10–14 s of CPU, which on a loaded machine took 107–176 s of wall time inside the timed job (serially
    as well as on two workers). A three-firm chain with both rationing rules compiles every signature an analysis
    run uses (checked against numba's cache index of a run from a cold cache); with a warm cache it only loads them."""
    from chainkeeper.network import Shock, SupplyNetwork, simulate

    chain = SupplyNetwork.from_edges([0, 1], [1, 2], [2.0, 2.0], [0, 1, 2], [[0, 2, 0], [0, 0, 2], [0, 0, 0]],
                                     inventory_days=[15.0, 10.0])
    for rationing in ("proportional", "priority"):
        simulate(chain, [Shock(cut=1.0, firms=[0], duration=5)], days=10, rationing=rationing)


SERIAL_GROUP = "servers-and-timing"
SERIAL_PATHS = ("browser/", "reliability/", "coordination/test_durability.py", "analysis/test_api.py",
                "auth/test_session_cache.py", "auth/test_throttling.py", "cli/test_demo_and_serve.py",
                "audit/test_anchor.py",
                # wall-clock limits on one call (an import within 1–10 s, a webhook timeout within 1.4 s)
                "registry/test_import_limits.py", "web/pages/test_import_limits_page.py",
                "cli/test_import_limits_cli.py", "coordination/test_letter_import_bounds.py",
                "notifications/test_webhooks.py")
"""Tests that start servers and a browser, or wait for something within a time limit (fault injection, durability,
throttling, an analysis job, an import): the suite runs on two workers (``-n 2 --dist loadgroup`` in pyproject.toml)
and these run on ONE of them, one after the other, handed out first (the session server and Chromium started once,
two of them never competing for the cores). A test that starts a server or measures time goes here.
(tests/serial_scheduling.py: xdist's own ``xdist_group`` marks are ignored with pytest 9.2, pytest-xdist#1386.)"""


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``--dist loadgroup``: SERIAL_PATHS as one unit on one worker, every other file a unit of its own."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from serial_scheduling import SerialGroupScheduling

    tests_dir = Path(__file__).parent.relative_to(config.rootpath).as_posix()
    return SerialGroupScheduling(config, log, group=SERIAL_GROUP, tests_dir=tests_dir, serial_paths=SERIAL_PATHS)
