"""Issue 10 #15: everything the platform writes into its data directory is private to its user, whatever the
umask: folders 0700; the SQLite database with its WAL and shm files, signing keys, attachments and audit
checkpoints 0600."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.anchor import write_checkpoint
from chainkeeper.audit.service import record
from chainkeeper.config import get_settings
from chainkeeper.core.keys import default_keys_dir, generate_key
from chainkeeper.db import configured_engine, unit_of_work
from chainkeeper.whitelist.attachments import store


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(previous)


def test_data_directory_and_files_are_private(tmp_path, monkeypatch, loose_umask):
    data_dir = tmp_path / "srv" / "chainkeeper-data"
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CHAINKEEPER_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        generate_key(default_keys_dir())
        engine = configured_engine()
        with unit_of_work(engine) as session:
            record(session=session, actor=Actor(None, "test"), action="test", object_type="x", object_id=1)
            store(session=session, filename="plan.pdf", content_type="application/pdf", data=b"%PDF-1.4 plan")
            write_checkpoint(session=session)
        with engine.connect() as connection:  # the WAL and shm files exist while a connection is open
            connection.execute(text("SELECT 1"))
            found = {path.relative_to(data_dir).as_posix(): stat.S_IMODE(path.stat().st_mode)
                     for path in [data_dir, *data_dir.rglob("*")]}
        engine.dispose()
    finally:
        get_settings.cache_clear()
    assert {"chainkeeper.db", "chainkeeper.db-wal", "chainkeeper.db-shm", "audit-checkpoints.jsonl", "keys"} <= set(found)
    assert [name for name in found if name.startswith("attachments/")]
    loose = {name: oct(mode) for name, mode in found.items()
             if mode != (0o700 if (data_dir / name).is_dir() else 0o600)}
    assert loose == {}
