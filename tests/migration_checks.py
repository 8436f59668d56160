"""What every feature's ``test_migration.py`` checks of its hand-written migration, written once.

* :func:`assert_tables_match_models` — the tables of these models, as the migrations built them on this database,
  are what the models declare (Alembic's autogenerate comparison finds no difference that names them);
* :func:`assert_down_and_up` — on a database at ``revision``, downgrading to the previous revision drops the tables
  and upgrading again restores them.

Each feature's test module keeps its own test names and passes its tables and revisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from chainkeeper.db import Base, downgrade, make_engine, upgrade
from db_templates import migrated_sqlite

EXPRESSION_INDEX_WARNING = "ignore:.*expression-based index"
"""Alembic cannot compare expression-based indexes and says so; the tests that compare mark it as expected."""


def model_differences(engine: Engine, tables: Iterable[str]) -> list[str]:
    """Differences between the database behind ``engine`` and the models that name one of ``tables``."""
    tables = tuple(tables)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = [repr(difference) for difference in compare_metadata(context, Base.metadata)]
    names = [(f"'{table}'", f"{table}.", f"<{table}>") for table in tables]  # a table, a column, an index's column
    return [d for d in found if any(name in d for forms in names for name in forms)]


def assert_tables_match_models(engine: Engine, tables: Iterable[str]) -> None:
    """The tables ``tables`` on this (migrated) database are exactly what their models declare."""
    assert model_differences(engine, tables) == []


def assert_down_and_up(url: str, tables: Iterable[str], previous: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision``; downgrading to ``previous`` drops ``tables``, upgrading to
    ``revision`` again restores them. The database is left at ``revision``."""
    tables = set(tables)
    engine = make_engine(url)
    try:
        upgrade(engine, revision)
        assert tables <= set(inspect(engine).get_table_names())
        downgrade(engine, previous)
        assert not tables & set(inspect(engine).get_table_names())
        upgrade(engine, revision)
        assert tables <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def assert_down_and_up_from_head(tmp_path: Path, tables: Iterable[str], previous: str) -> None:
    """:func:`assert_down_and_up` on a copy of the run's migrated SQLite database (tests/db_templates.py), which
    is already at head: no need to run every migration again before going down."""
    assert_down_and_up(migrated_sqlite(tmp_path / "migration.db"), tables, previous)
