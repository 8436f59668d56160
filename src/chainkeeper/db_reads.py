"""PostgreSQL round trips every request used to pay and no longer does (issue 15, lane ``reqpath``).

A desk request read one statement and paid four round trips for it: the pool's pre-ping (``;``), ``BEGIN``, the
statement, ``COMMIT``.

* **Reads without BEGIN/COMMIT** (:func:`reading`): a read request's session (``core/request.py``) runs on
  connections in autocommit, so a plain ``SELECT`` is sent alone. PostgreSQL's default isolation (READ COMMITTED)
  takes a new snapshot for every statement inside a transaction too, so what a page reads is exactly as consistent
  as before. Before any statement that is not a plain compiled ``SELECT`` — an INSERT/UPDATE/DELETE, DDL, textual
  SQL (advisory locks, ``SET LOCAL``), ``FOR UPDATE``, a server-side cursor — the connection leaves autocommit:
  that statement and everything after it run in one transaction, committed or rolled back with the request as
  before (the data epoch still bumps after that commit).
* **A ping only after an idle spell** (:func:`ping_when_idle`): instead of ``pool_pre_ping`` (a round trip before
  every checkout), a connection idle for more than :data:`IDLE_PING_SECONDS` is pinged when checked out; a dead one
  is replaced and the pool invalidated, as the pre-ping did. A connection busy a moment ago that the database lost
  since (a restart) fails on its first statement: SQLAlchemy sees the disconnect and invalidates the pool, the
  request answers 503 (``web/errors.py``) and the next ones reconnect.
* **Rows by name and position** (:data:`ROWS_BY_NAME`, every engine): a Core statement whose compiled form came
  from SQLAlchemy's cache but from another statement object — the desk's statements are prebuilt per principal,
  so every other user's — had its result's key map rebuilt for the new object's columns on every execution
  (``_adapt_to_context``: each ORM-annotated column compared with ``==``, building a SQL expression; 0.3–0.5 ms
  of CPU per desk request). Nothing here reads a row by a column object (``row._mapping[table.c.x]``), the one
  thing that step is for; the ORM turns it off for its own results the same way.
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, event, exc

ROWS_BY_NAME = {"_result_disable_adapt_to_context": True}
"""Execution options of every engine: results keyed by the compiled statement's names and positions only."""
IDLE_PING_SECONDS = 2.0
"""A connection given back longer ago than this is pinged before its next use."""
_IDLE_SINCE = "chainkeeper.idle_since"  # in a pooled connection's ``info`` (cleared when it is replaced)
_READING = "_chainkeeper_reading"  # in an engine's ``__dict__``: its read engine


def reading(engine: Engine) -> Engine:
    """The engine of read requests' sessions: on PostgreSQL, connections in autocommit until the first statement
    that is not a plain ``SELECT`` (made once per engine); other databases' engines as they are."""
    if engine.dialect.name != "postgresql":
        return engine
    found = engine.__dict__.get(_READING)
    if found is None:
        found = engine.execution_options(isolation_level="AUTOCOMMIT")
        event.listen(found, "before_cursor_execute", _begin_unless_plain_select)
        engine.__dict__[_READING] = found
    return found


def _begin_unless_plain_select(_connection, cursor, _statement, _parameters, context, _executemany) -> None:
    if not plain_select(context) and cursor.connection.autocommit:
        cursor.connection.autocommit = False  # the driver begins a transaction with this statement


def plain_select(context) -> bool:
    """Whether a statement only reads and needs no transaction: a compiled SELECT, not ``FOR UPDATE``/``SHARE``,
    not fetched through a server-side cursor."""
    compiled = context.compiled
    return (compiled is not None and not context.is_crud and not context.isddl and not context.is_text
            and getattr(compiled.statement, "_for_update_arg", True) is None
            and not context.execution_options.get("stream_results"))


def ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before its use only when it was idle for more than :data:`IDLE_PING_SECONDS`."""
    dialect = engine.dialect

    def ping_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since <= IDLE_PING_SECONDS:
            return  # just opened, or used a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:  # the pool replaces it and every older one (3 attempts)
            raise exc.InvalidatePoolError("the database dropped an idle connection") from error

    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", ping_if_idle)


def _note_idle(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[_IDLE_SINCE] = time.monotonic()
