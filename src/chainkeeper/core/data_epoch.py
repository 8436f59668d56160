"""The data epoch: changes after every committed write, in every process of the installation.

Aggregates that pages reuse for a few seconds (:class:`chainkeeper.web.pages.scoped_cache.ScopedCache`: the
registry overview's counts, the home page's national picture and live panels, the kept pages and API answers) are
kept under the epoch their transaction began in and dropped as soon as it changes, so a cached figure never outlives
a write:

* Every statement that may change data, run on an engine of :func:`chainkeeper.db.make_engine` (:func:`watch`),
  marks its connection's transaction (``after_cursor_execute``): an INSERT, UPDATE or DELETE however it was made
  (ORM flush, ``session.execute``, Core on ``session.connection()`` or a bare connection), DDL, and any textual
  statement (``text()``, ``exec_driver_sql``) that is not a read (:func:`text_writes`). A compiled INSERT, UPDATE
  or DELETE that changed no row (``rowcount`` 0, no ``RETURNING``) changed nothing and marks nothing. Writes that
  bypass SQLAlchemy (the driver's own cursor: ``COPY`` in :func:`chainkeeper.db.bulk_insert`) call :func:`wrote`.
* When a marked transaction commits, the epoch is bumped right after the database's commit
  (:class:`chainkeeper.core.shared_epoch.SharedEpoch`: an in-process counter and the file ``data-epoch`` in the data
  directory, so the other workers and the CLI count too). Its rollback bumps nothing; a savepoint's rollback keeps
  the mark (what was written before it still stands). A marked connection given back to the pool without either
  (a driver-level commit) bumps then.
* Each session's transaction records the epoch at its beginning (``after_begin``, before its first statement):
  whatever it reads is at least as new as that epoch, and an entry stored under it is dropped by any later bump —
  also one that lands while the aggregate is being computed.

The cost is one Python call per statement reading three flags of the execution context (a textual statement: one
dict look-up), ``docs/benchmarks.md`` (lane ``epoch``).
"""

from __future__ import annotations

import re
import threading

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from chainkeeper.core.shared_epoch import SharedEpoch

EPOCH_FILE = "data-epoch"
_WROTE = "chainkeeper.data_written"  # in a connection's ``info``: its transaction wrote
_BEGAN = "chainkeeper.data_epoch"  # in a session's ``info``: (the epoch its transaction began in, its connection's info)
_WATCHED = "_chainkeeper_data_epoch"  # in an engine's ``__dict__``: its events are set
_EPOCH = SharedEpoch(EPOCH_FILE)
_committing = threading.local()  # the connection info of the commit under way in this thread, when it wrote

READS = frozenset({"SELECT", "SHOW", "EXPLAIN", "VALUES", "TABLE", "BEGIN", "START", "COMMIT", "END", "ROLLBACK",
                   "SAVEPOINT", "RELEASE", "SET", "RESET", "PRAGMA", "LOCK"})
"""First words of textual statements that change no data (transaction control and settings included)."""
_FIRST_WORD = re.compile(r"\s*(?:(?:--[^\n]*(?:\n|$)|/\*.*?\*/)\s*)*([A-Za-z]*)", re.DOTALL)
_DATA_CHANGE = re.compile(r"\b(?:INSERT|DELETE|MERGE|INTO)\b|(?<!FOR )(?<!KEY )\bUPDATE\b", re.IGNORECASE)
_TEXTS: dict[str, bool] = {}
_TEXTS_KEPT = 2_000


def current() -> tuple:
    """The epoch now (one ``stat`` of the shared file)."""
    return _EPOCH.current()


def bump() -> None:
    """Declare every cached aggregate stale, in every process sharing the data directory."""
    _EPOCH.bump()


def wrote(target: Session | Connection) -> None:
    """Mark the transaction of ``target`` (a session's, on its connection) as a write made past SQLAlchemy (the
    driver's own cursor): its commit bumps the epoch. Statements run through SQLAlchemy need no call."""
    connection = target.connection() if isinstance(target, Session) else target
    connection.info[_WROTE] = True


def of_transaction(session: Session) -> tuple | None:
    """The epoch the session's transaction began in, or None when it has written (its reads are not committed
    data) or has not begun."""
    began = session.info.get(_BEGAN)
    if began is None or began[1].get(_WROTE) or session.new or session.dirty or session.deleted:
        return None
    return began[0]


def text_writes(statement: str) -> bool:
    """Whether a textual statement may change data: anything but a read (:data:`READS`); a ``SELECT``, ``WITH`` or
    ``EXPLAIN`` naming INSERT, UPDATE (not ``FOR UPDATE``), DELETE, MERGE or INTO (a data-modifying CTE,
    ``SELECT INTO``) counts too."""
    found = _TEXTS.get(statement)
    if found is None:
        word = _FIRST_WORD.match(statement).group(1).upper()
        found = word not in READS and word != "WITH" or (
            word in ("SELECT", "WITH", "EXPLAIN") and _DATA_CHANGE.search(statement) is not None)
        if len(_TEXTS) >= _TEXTS_KEPT:
            _TEXTS.clear()
        _TEXTS[statement] = found
    return found


def watch(engine: Engine) -> None:
    """Mark the transactions of ``engine`` that change data and bump the epoch when they commit (once per engine)."""
    if engine.__dict__.get(_WATCHED):
        return
    engine.__dict__[_WATCHED] = True
    event.listen(engine, "after_cursor_execute", _note_statement)
    event.listen(engine, "commit", _note_commit)
    event.listen(engine, "rollback", _forget)
    event.listen(engine, "checkin", _note_checkin)
    engine.dialect.do_commit = _bumping(engine.dialect.do_commit)


def _note_statement(connection, cursor, statement, _parameters, context, _executemany) -> None:
    if context.is_crud:
        if cursor.description is None and cursor.rowcount == 0:
            return  # no row changed (and no RETURNING, whose rowcount a driver may not know yet)
    elif not context.isddl and not (context.is_text and text_writes(statement)):
        return
    connection.info[_WROTE] = True


def _note_commit(connection) -> None:
    """Before the database's commit: hand the mark to :func:`_bumping`, which bumps once the commit is done."""
    info = _live_info(connection)
    _committing.info = info if info is not None and info.pop(_WROTE, False) else None


def _bumping(do_commit):
    def commit(dbapi_connection) -> None:
        info = getattr(_committing, "info", None)
        _committing.info = None
        try:
            do_commit(dbapi_connection)
        except BaseException:
            if info is not None:
                info[_WROTE] = True  # not committed: the mark stays for the rollback (or a second commit)
            raise
        if info is not None:
            bump()
    return commit


def _forget(connection) -> None:
    info = _live_info(connection)
    if info is not None:
        info.pop(_WROTE, None)


def _live_info(connection) -> dict | None:
    """The connection's ``info``, or None once its DBAPI connection is gone (lost with the database): asking then
    would raise instead of letting the rollback through, and the pool clears a lost connection's ``info`` anyway."""
    if connection.invalidated or connection.closed:
        return None
    return connection.info


def _note_checkin(_dbapi_connection, record) -> None:
    if record is not None and record.info.pop(_WROTE, False):
        bump()  # neither committed nor rolled back through SQLAlchemy: it may have been committed


@event.listens_for(Session, "after_begin")
def _note_begin(session: Session, transaction, connection) -> None:
    if transaction.nested:
        return
    session.info[_BEGAN] = (current(), connection.info)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _note_end(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint released or rolled back: the transaction goes on
        session.info.pop(_BEGAN, None)
