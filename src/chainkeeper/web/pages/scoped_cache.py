"""Aggregates reused for a few seconds by callers with the same scope: the registry overview's counts, the home
page's national picture and live panels (issue 15: they were most of those pages' CPU).

An entry is kept under the data epoch its transaction began in (:mod:`chainkeeper.core.data_epoch`) and dropped
as soon as any write is committed anywhere in the installation (an entry stored with ``sees``: any write but the
narrow ones it cannot see), after ``ttl`` seconds at most (the day turning,
writes by another database client), and never stored from a transaction that wrote itself. Keys carry the principal's
scope (:func:`scope_key`), so a figure computed for one region is never shown to another.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.core import data_epoch

T = TypeVar("T")
Sees = Callable[[frozenset[str]], bool]
MAX_ENTRIES = 2_000


def scope_key(principal: Principal) -> tuple:
    """What decides what the principal may see: national or not, roles, region, enterprise — and, below the national
    level, the user itself (an authority also sees the cases it is the liaison of)."""
    national = principal.is_national
    return (national, principal.roles, principal.region_code, principal.enterprise_id,
            None if national else principal.user_id)


class ScopedCache:
    """Values by key, each computed once per data epoch and reused for at most its time to live."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[tuple, float, Any]] = {}
        self._lock = threading.Lock()

    def peek(self, key: Hashable, ttl: float, sees: Sees | None = None) -> Any | None:
        """The value stored under ``key`` when still current, else None (nothing is computed)."""
        found = self._current(key, ttl, time.monotonic(), sees)
        return None if found is None else found[2]

    def _current(self, key: Hashable, ttl: float, now: float, sees: Sees | None) -> tuple | None:
        found = self._entries.get(key)
        if found is not None and now - found[1] <= ttl and data_epoch.still_current(found[0], sees):
            return found
        return None

    def get(self, session: Session, key: Hashable, ttl: float, compute: Callable[[], T], sees: Sees | None = None) -> T:
        """The value stored under ``key`` when still current, else ``compute()`` (stored when it read committed
        data of the current epoch). With ``sees`` (what the value can show, of a narrow write's touches:
        :mod:`chainkeeper.core.write_log`), the narrow writes it cannot see leave it current."""
        now = time.monotonic()
        found = self._current(key, ttl, now, sees)
        if found is not None:
            return found[2]
        session.connection()  # the transaction begins (and notes its epoch) before the first read
        began = data_epoch.of_transaction(session)
        value = compute()
        if began is not None and data_epoch.of_transaction(session) == began:
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    self._entries = {}
                self._entries[key] = (began, now, value)
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries = {}


def page_cache(app) -> ScopedCache:
    """The application's cache of page aggregates."""
    cache = getattr(app.state, "page_cache", None)
    if cache is None:
        cache = app.state.page_cache = ScopedCache()
    return cache

