"""The in-process scheduler: when the platform serves, the desk's clock ticks in a background thread.

Several worker processes each run one; the tick is safe to run concurrently (see :mod:`.tick`). Deployments that
prefer cron set ``CHAINKEEPER_DESK_TICK_SECONDS=0`` and run ``chainkeeper desk tick`` instead.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from sqlalchemy.engine import Engine

from chainkeeper.coordination.tick import run_tick
from chainkeeper.db import checkpoint

log = logging.getLogger(__name__)


class DeskClock:
    """Runs :func:`run_tick` every ``period`` seconds until stopped."""

    def __init__(self, engine: Engine, period: float):
        self.engine, self.period = engine, period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="desk-clock", daemon=True)
        self.runs = 0

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                report = run_tick(self.engine)
                checkpoint(self.engine)  # SQLite: keep the WAL from holding disk space between big writes
                self.runs += 1
                if report.errors:
                    log.warning("desk tick: %d problem(s), first: %s", len(report.errors), report.errors[0])
            except Exception:  # noqa: BLE001 - the clock must keep ticking
                log.exception("desk tick failed")

    def start(self) -> DeskClock:
        """Start ticking (the first tick after one period)."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current tick."""
        self._stop.set()
        self._thread.join(timeout)


def clock_lifespan(period: int):
    """A FastAPI lifespan that runs the desk clock while the app serves (``period`` 0 = no clock)."""

    @asynccontextmanager
    async def lifespan(app):
        clock = DeskClock(app.state.engine, period).start() if period > 0 else None
        try:
            yield
        finally:
            if clock is not None:
                clock.stop()

    return lifespan
