"""Opt-in pytest plugin (debt 2 of sprint 6): report a read left unfinished on a pooled SQLite connection.

    PYTHONPATH=$PWD/src:$PWD/tests UNFINISHED_READS_OUT=/tmp/unfinished.txt \
        python3 -m pytest -p unfinished_reads -n 0 tests/audit tests/notifications

Every cursor SQLAlchemy executes a row-returning statement on is remembered (weakly); when its connection is checked
out of the pool again and the cursor is still alive with rows pending (a ``fetchone`` answers a row: the probe
consumes it, so use this only to hunt), the statement, the test that ran it and its stack go to the output file.
Cursors used without SQLAlchemy (``driver_connection.cursor()``) are not seen.

Found with it (2026-12-06, SQLite, serially, with ``fresh_connections`` disabled): the audit and notification files
then ``tests/audit/test_concurrency.py`` reproduce "trigger audit_event_no_update already exists", and no statement
executed through SQLAlchemy was left unfinished at any checkout — the stale read did not come from application code
run through SQLAlchemy."""

import os
import sqlite3
import traceback
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

OUT = open(os.environ.get("UNFINISHED_READS_OUT", "unfinished-reads.txt"), "a")
_current = {"test": None}
_pending = {}  # id(dbapi connection) -> list of (weakref cursor, stack, test, sql)


def pytest_runtest_setup(item):
    _current["test"] = item.nodeid


@event.listens_for(Engine, "after_cursor_execute")
def _after(conn, cursor, statement, parameters, context, executemany):
    if not isinstance(cursor, sqlite3.Cursor) or cursor.description is None:
        return
    stack = [f for f in traceback.extract_stack()[:-1] if "/chainkeeper/" in f.filename or "/tests/" in f.filename]
    dbapi = cursor.connection
    _pending.setdefault(id(dbapi), []).append((weakref.ref(cursor), stack, _current["test"], statement[:120]))


@event.listens_for(Pool, "checkout")
def _checkout(dbapi_connection, record, proxy):
    keep = []
    for ref, stack, test, sql in _pending.get(id(dbapi_connection), []):
        cursor = ref()
        if cursor is None:
            continue
        try:
            row = cursor.fetchone()
        except sqlite3.ProgrammingError:  # closed
            continue
        if row is None:
            continue
        OUT.write(f"=== UNFINISHED READ at checkout in {_current['test']} (executed in {test}): {sql!r}\n")
        OUT.write("".join(traceback.format_list(stack[-10:])))
        OUT.flush()
    _pending[id(dbapi_connection)] = keep
