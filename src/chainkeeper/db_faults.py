"""Database faults an operator meets, named: busy (SQLite's write lock), disk full, database down, a conflict.

The web and CLI edges turn these into clear, translated answers (503 + ``Retry-After`` or 409, an error line and
exit code) instead of tracebacks; anything else stays an unexpected error.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, StatementError

from chainkeeper.i18n import _, translate


@dataclass(frozen=True)
class DatabaseProblem:
    """A fault the caller can act on: its code, HTTP status, an untranslated message and when to try again."""

    code: str
    status: int
    message: str
    retry_after: int | None = None

    def describe(self, language: str | None) -> str:
        """The message in ``language``."""
        return translate(self.message, language)


BUSY = DatabaseProblem("database_busy", 503, _(
    "the database is busy with another change (for example an import); try again in a few seconds"), 5)
DISK_FULL = DatabaseProblem("disk_full", 503, _(
    "the database's disk is full; nothing was saved. Free disk space (or ask the operator to), then try again"), 60)
UNAVAILABLE = DatabaseProblem("database_unavailable", 503, _(
    "the database cannot be reached right now; nothing was saved. Try again shortly"), 10)
CONFLICT = DatabaseProblem("conflict", 409, _(
    "someone else changed the same data at the same moment; nothing was saved. Reload and try again"))

_PG_UNAVAILABLE = ("08", "57P01", "57P02", "57P03", "53300")  # connection classes, shutdown, too many connections
_PG_CONFLICT = ("40001", "40P01", "23505")  # serialization failure, deadlock, unique violation
_SQLITE_TEXT = (("database is locked", BUSY), ("database table is locked", BUSY),
                ("database or disk is full", DISK_FULL), ("disk i/o error", DISK_FULL),
                ("unable to open database file", UNAVAILABLE))
_PG_TEXT = (("connection refused", UNAVAILABLE), ("server closed the connection", UNAVAILABLE),
            ("terminating connection", UNAVAILABLE), ("the database system is", UNAVAILABLE),
            ("connection is closed", UNAVAILABLE), ("consuming input failed", UNAVAILABLE),
            ("could not connect", UNAVAILABLE), ("connection timeout", UNAVAILABLE),
            ("no space left on device", DISK_FULL), ("could not extend file", DISK_FULL))


def _sqlstate(error: BaseException) -> str | None:
    original = getattr(error, "orig", None)
    return getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)


def classify(error: BaseException) -> DatabaseProblem | None:
    """The named fault behind ``error`` (a SQLAlchemy or OS error, or one raised because of it), or None."""
    seen = 0
    while error is not None and seen < 5:
        problem = _classify_one(error)
        if problem is not None:
            return problem
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _classify_one(error: BaseException) -> DatabaseProblem | None:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return DISK_FULL
    if not isinstance(error, (DBAPIError, StatementError)):
        return None
    state = _sqlstate(error) or ""
    if state == "53100":
        return DISK_FULL
    if state.startswith(_PG_UNAVAILABLE):
        return UNAVAILABLE
    if state.startswith(_PG_CONFLICT):
        return CONFLICT
    text = str(getattr(error, "orig", error)).lower()
    for needle, problem in _SQLITE_TEXT + _PG_TEXT:
        if needle in text:
            return problem
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return UNAVAILABLE
    if isinstance(error, IntegrityError) and "unique" in text:
        return CONFLICT
    if isinstance(error, OperationalError) and not state:
        return UNAVAILABLE if "connect" in text else None
    return None
