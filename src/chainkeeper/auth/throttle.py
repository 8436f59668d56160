"""Login throttling per client address: a sliding window of *failed* attempts kept in memory.

Only failures count: a whole office signing in behind one NAT address at 8:30 must not lock itself out, while a
password-guessing client is stopped after ``limit`` wrong guesses (the per-account lockout is in the service).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class Throttle:
    """Refuses a client address once it has ``limit`` failed attempts within ``window`` seconds."""

    def __init__(self, limit: int = 20, window: float = 300.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        """False while the client has used up its failures for the window."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._failures[client]
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            return len(failures) < self.limit

    def record_failure(self, client: str, now: float | None = None) -> None:
        """Count one failed attempt from ``client``."""
        with self._lock:
            self._failures[client].append(time.monotonic() if now is None else now)

    def reset(self) -> None:
        """Forget every client (tests, or an administrator after an incident)."""
        with self._lock:
            self._failures.clear()
