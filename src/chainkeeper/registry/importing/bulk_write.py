"""Writing a large links import into SQLite: references checked in bulk, secondary indexes built once at the end.

What a link insert into ``supply_link`` costs beyond a plain table's insert is, per row, SQLite's three
foreign-key look-ups (a seek into the large ``enterprise`` table for the supplier and the customer, one into
``product``) and the two secondary indexes (``uq_supply_link_key``, ``ix_supply_link_customer_id``), each a
B-tree insert at a random place. The import already has every reference in hand: each id it writes was looked up
from a code in the same transaction, which holds SQLite's write lock from its first read to its commit, so no
enterprise or product can go away meanwhile. Hence, on SQLite only:

* :func:`import_bind` runs the import's transaction on a connection with ``PRAGMA foreign_keys=OFF`` (the pragma
  is a no-op inside a transaction, so it is set before ``BEGIN``) and turns it back on before the connection
  returns to the pool (a connection that cannot be restored is discarded). :func:`check_references` checks every
  written id against the ids read in the transaction, a batch at a time (a set's ``issuperset``: C speed) and
  raises before anything is committed otherwise. The schema keeps its foreign keys: every other connection,
  and every other write, is checked by SQLite as before.
* :func:`rebuilt_indexes` drops the table's secondary indexes inside the transaction and creates them again from
  their own stored definition (``sqlite_master.sql``, so name, columns, expressions and uniqueness are the same)
  once the rows are in: one sort per index instead of a random insert per row. SQLite's DDL is transactional:
  on any error the rollback restores the indexes with the rows; readers (WAL) see the old table and its indexes
  until the commit. Only when the import adds at least :data:`REBUILD_MIN` links and at least as many as are
  stored (rebuilding costs a sort of the whole table).

On PostgreSQL the import writes by ``COPY``; almost all of its cost is the server's per-row foreign-key triggers.
A large import there drops the foreign keys and secondary indexes in its transaction and adds them back after the
``COPY`` (the database validates every row again, in one query per key): see :mod:`.bulk_postgres`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter

from sqlalchemy import Connection, Engine

from chainkeeper.registry.importing.bulk_postgres import without_checks

REBUILD_MIN = 50_000
"""The fewest new links for which the secondary indexes are dropped and built again after the insert."""


class DanglingReference(RuntimeError):
    """A record to be written names an enterprise or product id not read in the import's transaction (a bug:
    validation only ever yields ids it looked up); the transaction is rolled back."""


def _sqlite_links(engine: Engine, kind: str, dry_run: bool) -> bool:
    return kind == "links" and not dry_run and engine.dialect.name == "sqlite"


@contextmanager
def import_bind(engine: Engine, kind: str, dry_run: bool) -> Iterator[Engine | Connection]:
    """What the import's unit of work runs on: ``engine`` itself, or for a links import into SQLite one of its
    connections with SQLite's per-row foreign-key checks off for that transaction (see the module's docstring)."""
    if not _sqlite_links(engine, kind, dry_run):
        yield engine
        return
    with engine.connect() as connection:
        raw = connection.connection.driver_connection  # no BEGIN yet: the pragma takes effect
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            yield connection
        finally:
            _restore_foreign_keys(connection, raw)


def _restore_foreign_keys(connection: Connection, raw) -> None:
    """Foreign keys back on before the connection returns to the pool; if that fails, the connection is dropped."""
    try:
        if connection.in_transaction():
            connection.rollback()
        raw.execute("PRAGMA foreign_keys=ON")
        if raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1:
            return
    except Exception:  # noqa: BLE001 - whatever went wrong, this connection must not be reused
        pass
    connection.invalidate()


def foreign_keys_enforced(connection: Connection) -> bool:
    """Whether SQLite checks foreign keys on this connection (always True on other databases)."""
    if connection.dialect.name != "sqlite":
        return True
    return connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def check_references(records: list[tuple], enterprises: set[int], products: set[int | None]) -> None:
    """Every supplier and customer id of ``records`` (link tuples) in ``enterprises``, every product id in
    ``products`` (which holds None: a link without a product); :class:`DanglingReference` otherwise."""
    if not (enterprises.issuperset(map(itemgetter(0), records))
            and enterprises.issuperset(map(itemgetter(1), records))
            and products.issuperset(map(itemgetter(2), records))):
        raise DanglingReference("a link names an enterprise or product that is not stored")


def rebuild_wanted(new: int, stored: int) -> bool:
    """Whether to build the indexes (and, on PostgreSQL, check the foreign keys) once after the insert: at least
    :data:`REBUILD_MIN` new links and at least as many as are stored."""
    return new >= max(REBUILD_MIN, stored)


def secondary_indexes(connection: Connection, table: str) -> list[tuple[str, str]]:
    """SQLite: (name, CREATE statement) of each index of ``table`` that has one (not the automatic ones)."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
        "ORDER BY name", (table,))
    return [tuple(row) for row in rows]


@contextmanager
def rebuilt_indexes(connection: Connection, table: str, wanted: bool) -> Iterator[None]:
    """With ``wanted``, the block runs without ``table``'s secondary indexes (on PostgreSQL, also without its
    foreign keys: :mod:`.bulk_postgres`), which are created again from their stored definitions after it, in the
    same transaction; nothing is rebuilt when the block raises (the caller's rollback restores them)."""
    if wanted and connection.dialect.name == "postgresql":
        with without_checks(connection, table):
            yield
        return
    indexes = secondary_indexes(connection, table) if wanted and connection.dialect.name == "sqlite" else []
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)
