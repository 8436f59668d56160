"""The in-process scheduler: when the platform serves, the desk's clock ticks in a background thread.

Several worker processes each run one; the tick is safe to run concurrently (see :mod:`.tick`). Deployments that
prefer cron set ``CHAINKEEPER_DESK_TICK_SECONDS=0`` and run ``chainkeeper desk tick`` instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager

from sqlalchemy.engine import Engine

from chainkeeper.coordination.tick import run_tick
from chainkeeper.db import checkpoint

log = logging.getLogger(__name__)


class DeskClock:
    """Runs ``job(engine)`` (by default the desk's :func:`run_tick`) every ``period`` seconds until stopped."""

    def __init__(self, engine: Engine, period: float, job: Callable | None = None, name: str = "desk-clock"):
        self.engine, self.period, self.job = engine, period, job or run_tick
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.runs = 0

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                report = self.job(self.engine)
                checkpoint(self.engine)  # SQLite: keep the WAL from holding disk space between big writes
                self.runs += 1
                if getattr(report, "errors", None):
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


def clock_lifespan(period: int, checkpoint_period: int = 0):
    """A FastAPI lifespan that runs the desk clock (``period`` 0 = none) with the monthly briefings' schedule
    (:mod:`chainkeeper.monitoring.briefing.schedule`) and the audit log's signed checkpoints
    (``checkpoint_period`` 0 = none, see :mod:`chainkeeper.audit.anchor`) while the app serves."""
    from chainkeeper.audit.anchor import checkpoint_job
    from chainkeeper.monitoring.briefing.schedule import briefing_clock_job

    @asynccontextmanager
    async def lifespan(app):
        clocks = [DeskClock(app.state.engine, period).start()] if period > 0 else []
        if period > 0:  # last month's briefings from the 3rd: checked every ten desk periods (cheap when done)
            clocks.append(DeskClock(app.state.engine, period * 10, briefing_clock_job, "briefing-clock").start())
        if checkpoint_period > 0:
            clocks.append(DeskClock(app.state.engine, checkpoint_period, checkpoint_job, "audit-anchor").start())
        try:
            yield
        finally:
            for clock in clocks:
                clock.stop()

    return lifespan
