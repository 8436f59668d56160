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

Narrow writes (:mod:`chainkeeper.core.write_log`): a table may be declared narrow (:func:`narrow_table`). An INSERT
or UPDATE of it compiled by SQLAlchemy marks its transaction with *touches* instead of the write mark, when it runs
inside an ORM flush whose touches the table's owner worked out (``touched`` of :func:`narrow_table`: the desk's
cases, :mod:`chainkeeper.coordination.case_writes`), or always for a table declared ``unread`` (no view that opts in
reads it: timelines, the audit trail, notifications). Its commit appends the touches to the write log instead of
bumping the epoch. Anything else — another table, a DELETE, text, DDL, the driver's cursor, a flush whose touches
are not known — marks the whole transaction as before. The epoch (:func:`current`) is the pair (the bumped epoch,
the log's mark): a kept view that does not opt in ends on either's change; one that opts in (``sees``, see
:func:`still_current`) survives the writes logged since its mark that it cannot see.

The cost is one Python call per statement reading three flags of the execution context (a textual statement: one
dict look-up), ``docs/benchmarks.md`` (lane ``epoch``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from chainkeeper.core.shared_epoch import SharedEpoch
from chainkeeper.core.write_log import WriteLog

EPOCH_FILE = "data-epoch"
WRITES_FILE = "data-writes"
_TOUCHES = "chainkeeper.data_touches"  # in a connection's ``info``: the touches of its transaction's narrow writes
_FLUSHING = "chainkeeper.data_flushing"  # in a connection's ``info``: an ORM flush is under way (its statements)
_WROTE = "chainkeeper.data_written"  # in a connection's ``info``: its transaction wrote
_BEGAN = "chainkeeper.data_epoch"  # in a session's ``info``: (the epoch its transaction began in, its connection's info)
_WATCHED = "_chainkeeper_data_epoch"  # in an engine's ``__dict__``: its events are set
_EPOCH = SharedEpoch(EPOCH_FILE)
_LOG = WriteLog(WRITES_FILE)
_NARROW: dict[str, Callable | None] = {}  # narrow tables: what tells their flushes' touches (None: unread)
_committing = threading.local()  # the connection info of the commit under way in this thread, when it wrote

READS = frozenset({"SELECT", "SHOW", "EXPLAIN", "VALUES", "TABLE", "BEGIN", "START", "COMMIT", "END", "ROLLBACK",
                   "SAVEPOINT", "RELEASE", "SET", "RESET", "PRAGMA", "LOCK"})
"""First words of textual statements that change no data (transaction control and settings included)."""
_FIRST_WORD = re.compile(r"\s*(?:(?:--[^\n]*(?:\n|$)|/\*.*?\*/)\s*)*([A-Za-z]*)", re.DOTALL)
_DATA_CHANGE = re.compile(r"\b(?:INSERT|DELETE|MERGE|INTO)\b|(?<!FOR )(?<!KEY )\bUPDATE\b", re.IGNORECASE)
_TEXTS: dict[str, bool] = {}
_TEXTS_KEPT = 2_000


def current() -> tuple:
    """The epoch now: the bumped epoch and the mark of the write log (one ``stat`` of each shared file)."""
    return _EPOCH.current(), _LOG.current()


def bump() -> None:
    """Declare every cached aggregate stale, in every process sharing the data directory."""
    _EPOCH.bump()


def still_current(stored: tuple, sees: Callable[[frozenset[str]], bool] | None) -> bool:
    """Whether a view kept under the epoch ``stored`` is still valid: the epoch has not changed, or (``sees`` given:
    the view opts in to narrow writes) the bumped epoch has not, and no write logged since touched what ``sees``
    accepts."""
    now = current()
    if stored == now:
        return True
    return sees is not None and stored[0] == now[0] and not _LOG.touched_since(stored[1], sees)


def sees_nothing(_touches: frozenset[str]) -> bool:
    """``sees`` of a kept view that reads no narrow table (:func:`narrow_table`): every narrow write leaves it
    current (the daily picture: reports, key groups and enterprises, no desk case; the desk's liaisons: users and
    their roles). Any other write still ends it."""
    return False


def sees_nothing_of(_principal) -> Callable[[frozenset[str]], bool]:
    """:func:`sees_nothing` for any caller (``sees`` of a kept API answer)."""
    return sees_nothing


def narrow_table(table: str, touches: Callable[[Session], Iterable[str] | None] | None = None) -> None:
    """Declare ``table``'s compiled INSERTs and UPDATEs narrow writes: with ``touches`` only inside an ORM flush,
    ``touches(session)`` (called after each flush, the session still showing what it flushed) telling what its rows
    touched before and after (None: not known, the transaction then ends every kept view); without, the table is
    read by no view that opts in (its writes touch nothing)."""
    _NARROW[table] = touches


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _context, _instances) -> None:
    if any(_NARROW.values()):
        session.connection().info[_FLUSHING] = True


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context) -> None:
    info = session.connection().info
    if not info.pop(_FLUSHING, False):
        return
    touches: set[str] = set()
    for touched in {found for found in _NARROW.values() if found is not None}:
        found = touched(session)
        if found is None:
            info[_WROTE] = True
            return
        touches.update(found)
    if touches:
        info.setdefault(_TOUCHES, set()).update(touches)


def wrote(target: Session | Connection) -> None:
    """Mark the transaction of ``target`` (a session's, on its connection) as a write made past SQLAlchemy (the
    driver's own cursor): its commit bumps the epoch. Statements run through SQLAlchemy need no call."""
    connection = target.connection() if isinstance(target, Session) else target
    connection.info[_WROTE] = True


def of_transaction(session: Session) -> tuple | None:
    """The epoch the session's transaction began in, or None when it has written (its reads are not committed
    data) or has not begun."""
    began = session.info.get(_BEGAN)
    if began is None or began[1].get(_WROTE) or _TOUCHES in began[1] or session.new or session.dirty or session.deleted:
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
    event.listen(engine, "rollback_savepoint", _forget_flush)
    event.listen(engine, "checkin", _note_checkin)
    engine.dialect.do_commit = _bumping(engine.dialect.do_commit)


def _note_statement(connection, cursor, statement, _parameters, context, _executemany) -> None:
    if context.is_crud:
        if cursor.description is None and cursor.rowcount == 0:
            return  # no row changed (and no RETURNING, whose rowcount a driver may not know yet)
        if _narrow(connection, context):
            connection.info.setdefault(_TOUCHES, set())
            return
    elif not context.isddl and not (context.is_text and text_writes(statement)):
        return
    connection.info[_WROTE] = True


def _narrow(connection: Connection, context) -> bool:
    """Whether a compiled INSERT or UPDATE is a narrow write (see the module's docstring)."""
    statement = context.compiled.statement
    if not (statement.is_insert or statement.is_update):
        return False
    name = getattr(statement.table, "name", None)
    return name in _NARROW and (_NARROW[name] is None or connection.info.get(_FLUSHING, False))


def _note_commit(connection) -> None:
    """Before the database's commit: hand the mark (or the narrow writes' touches) to :func:`_bumping`, which bumps
    (or logs them) once the commit is done."""
    info = _live_info(connection)
    if info is None:
        _committing.info = None
        return
    touches = info.pop(_TOUCHES, None)
    if info.get(_WROTE) or touches is None:
        _committing.info = info if info.pop(_WROTE, False) else None
        _committing.touches = None
    else:
        _committing.info, _committing.touches = info, touches


def _bumping(do_commit):
    def commit(dbapi_connection) -> None:
        info, touches = getattr(_committing, "info", None), getattr(_committing, "touches", None)
        _committing.info = _committing.touches = None
        try:
            do_commit(dbapi_connection)
        except BaseException:
            if info is not None:
                info[_WROTE] = True  # not committed: the mark stays for the rollback (or a second commit)
            raise
        if info is not None and (touches is None or not _LOG.append(touches)):
            bump()
    return commit


def _forget(connection) -> None:
    info = _live_info(connection)
    if info is not None:
        for mark in (_WROTE, _TOUCHES, _FLUSHING):
            info.pop(mark, None)


def _forget_flush(connection, _name, _context) -> None:
    """A savepoint's rollback (a flush that failed inside it, say): the flush is over, what it wrote is gone."""
    info = _live_info(connection)
    if info is not None:
        info.pop(_FLUSHING, None)


def _live_info(connection) -> dict | None:
    """The connection's ``info``, or None once its DBAPI connection is gone (lost with the database): asking then
    would raise instead of letting the rollback through, and the pool clears a lost connection's ``info`` anyway."""
    if connection.invalidated or connection.closed:
        return None
    return connection.info


def _note_checkin(_dbapi_connection, record) -> None:
    if record is not None and (record.info.pop(_WROTE, False) | (record.info.pop(_TOUCHES, None) is not None)):
        record.info.pop(_FLUSHING, None)
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
