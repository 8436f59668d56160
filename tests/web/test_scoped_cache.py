"""The pages' scoped cache (issue 15): an aggregate is reused until a write is committed — in this process or in
another one sharing the data directory — and never stored from a transaction that wrote itself."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from chainkeeper.config import get_settings
from chainkeeper.core import data_epoch
from chainkeeper.db import make_engine
from chainkeeper.web.pages.scoped_cache import ScopedCache


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "thing"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    engine = make_engine(f"sqlite:///{tmp_path / 'things.db'}")  # with the project's savepoint-safe SQLite setup
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def count(engine, cache: ScopedCache) -> int:
    """How many things, through the cache (a fresh request's session each time)."""
    with Session(engine) as session:
        return cache.get(session, "things", 60.0, lambda: session.scalar(select(func.count()).select_from(Thing)))


def add(engine, name: str) -> None:
    with Session(engine) as session, session.begin():
        session.add(Thing(name=name))


def test_a_cached_count_is_reused_until_a_write_is_committed(engine):
    cache = ScopedCache()
    assert count(engine, cache) == 0
    with Session(engine) as session, session.begin():  # another request writes and rolls back: nothing changed
        session.add(Thing(name="dropped"))
        session.flush()
        session.rollback()
    assert count(engine, cache) == 0
    with engine.begin() as connection:  # a write outside any session ends it too
        connection.execute(Thing.__table__.insert().values(name="raw"))
    assert count(engine, cache) == 1
    add(engine, "one")
    assert count(engine, cache) == 2


def test_a_write_in_another_process_ends_the_cached_value(engine, tmp_path):
    cache = ScopedCache()
    assert count(engine, cache) == 0
    with sqlite3.connect(engine.url.database) as other:  # another process's write: unseen by this one's engine
        other.execute("INSERT INTO thing (name) VALUES ('raw')")
    assert count(engine, cache) == 0  # still cached
    environment = {**os.environ, "CHAINKEEPER_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "from chainkeeper.core import data_epoch; data_epoch.bump()"],
                   env=environment, check=True)
    assert count(engine, cache) == 1


def test_a_transaction_that_wrote_does_not_fill_the_cache(engine):
    cache = ScopedCache()
    with Session(engine) as session:
        session.add(Thing(name="uncommitted"))
        session.flush()
        assert cache.get(session, "things", 60.0, lambda: session.scalar(
            select(func.count()).select_from(Thing))) == 1
        session.rollback()
    assert count(engine, cache) == 0


def test_a_savepoint_released_is_not_the_commit(engine):
    """Releasing a savepoint must not bump the epoch before the transaction commits (nor forget that it wrote)."""
    with Session(engine) as session:
        with session.begin_nested():
            session.add(Thing(name="nested"))
        before = data_epoch.current()
        session.commit()
    assert data_epoch.current() != before


def test_the_data_epoch_keeps_a_write_through_a_savepoints_rollback_and_drops_it_with_the_transaction(engine):
    """The savepoint rules of the shared commit hook (``SharedEpoch.bump_after_commit``) for the data epoch: a
    released savepoint bumps nothing yet; a savepoint rolled back keeps what was written before it; the whole
    transaction rolled back forgets the write, so a later read-only commit bumps nothing."""
    with Session(engine) as session:
        with session.begin_nested():
            session.add(Thing(name="nested"))
        before = data_epoch.current()
        session.rollback()  # the whole transaction: the released savepoint's write is gone
        session.scalar(select(func.count()).select_from(Thing))
        session.commit()
        assert data_epoch.current() == before, "bumped for a write that was rolled back"

        session.add(Thing(name="kept"))
        session.flush()
        savepoint = session.begin_nested()
        session.add(Thing(name="dropped"))
        session.flush()
        savepoint.rollback()
        assert data_epoch.current() == before, "bumped before the commit"
        session.commit()
    assert data_epoch.current() != before, "the write before the savepoint was forgotten"
    with Session(engine) as session:
        assert session.scalars(select(Thing.name)).all() == ["kept"]
