"""The pages' scoped cache (issue 15): an aggregate is reused until a write is committed — in this process or in
another one sharing the data directory — and never stored from a transaction that wrote itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import Integer, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from chainkeeper.config import get_settings
from chainkeeper.core import data_epoch
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
    engine = create_engine(f"sqlite:///{tmp_path / 'things.db'}")
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
    with engine.begin() as connection:  # a write outside any session is not seen (the time to live bounds it)
        connection.execute(Thing.__table__.insert().values(name="raw"))
    assert count(engine, cache) == 0
    add(engine, "one")
    assert count(engine, cache) == 2


def test_a_write_in_another_process_ends_the_cached_value(engine, tmp_path):
    cache = ScopedCache()
    assert count(engine, cache) == 0
    with engine.begin() as connection:
        connection.execute(Thing.__table__.insert().values(name="raw"))
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
