"""What ``/health`` reports: the database answers, and the disk that holds the data has room left."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, text

from chainkeeper import __version__
from chainkeeper.config import Settings


def data_path(engine: Engine, settings: Settings) -> Path:
    """The directory whose disk fills up first: the SQLite file's, else the data directory (keys, attachments)."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return Path(engine.url.database).resolve().parent
    return Path(settings.data_dir)


def disk_report(path: Path, threshold_mb: int) -> dict:
    """Free space of the disk under ``path`` (the nearest existing directory) against the threshold."""
    while not path.exists() and path != path.parent:
        path = path.parent
    free = shutil.disk_usage(path).free
    threshold = threshold_mb * 1024 * 1024
    return {"free_bytes": free, "threshold_bytes": threshold, "ok": free >= threshold}


def health_report(engine: Engine, settings: Settings) -> dict:
    """``status`` is ``ok``, or ``low_disk`` while less than ``min_free_disk_mb`` is free (the database error of an
    unreachable database propagates: the web answers it with 503)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    disk = disk_report(data_path(engine, settings), settings.min_free_disk_mb)
    return {"status": "ok" if disk["ok"] else "low_disk", "version": __version__, "database": "ok", "disk": disk}


FRESH_SECONDS = 1.0
"""How long a healthy answer is reused: a probe at most once a second per process, however often it is asked."""


class HealthProbe:
    """:func:`health_report` with a healthy answer reused for :data:`FRESH_SECONDS` (issue 15: ``/health`` is asked
    by every load balancer and monitor; it need not open a connection each time). A failing database is never
    remembered: while it is down every call probes it again and raises."""

    def __init__(self, engine: Engine, fresh: float = FRESH_SECONDS):
        self.engine, self.fresh = engine, fresh
        self._answer: tuple[float, dict] | None = None
        self._lock = threading.Lock()

    def cached(self) -> dict | None:
        """The last healthy answer while it is fresh, else None (then call :meth:`probe`, off the event loop)."""
        found = self._answer
        return found[1] if found is not None and time.monotonic() - found[0] < self.fresh else None

    def probe(self, settings: Settings) -> dict:
        """Ask the database and the disk now (blocking I/O)."""
        report = health_report(self.engine, settings)
        with self._lock:
            self._answer = (time.monotonic(), report)
        return report
