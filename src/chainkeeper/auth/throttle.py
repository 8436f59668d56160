"""Login throttling, kept in memory: failures per client address, and exponential delays per account *and* address.

Only failures count: a whole office signing in behind one NAT address at 8:30 must not lock itself out.

* **Per address**: a client address with ``limit`` failed attempts within ``window`` seconds is refused (429)
  until the window moves on — a password-guessing client is stopped whatever accounts it tries.
* **Per account and address**: after ``free`` failures against one account from one address, that address must
  wait before trying that account again, twice as long after each further failure (up to ``max_delay``). The
  owner signing in from another address is never delayed by a stranger's failures, so nobody can lock anyone
  out, and the answer never depends on whether the account exists (the key is the name as typed).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class Throttle:
    """Refuses a client address after ``limit`` failures in ``window`` seconds, and delays an account from an
    address after ``free`` failures (``base_delay`` · 2ⁿ seconds, at most ``max_delay``)."""

    def __init__(self, limit: int = 20, window: float = 300.0, *, free: int = 5, base_delay: float = 1.0,
                 max_delay: float = 900.0):
        self.limit, self.window = limit, window
        self.free, self.base_delay, self.max_delay = free, base_delay, max_delay
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._pairs: dict[tuple[str, str], tuple[int, float]] = {}  # (account, client) → (failures, not before)
        self._lock = threading.Lock()

    @staticmethod
    def _now(now: float | None) -> float:
        return time.monotonic() if now is None else now

    def allow(self, client: str, now: float | None = None) -> bool:
        """False while the client has used up its failures for the window."""
        now = self._now(now)
        with self._lock:
            failures = self._failures[client]
            while failures and failures[0] <= now - self.window:
                failures.popleft()
            return len(failures) < self.limit

    def wait(self, account: str, client: str, now: float | None = None) -> float:
        """Seconds ``client`` must still wait before trying ``account`` again (0 when it may try now)."""
        with self._lock:
            _count, not_before = self._pairs.get((account.lower(), client), (0, 0.0))
        return max(0.0, not_before - self._now(now))

    def record_failure(self, client: str, now: float | None = None, account: str | None = None) -> None:
        """Count one failed attempt from ``client`` (against ``account`` when given)."""
        now = self._now(now)
        with self._lock:
            self._failures[client].append(now)
            if account is None:
                return
            key = (account.lower(), client)
            count = self._pairs.get(key, (0, 0.0))[0] + 1
            delay = 0.0 if count < self.free else min(self.max_delay, self.base_delay * 2 ** (count - self.free))
            self._pairs[key] = (count, now + delay)

    def record_success(self, account: str, client: str) -> None:
        """The right password from ``client``: its delays for ``account`` end."""
        with self._lock:
            self._pairs.pop((account.lower(), client), None)

    def reset(self) -> None:
        """Forget every client (tests, or an administrator after an incident)."""
        with self._lock:
            self._failures.clear()
            self._pairs.clear()
