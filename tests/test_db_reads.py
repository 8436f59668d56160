"""A read request on PostgreSQL sends its statements alone (issue 15, lane ``reqpath``).

It paid four round trips for one statement: the pool's pre-ping, ``BEGIN``, the statement, ``COMMIT``. Reads now run
in autocommit (READ COMMITTED took a new snapshot per statement anyway) and a connection is pinged only after an idle
spell. Checked from the driver: the transaction status after each statement (``IDLE``: no BEGIN was sent, no COMMIT
is owed), the pings; and what must not change: a read request's write is still one transaction, ``FOR UPDATE`` and
textual SQL still run inside one, the data epoch still bumps, a connection the database dropped is replaced.
"""

from __future__ import annotations

import pytest
from accounts_fixture import PASSWORD, login
from conftest import clear_data
from fastapi.testclient import TestClient
from psycopg.pq import TransactionStatus
from sqlalchemy import event, select, text
from sqlalchemy.engine.cursor import CursorResultMetaData
from sqlalchemy.exc import OperationalError

from chainkeeper import db_reads
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.core import data_epoch
from chainkeeper.db import make_engine, session_factory, unit_of_work
from chainkeeper.db_reads import reading
from chainkeeper.web.app import create_app
from chainkeeper.web.json_api import KEPT_ANSWERS


@pytest.fixture
def postgres(migrated_engines):
    engine = migrated_engines("postgresql")
    clear_data(engine)
    yield engine
    clear_data(engine)


@pytest.fixture
def statuses(postgres):
    """The driver's transaction status right after each statement run on ``postgres``."""
    seen: list[TransactionStatus] = []

    def note(_connection, cursor, *_args) -> None:
        seen.append(cursor.connection.info.transaction_status)

    event.listen(postgres, "after_cursor_execute", note)
    yield seen
    event.remove(postgres, "after_cursor_execute", note)


@pytest.fixture
def pings(postgres, monkeypatch):
    """Every ping of a pooled connection."""
    seen: list[object] = []
    real = postgres.dialect.do_ping
    monkeypatch.setattr(postgres.dialect, "do_ping", lambda connection: seen.append(connection) or real(connection))
    return seen


def _user(session, username: str) -> User:
    return create_user(session=session, username=username, password=PASSWORD, display_name="部协调员",
                       roles={Role.ministry})


@pytest.mark.parametrize("path", ["/api/v1/desk/cases", "/desk", "/api/v1/enterprises", "/enterprises"])
def test_a_read_request_sends_its_statements_without_begin_commit_or_ping(postgres, statuses, pings, path):
    with unit_of_work(postgres) as session:
        _user(session, "coordinator")
    client = TestClient(create_app(engine=postgres))
    login(client, "coordinator")
    assert client.get(path).status_code == 200
    KEPT_ANSWERS.clear()
    statuses.clear()
    pings.clear()
    data_epoch.bump()  # nothing kept: the page reads the database
    assert client.get(path).status_code == 200
    assert statuses and set(statuses) == {TransactionStatus.IDLE}, statuses
    assert pings == []


def test_a_write_in_a_read_session_is_one_transaction(postgres, statuses):
    epoch = data_epoch.current()
    with pytest.raises(RuntimeError), session_factory(reading(postgres))() as session:
        assert session.scalar(select(User.id).limit(1)) is None
        _user(session, "first")
        _user(session, "second")
        session.flush()
        raise RuntimeError("the route failed after writing")
    began = statuses.index(TransactionStatus.INTRANS)  # the reads before the first write: no transaction …
    assert began > 0 and set(statuses[:began]) == {TransactionStatus.IDLE}
    assert set(statuses[began:]) == {TransactionStatus.INTRANS}  # … the writes and all after: one
    with unit_of_work(postgres) as session:
        assert session.scalars(select(User.username)).all() == []  # both rolled back
    assert data_epoch.current() == epoch
    with session_factory(reading(postgres))() as session:
        _user(session, "kept")
        session.commit()
    assert data_epoch.current() != epoch  # the committed write ends the kept pages
    with unit_of_work(postgres) as session:
        assert session.scalars(select(User.username)).all() == ["kept"]


@pytest.mark.parametrize("statement", [select(User.id).with_for_update(), text("SELECT 1"),
                                       select(User.id).execution_options(stream_results=True)])
def test_locks_textual_sql_and_server_side_cursors_run_in_a_transaction(postgres, statuses, statement):
    with session_factory(reading(postgres))() as session:
        session.execute(select(User.id)).all()
        session.execute(statement).all()
        assert statuses == [TransactionStatus.IDLE, TransactionStatus.INTRANS]
        session.commit()


def test_a_connection_is_pinged_only_after_an_idle_spell(postgres, pings, monkeypatch):
    with postgres.connect() as connection:
        connection.execute(text("SELECT 1"))
    with postgres.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert pings == []
    monkeypatch.setattr(db_reads, "IDLE_PING_SECONDS", -1.0)
    with postgres.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert len(pings) == 1


def test_a_connection_the_database_dropped_is_replaced(postgres, monkeypatch):
    engine = make_engine(postgres.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0)
    try:
        pid = _backend(engine)
        _terminate(postgres, pid)
        monkeypatch.setattr(db_reads, "IDLE_PING_SECONDS", -1.0)  # idle: the ping finds it dead, a new one serves
        assert _backend(engine) != pid
        monkeypatch.setattr(db_reads, "IDLE_PING_SECONDS", 3600.0)
        pid = _backend(engine)
        _terminate(postgres, pid)
        with pytest.raises(OperationalError) as failed:  # used a moment ago: its statement fails (a 503) …
            _backend(engine)
        assert failed.value.connection_invalidated
        assert _backend(engine) != pid  # … and the next request has a new connection
    finally:
        engine.dispose()


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def _terminate(engine, pid: int) -> None:
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})  # waits for its end


def test_a_cached_statement_built_again_keeps_its_result_keys(engine, monkeypatch):
    """Two equal statements (prebuilt per principal): the second one's result is not re-keyed by its own columns."""
    rekeyed = []
    real = CursorResultMetaData._adapt_to_context
    monkeypatch.setattr(CursorResultMetaData, "_adapt_to_context",
                        lambda metadata, context: rekeyed.append(context) or real(metadata, context))
    with unit_of_work(engine) as session:
        _user(session, "coordinator")
    for _ in range(2):
        statement = select(User.id, User.username.label("name")).where(User.username == "coordinator")
        with session_factory(reading(engine))() as session:
            row = session.connection().execute(statement).one()
        assert row.name == row[1] == "coordinator" and row._mapping["id"] == row[0]
    assert rekeyed == []
