"""The PostgreSQL connection pool keeps the connections it opened (issue 15, lane ``deskpool``).

With SQLAlchemy's default pool (5 kept + 10 overflow) a worker serving 10–12 requests at once closed every connection
above the fifth when it was given back and opened a new one for the next burst: a new PostgreSQL backend process
and a SCRAM login each time, several per second under the desk's load, costing as much CPU as the requests. The
tests count the backends from PostgreSQL's side (``pg_backend_pid()``, ``pg_stat_activity``): bursts of concurrent
transactions, each holding its connection until all have one (as concurrent requests do), must reuse the
backends the first burst opened.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, text

from chainkeeper.config import get_settings
from chainkeeper.db import make_engine, unit_of_work

CONCURRENT = 12
"""Transactions at once: what one of two workers serves with the desk benchmark's 20 users (and above 5 + 0)."""
BURSTS = 3


@pytest.fixture
def postgres_url(migrated_engines) -> str:
    """The URL of a migrated PostgreSQL test database (skipped without CHAINKEEPER_TEST_POSTGRES_URL)."""
    return migrated_engines("postgresql").url.render_as_string(hide_password=False)


def backends_of_bursts(engine: Engine, concurrent: int, bursts: int = BURSTS) -> set[int]:
    """The backend pids that served ``bursts`` bursts of ``concurrent`` transactions, each burst all at once."""
    seen: set[int] = set()
    for _ in range(bursts):
        barrier = threading.Barrier(concurrent)

        def transaction(_index: int) -> int:
            with unit_of_work(engine) as session:
                pid = session.scalar(text("SELECT pg_backend_pid()"))
                barrier.wait(timeout=60)  # every transaction holds its connection until all have one
                return pid

        with ThreadPoolExecutor(concurrent) as threads:
            seen |= set(threads.map(transaction, range(concurrent)))
    return seen


def alive(engine: Engine, pids: set[int]) -> int:
    """How many of ``pids`` are still connected backends."""
    with engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                                 {"pids": sorted(pids)})


def test_bursts_of_concurrent_transactions_reuse_the_backends_the_first_one_opened(postgres_url):
    engine = make_engine(postgres_url)  # the serving processes' pool (default settings)
    try:
        pids = backends_of_bursts(engine, CONCURRENT)
        assert len(pids) == CONCURRENT, f"{len(pids)} backends started for {BURSTS} bursts of {CONCURRENT}"
        assert alive(engine, pids) == CONCURRENT  # all kept open, ready for the next burst
    finally:
        engine.dispose()


def test_the_pool_size_setting_bounds_the_connections_kept(postgres_url, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_DB_POOL_SIZE", "3")
    monkeypatch.setenv("CHAINKEEPER_DB_MAX_OVERFLOW", "2")
    get_settings.cache_clear()
    try:
        engine = make_engine(postgres_url)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    try:
        pids = backends_of_bursts(engine, 5, bursts=1)
        assert len(pids) == 5  # 3 kept + 2 for the burst
        assert alive(engine, pids) == 3  # the burst's two extra connections were closed when given back
    finally:
        engine.dispose()
