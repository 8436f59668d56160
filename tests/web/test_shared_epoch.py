"""Reading a shared epoch (every signed-in request reads the revocation epoch, every transaction the data epoch)
costs one read of the shared file's first line, at a path joined once per configured data directory, not a ``Path``
built per read (issue 15), still follows a change of the data directory, and sees every bump of another process,
also two within one clock tick on a reused inode (where a ``stat`` sees nothing change)."""

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


def _replace_in_place(source, target):
    """``os.replace`` as the worst case of a real one: the new line lands on the old inode, its mtime unchanged (two
    bumps within one clock tick, the inode freed by the first reused by the second)."""
    kept = os.stat(target)
    with open(source, "rb") as new, open(target, "r+b") as old:
        old.write(new.read())
        old.truncate()
    os.unlink(source)
    os.utime(target, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (os.stat(target).st_ino, os.stat(target).st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)


def test_a_bump_of_another_process_within_one_clock_tick_is_seen(monkeypatch):
    reader, other_worker = SharedEpoch("test-epoch-tick"), SharedEpoch("test-epoch-tick")
    monkeypatch.setattr(shared_epoch.time, "time_ns", lambda: 1_700_000_000_000_000_000)  # one tick: a frozen clock
    other_worker.bump()
    before, size = reader.current(), os.path.getsize(reader.path())
    monkeypatch.setattr(shared_epoch.os, "replace", _replace_in_place)
    other_worker.bump()
    assert os.path.getsize(reader.path()) == size, "the same size: the file's stat is unchanged"
    seen = reader.current()
    assert seen != before, "another worker's bump was missed"
    other_worker.bump()
    assert reader.current() not in (before, seen) and reader.current()[0] == before[0], "the second was missed"
