"""Migration 0020_docking builds exactly the docking models, on both databases, and can be undone."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from chainkeeper.db import Base, alembic_config, make_engine, upgrade

TABLES = ("docking_category", "docking_good", "docking_requisition", "docking_need", "docking_plan", "docking_plan_line")


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_docking_tables_match_their_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = [repr(d) for d in compare_metadata(context, Base.metadata)]
    assert [d for d in found if any(f"'{table}'" in d for table in TABLES)] == []


def test_the_migration_goes_down_and_up(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    url = engine.url.render_as_string(hide_password=False)
    command.downgrade(alembic_config(url), "0015_scheduling")
    assert not set(TABLES) & set(inspect(engine).get_table_names())
    command.upgrade(alembic_config(url), "head")
    assert set(TABLES) <= set(inspect(engine).get_table_names())
    engine.dispose()
