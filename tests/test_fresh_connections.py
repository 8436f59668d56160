"""A test never reads the SQLite database through an earlier test's snapshot (conftest.fresh_connections).

The two tests run in this order on one worker (a file is one unit under ``-n 2``): the first leaves a SELECT
unfinished on a pooled connection, as a leaked result does; in WAL mode that connection would keep reading the
database as it was then, and a write through it fails (found as "trigger audit_event_no_update already exists" in
tests/audit/test_concurrency.py; without fresh_connections the second test's clean-up fails: "database is locked").
"""

from __future__ import annotations

from chainkeeper.db import make_engine

LEFT_OPEN = []
"""The unfinished cursors, kept alive as a leaked result would keep them."""


def _probe(engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS fresh_probe (n INTEGER)")
        connection.exec_driver_sql("INSERT INTO fresh_probe VALUES (1), (2), (3)")


def test_a_read_left_unfinished_on_a_pooled_connection(sqlite_engine):
    _probe(sqlite_engine)
    raw = sqlite_engine.raw_connection()
    cursor = raw.driver_connection.cursor()
    cursor.execute("SELECT n FROM fresh_probe")
    assert cursor.fetchone() == (1,)
    LEFT_OPEN.append(cursor)
    raw.close()  # back to the pool, the SELECT unfinished


def test_the_next_test_reads_what_was_committed_on_every_pooled_connection(sqlite_engine):
    _probe(sqlite_engine)
    truth = make_engine(sqlite_engine.url.render_as_string(hide_password=False))
    try:
        with truth.connect() as connection:
            expected = connection.exec_driver_sql("SELECT count(*) FROM fresh_probe").scalar()
        connections = [sqlite_engine.connect() for _ in range(sqlite_engine.pool.checkedin() + 1)]
        try:
            seen = [c.exec_driver_sql("SELECT count(*) FROM fresh_probe").scalar() for c in connections]
        finally:
            for connection in connections:
                connection.close()
        assert seen == [expected] * len(connections)
    finally:
        with truth.begin() as connection:
            connection.exec_driver_sql("DROP TABLE fresh_probe")
        truth.dispose()
