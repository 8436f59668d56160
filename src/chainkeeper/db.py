"""Database engine, sessions, the unit of work, and migrations.

SQLite (the embedded default) runs in WAL mode with foreign keys on; PostgreSQL is the production database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import hashlib

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, DateTime, Engine, Table, TypeDecorator, bindparam, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from chainkeeper.core import data_epoch
from chainkeeper.datadir import private_dir, private_file
from chainkeeper.db_reads import ROWS_BY_NAME, ping_when_idle


class Base(DeclarativeBase):
    """Declarative base of every ORM model."""


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


WAL_AUTOCHECKPOINT_PAGES = 1000
"""SQLite checkpoints the WAL into the database once it holds this many pages (about 4 MB)."""
WAL_SIZE_LIMIT = 16 * 1024 * 1024
"""After a checkpoint SQLite truncates the WAL back to at most this many bytes (a big import may grow it meanwhile)."""


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every SQLite test
        dbapi_connection.isolation_level = None  # transactions are begun by _on_begin, not by the driver
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")  # the WAL shrinks back after a checkpoint
        cursor.execute("PRAGMA cache_size=-131072")  # 128 MiB page cache: bulk imports touch large indexes
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # pragma: no cover - exercised by every SQLite test
        mode = "IMMEDIATE" if connection.get_execution_options().get("sqlite_immediate") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def _private_sqlite_files(engine: Engine, path: Path) -> None:
    """The database file 0600 from its first connection (SQLite gives its WAL and shm files the same mode)."""

    @event.listens_for(engine, "connect")
    def _restrict(_dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every SQLite test
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            private_file(file)


def make_engine(url: str, *, pool_size: int | None = None, max_overflow: int | None = None) -> Engine:
    """An engine for ``url``; creates the SQLite file's directory when needed.

    PostgreSQL: the pool keeps ``pool_size`` connections open once opened (default: the setting ``db_pool_size``)
    and opens at most ``max_overflow`` more (``db_max_overflow``) for a burst beyond them. Every connection above
    the kept ones is closed when it is given back, and the next one costs PostgreSQL a new backend process and a
    SCRAM login (about as much CPU as a desk request itself): with SQLAlchemy's default pool (5 + 10) a worker
    serving 10 requests at once did that several times a second (docs/benchmarks.md, lane ``deskpool``). The pool
    hands out the most recently used connection first (LIFO), so a quiet server keeps using the same few, and only
    a real burst opens more.
    """
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            private_dir(Path(path).parent)
        engine = create_engine(url, pool_size=10, max_overflow=30, execution_options=ROWS_BY_NAME)
        _configure_sqlite(engine)
        data_epoch.watch(engine)
        if path and path != ":memory:":
            _private_sqlite_files(engine, Path(path))
        return engine
    if pool_size is None or max_overflow is None:
        from chainkeeper.config import get_settings

        settings = get_settings()
        pool_size = settings.db_pool_size if pool_size is None else pool_size
        max_overflow = settings.db_max_overflow if max_overflow is None else max_overflow
    engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_use_lifo=True,
                           execution_options=ROWS_BY_NAME)
    ping_when_idle(engine)  # not before every checkout (a round trip per request, db_reads.py)
    data_epoch.watch(engine)  # every committed write ends the kept pages and answers
    return engine


def bulk_insert(connection: Connection, table: Table, rows: list[dict] | list[tuple], batch: int = 50_000, *,
                columns: Sequence[str] | None = None) -> None:
    """Insert many plain rows fast: the driver's own executemany (SQLite) or COPY (PostgreSQL).

    Values must already be what the driver takes (str, int, float, bool, None, datetime). With ``columns``, each row
    is a tuple of values in that order (nothing is converted per row); otherwise a dict by column name.
    """
    if not rows:
        return
    data_epoch.wrote(connection)  # the driver's own cursor: SQLAlchemy does not see these statements
    given = columns is not None
    columns = list(columns) if given else list(rows[0])

    def tuples(part: list) -> list:
        return part if given else [tuple(r[c] for c in columns) for r in part]

    dialect = connection.dialect.name
    if dialect == "sqlite":
        sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        cursor = connection.connection.driver_connection.cursor()
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, tuples(rows[start:start + batch]))
        cursor.close()
    elif dialect == "postgresql":
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for start in range(0, len(rows), batch):
                for row in tuples(rows[start:start + batch]):
                    copy.write_row(row)
    else:  # pragma: no cover - other databases take the portable path
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            connection.execute(table.insert(), part if isinstance(part[0], dict) else
                               [dict(zip(columns, row)) for row in part])


def bulk_update(connection: Connection, table: Table, rows: list[dict], batch: int = 50_000) -> None:
    """Update many rows by their ``id``: each row holds ``id`` and the new values of the same columns."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"]
    if connection.dialect.name == "sqlite":
        data_epoch.wrote(connection)  # the driver's own cursor: SQLAlchemy does not see these statements
        sql = f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"
        cursor = connection.connection.driver_connection.cursor()
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [tuple(r[c] for c in columns) + (r["id"],) for r in rows[start:start + batch]])
        cursor.close()
        return
    statement = table.update().where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
    for start in range(0, len(rows), batch):
        connection.execute(statement, [{**r, "_id": r["id"]} for r in rows[start:start + batch]])


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; sessions never expire objects on commit.

    Made once per engine: a ``sessionmaker`` defines a new ``Session`` subclass, whose event set-up cost more than
    the rest of a small request's session work when it was made per request."""
    factory = engine.__dict__.get("_chainkeeper_sessions")  # kept on the engine: goes with it (no global registry)
    if factory is None:
        factory = engine.__dict__["_chainkeeper_sessions"] = sessionmaker(engine, expire_on_commit=False)
    return factory


def _immediate(engine: Engine) -> Engine:
    """``engine`` with SQLite's write lock taken at ``BEGIN`` (one option engine per engine, not one per call)."""
    found = engine.__dict__.get("_chainkeeper_immediate")
    if found is None:
        found = engine.__dict__["_chainkeeper_immediate"] = engine.execution_options(sqlite_immediate=True)
    return found


@contextmanager
def unit_of_work(engine: Engine, *, immediate: bool = False, exclusive: str | None = None) -> Iterator[Session]:
    """One transaction: commits when the block ends normally, rolls back on any error.

    ``immediate`` takes SQLite's write lock at the start (``BEGIN IMMEDIATE``): use it when the transaction will
    write, so that it waits its turn (busy timeout) instead of failing when another writer got there first.
    ``exclusive`` names a kind of work (e.g. ``"import"``) of which only one transaction runs at a time: on SQLite
    the write lock does that; on PostgreSQL a transaction-level advisory lock makes the second one wait its turn.
    """
    if immediate or exclusive:
        engine = _immediate(engine)
    with session_factory(engine)() as session:
        try:
            if exclusive and engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(exclusive)})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _lock_key(name: str) -> int:
    """A stable 63-bit advisory-lock key for ``name`` (the same in every process)."""
    return int.from_bytes(hashlib.sha256(f"chainkeeper:{name}".encode()).digest()[:8], "big") >> 1


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the WAL into the database and truncate it to zero bytes (no-op on other databases).

    Run periodically (the desk's clock does) and after a disk-full error, so the WAL never keeps disk space it no
    longer needs; a reader holding an old snapshot only makes the checkpoint partial, never blocks it.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("chainkeeper") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every pending migration (up to ``revision``) to the database behind ``engine``."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations until the database is at ``revision`` (``base`` undoes all of them)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def configured_engine(*, migrate: bool = True) -> Engine:
    """The engine of the configured database (``CHAINKEEPER_DATABASE_URL`` or SQLite in the data dir), migrated."""
    from chainkeeper.config import get_settings

    engine = make_engine(get_settings().resolved_database_url)
    if migrate:
        upgrade(engine)
    return engine
