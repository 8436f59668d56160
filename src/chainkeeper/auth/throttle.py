"""Login throttling per client address: a sliding window of attempts kept in memory."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class Throttle:
    """Allows at most ``limit`` attempts per ``window`` seconds from one client address."""

    def __init__(self, limit: int = 20, window: float = 300.0):
        self.limit, self.window = limit, window
        self._attempts: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        """Record an attempt; False when the client has used up its window."""
        now = time.monotonic() if now is None else now
        with self._lock:
            attempts = self._attempts[client]
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                return False
            attempts.append(now)
            return True
