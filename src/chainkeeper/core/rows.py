"""Plain rows for the read API: prebuilt statements run on the session's connection (issue 15).

Two costs dominated a small API call's own work once its ORM entities were gone: building the ``select`` again on
every call (SQLAlchemy's coercions, then the statement's cache key, computed anew for a new object), and the ORM's
result processing of rows that are only columns. A statement built once — with :func:`sqlalchemy.bindparam` for
what varies, or once per caller's scope with :func:`functools.lru_cache` (principals are frozen and hashable) —
keeps its memoised cache key, and :func:`dicts` runs it on the session's connection (same transaction, no ORM
step: fine for reads, which have nothing to flush) and zips the column names onto each row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.orm import Session


def dicts(session: Session, statement: Executable, params: Mapping[str, Any] | None = None) -> list[dict]:
    """The rows of a select of columns as dicts keyed by the columns' names (labels), in the statement's order."""
    result = session.connection().execute(statement, params or {})
    keys = tuple(result.keys())
    return [dict(zip(keys, row)) for row in result.all()]
