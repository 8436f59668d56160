"""The data epoch is ended by every committed write on the application's engines, however it was made (issue 15,
lane epoch): Core statements on a session's or a bare connection, ``text()`` and driver SQL, the driver's own
``COPY``, and the features' bulk paths (an import, the desk's counters); never by a rolled-back
write, a read, or a statement that changed no row. Main saw only the ORM's writes and the calls of ``wrote``."""

from __future__ import annotations

from pathlib import Path

import pytest
from coordination.desk_support import build_desk, parts_case
from sqlalchemy import delete, insert, select, text, update

from chainkeeper.coordination.case_counts import compact_counts
from chainkeeper.coordination.models import Case
from chainkeeper.core import data_epoch
from chainkeeper.db import bulk_insert, bulk_update, unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.whitelist.models import Category, WhiteList
from factories import enterprise_row

TABLE = Category.__table__
ROW = {"code": "t1", "name_zh": "测试", "name_en": "test", "position": 0}
SOURCE = Path(__file__).resolve().parents[2] / "src" / "chainkeeper"


def ends_epoch(call) -> bool:
    before = data_epoch.current()
    call()
    return data_epoch.current() != before


def _orm(session, _engine) -> None:
    session.add(Category(**ROW))


def _core_on_the_connection(session, _engine) -> None:
    session.connection().execute(insert(TABLE).values(ROW))


def _session_execute_text(session, _engine) -> None:
    session.execute(text("INSERT INTO wl_category (code, name_zh, name_en, position) VALUES ('t1', 'a', 'b', 0)"))


def _driver_sql(session, _engine) -> None:
    session.connection().exec_driver_sql(
        "INSERT INTO wl_category (code, name_zh, name_en, position) VALUES ('t1', 'a', 'b', 0)")


def _bulk_insert(session, _engine) -> None:
    bulk_insert(session.connection(), TABLE, [ROW])


WRITES = [_orm, _core_on_the_connection, _session_execute_text, _driver_sql, _bulk_insert]


@pytest.mark.parametrize("write", WRITES)
def test_a_committed_write_ends_the_epoch_and_a_rolled_back_one_does_not(engine, write):
    with unit_of_work(engine) as session:
        write(session, engine)
        session.flush()
        before = data_epoch.current()
        session.rollback()
    assert data_epoch.current() == before, "a rolled-back write ended the epoch"
    assert ends_epoch(lambda: _in_unit_of_work(engine, write))


def _in_unit_of_work(engine, write) -> None:
    with unit_of_work(engine) as session:
        write(session, engine)


def test_a_write_on_a_bare_connection_ends_the_epoch_when_committed(engine):
    with engine.connect() as connection:
        assert not ends_epoch(lambda: connection.execute(insert(TABLE).values(ROW)))  # not committed yet
        assert not ends_epoch(connection.rollback)
        connection.execute(insert(TABLE).values(ROW))
        assert ends_epoch(connection.commit)
    assert not ends_epoch(lambda: _write_and_close(engine))  # closed without a commit: rolled back


def _write_and_close(engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("DELETE FROM wl_category"))


def test_bulk_update_ends_the_epoch(engine):
    with unit_of_work(engine) as session:
        session.add(WhiteList(id=1, name="before"))
    assert ends_epoch(lambda: _in_unit_of_work(engine, lambda session, _e: bulk_update(
        session.connection(), WhiteList.__table__, [{"id": 1, "name": "after"}])))  # SQLite: the driver's cursor
    with unit_of_work(engine) as session:
        assert session.get(WhiteList, 1).name == "after"


def test_reads_and_writes_that_change_no_row_leave_the_epoch(engine):
    _in_unit_of_work(engine, _orm)

    def reads(session, _engine) -> None:
        session.scalars(select(Category)).all()
        session.get(Category, "t1")
        session.execute(text("SELECT count(*) FROM wl_category")).scalar()
        session.execute(select(Category).where(Category.code == "t1").with_for_update()).all()
        session.execute(text("WITH c AS (SELECT code FROM wl_category) SELECT * FROM c")).all()
        session.execute(update(TABLE).where(TABLE.c.code == "none").values(position=1))
        session.execute(delete(TABLE).where(TABLE.c.code == "none"))

    assert not ends_epoch(lambda: _in_unit_of_work(engine, reads))


def test_an_import_and_the_desks_counters_end_the_epoch(engine):
    assert ends_epoch(lambda: import_rows(engine, "enterprises", [enterprise_row() for _ in range(3)]))
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        parts_case(desk, session)
        parts_case(desk, session)
    with unit_of_work(engine) as session:
        assert session.scalar(select(Case.id).limit(1)) is not None
    assert ends_epoch(lambda: compact_counts(engine))  # main: text() statements, unseen


def test_only_known_modules_use_the_drivers_own_cursor():
    """Statements on the driver's own cursor bypass SQLAlchemy's events: each module doing so is listed here, and
    those that write mark their transaction with ``data_epoch.wrote``."""
    users = {str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py") if "driver_connection" in path.read_text()}
    assert users == {"db.py", "registry/importing/bulk_postgres.py", "registry/importing/bulk_write.py",
                     "registry/importing/lookups.py"}
    assert "data_epoch.wrote(connection)" in (SOURCE / "db.py").read_text()


def test_a_connection_lost_with_the_database_still_rolls_back(engine):
    """CI (fault injection, PostgreSQL restarted under load) saw 500s: the rollback of a connection whose DBAPI
    connection was lost asked for its ``info`` and raised instead of letting the 503 through."""
    with engine.connect() as connection:
        connection.execute(update(WhiteList).values(name=WhiteList.name))
        connection.invalidate()  # what SQLAlchemy does when the database goes away mid-transaction
        before = data_epoch.current()
        connection.rollback()
    assert data_epoch.current() == before
