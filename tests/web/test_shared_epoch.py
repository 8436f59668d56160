"""Reading a shared epoch (every signed-in request reads the revocation epoch, every transaction the data epoch)
costs one ``stat`` of a path joined once per configured data directory, not a ``Path`` built per read (issue 15),
and still follows a change of the data directory."""

from __future__ import annotations

import os

from chainkeeper.config import get_settings
from chainkeeper.core import shared_epoch
from chainkeeper.core.shared_epoch import SharedEpoch


def test_reading_the_epoch_builds_no_path(monkeypatch):
    epoch = SharedEpoch("test-epoch")
    epoch.bump()
    first = epoch.current()
    built = []
    real = shared_epoch.Path
    monkeypatch.setattr(shared_epoch, "Path", lambda *parts: built.append(parts) or real(*parts))
    assert [epoch.current() for _ in range(3)] == [first] * 3
    assert built == []


def test_the_epoch_follows_the_configured_data_directory(monkeypatch, tmp_path):
    epoch = SharedEpoch("test-epoch")
    epoch.bump()
    before = epoch.current()
    assert before[1] is not None and epoch.path() == get_settings().data_dir / "test-epoch"
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert epoch.current() == (before[0], None)  # no file in the new directory yet
        epoch.bump()
        assert os.path.exists(tmp_path / "test-epoch") and epoch.path() == tmp_path / "test-epoch"
        assert epoch.current()[1] is not None and epoch.current() != before
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
