"""Migration 0029: the links lists' order (largest annual value first, then id) is served by an index, so a page of
links is read from an index walk instead of sorting every link (issue 15)."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_tables_match_models
from sqlalchemy import inspect, select, text

from chainkeeper.db import downgrade, make_engine, upgrade
from chainkeeper.registry.link_rows import LARGEST_FIRST
from chainkeeper.registry.models import SupplyLink
from db_templates import migrated_sqlite

FIRST_PAGE = select(SupplyLink.id).order_by(*LARGEST_FIRST).limit(50)


def _plan(connection, query) -> str:
    compiled = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
    return "\n".join(str(row[-1]) for row in connection.execute(text(explain + compiled)))


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_a_page_of_links_walks_the_order_index(engine):
    assert_tables_match_models(engine, ("supply_link",))
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET enable_seqscan = off"))  # an empty table: make the plan show the index
        plan = _plan(connection, FIRST_PAGE)
    assert "ix_supply_link_value_id" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_the_order_index_goes_down_and_up(tmp_path):
    url = migrated_sqlite(tmp_path / "migration.db")
    engine = make_engine(url)
    try:
        names = lambda: {index["name"] for index in inspect(engine).get_indexes("supply_link")}  # noqa: E731
        assert "ix_supply_link_value_id" in names()
        downgrade(engine, "0028_deskcounts")
        assert "ix_supply_link_value_id" not in names()
        upgrade(engine, "head")
        assert "ix_supply_link_value_id" in names()
    finally:
        engine.dispose()
