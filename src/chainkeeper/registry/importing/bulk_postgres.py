"""A large links import into PostgreSQL without the per-row foreign-key triggers.

``COPY`` into ``supply_link`` fires, per row, one trigger per foreign key (a ``SELECT ... FOR KEY SHARE`` of the
enterprise or product row): most of the server's CPU of an import. :func:`without_checks` drops the table's
foreign keys and secondary indexes inside the import's transaction and, once the rows are in, adds them back from
their own definitions (``pg_get_constraintdef``, ``pg_get_indexdef``: the same names, columns, expressions,
uniqueness and ``ON DELETE`` actions); adding a foreign key checks every row of the table in one query, so the
database still refuses a dangling reference, and any error rolls everything back with the transaction.

The price is the locks: ``ACCESS EXCLUSIVE`` on ``supply_link`` (readers of the links wait until the import
commits, they never see the table without its keys) and ``SHARE ROW EXCLUSIVE`` on the referenced tables
(``enterprise``, ``product``: readable, not writable meanwhile). They are all taken at once before anything is
dropped, within :data:`LOCK_TIMEOUT`, in a savepoint: if they cannot be had in time (busy readers, or a deadlock
with another transaction), the savepoint is rolled back and the import writes with the per-row checks as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

LOCK_TIMEOUT = "2s"
"""How long the import waits for its locks before it falls back to the per-row checks."""


def _definitions(cursor, table: str) -> tuple[list, list, list]:
    """(foreign keys as (name, definition), indexes as (name, CREATE statement), referenced tables) of ``table``;
    indexes that back a constraint (the primary key) are left alone."""
    cursor.execute("SELECT conname, pg_get_constraintdef(oid), confrelid::regclass::text FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", (table,))
    keys = cursor.fetchall()
    cursor.execute("SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                   "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                   "WHERE k.conindid = i.indexrelid) ORDER BY c.relname", (table,))
    indexes = cursor.fetchall()
    return [k[:2] for k in keys], indexes, sorted({k[2] for k in keys})


def _locked(cursor, table: str, referenced: list[str]) -> bool:
    """Every lock the rebuild needs, within :data:`LOCK_TIMEOUT` (in a savepoint); False if not had in time."""
    import psycopg

    cursor.execute("SAVEPOINT chainkeeper_bulk_locks")
    try:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        if referenced:
            cursor.execute(f"LOCK TABLE {', '.join(referenced)} IN SHARE ROW EXCLUSIVE MODE")
    except psycopg.errors.OperationalError:  # lock_timeout, deadlock
        cursor.execute("ROLLBACK TO SAVEPOINT chainkeeper_bulk_locks")
        return False
    cursor.execute("RELEASE SAVEPOINT chainkeeper_bulk_locks")
    cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    return True


@contextmanager
def without_checks(connection: Connection, table: str) -> Iterator[None]:
    """The block runs with ``table``'s foreign keys and secondary indexes dropped (if the locks could be had), and
    they are added back after it, in the same transaction."""
    with connection.connection.driver_connection.cursor() as cursor:
        keys, indexes, referenced = _definitions(cursor, table)
        dropped = _locked(cursor, table, referenced)
        if dropped:
            for name, _definition in keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _statement in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    yield
    if not dropped:
        return
    with connection.connection.driver_connection.cursor() as cursor:
        for _name, statement in indexes:
            cursor.execute(statement)
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
