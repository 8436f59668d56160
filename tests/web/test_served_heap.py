"""The served application keeps its start-up heap out of the garbage collector's full collections (issue 15)."""

from __future__ import annotations

import gc

from chainkeeper.config import get_settings
from chainkeeper.web.app import create_served_app


def test_the_served_app_freezes_what_start_up_made(tmp_path, monkeypatch):
    """A full collection walked every object start-up made (~450,000 in the served app) every few hundred requests;
    after ``create_served_app`` they are frozen, and a full collection no longer finds them to walk."""
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CHAINKEEPER_DATABASE_URL", raising=False)
    monkeypatch.setenv("CHAINKEEPER_DESK_TICK_SECONDS", "0")
    get_settings.cache_clear()
    gc.unfreeze()
    try:
        app = create_served_app()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000, frozen  # the routes, mappers and modules the served app holds
        assert app.routes  # frozen, still serving
        app.state.engine.dispose()
    finally:
        gc.unfreeze()
        get_settings.cache_clear()
