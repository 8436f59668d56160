"""The hand-written migration 0015 matches the models, and goes down and up again."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from chainkeeper.db import Base, alembic_config, make_engine

TABLES = {"monitored_group", "monitored_member", "scheduling_problem_case"}


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_models_match_the_migration(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata)
                       if any(f"'{table}'" in repr(d) or f"{table}." in repr(d) for table in TABLES)]
    assert differences == []


def _migrate(engine, step, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)


def test_downgrade_and_upgrade_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        _migrate(engine, command.upgrade, "0015_scheduling")
        assert TABLES <= set(inspect(engine).get_table_names())
        _migrate(engine, command.downgrade, "-1")
        assert not TABLES & set(inspect(engine).get_table_names())
        _migrate(engine, command.upgrade, "0015_scheduling")
        assert TABLES <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
