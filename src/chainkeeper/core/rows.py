"""Plain rows for the read API: prebuilt statements run on the session's connection (issue 15).

Two costs dominated a small API call's own work once its ORM entities were gone: building the ``select`` again on
every call (SQLAlchemy's coercions, then the statement's cache key, computed anew for a new object), and the ORM's
result processing of rows that are only columns. A statement built once — with :func:`sqlalchemy.bindparam` for
what varies, or once per caller's scope with :func:`functools.lru_cache` (principals are frozen and hashable) —
keeps its memoised cache key, and :func:`dicts` runs it on the session's connection (same transaction, no ORM
step: fine for reads, which have nothing to flush) and zips the column names onto each row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.orm import Session


def dicts(session: Session, statement: Executable, params: Mapping[str, Any] | None = None) -> list[dict]:
    """The rows of a select of columns as dicts keyed by the columns' names (labels), in the statement's order."""
    result = session.connection().execute(statement, params or {})
    keys = tuple(result.keys())
    return [dict(zip(keys, row)) for row in result.all()]


class Memo:
    """Values built once per key, at most ``size`` of them (the least recently used dropped first); thread-safe.

    For statements whose construction needs more than their key (:func:`functools.lru_cache` keys on every
    argument): the caller passes the key and a function that builds the value on a miss. Two threads missing the
    same key at once both build it; the last one is kept (the values are equal)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value of ``key``, built by ``build()`` when it is not kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            self._values[key] = value
            if len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
