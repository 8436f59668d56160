"""Migration 0020_docking builds exactly the docking models, on both databases, and can be undone."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up_from_head, assert_tables_match_models

TABLES = ("docking_category", "docking_good", "docking_requisition", "docking_need", "docking_plan", "docking_plan_line")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_docking_tables_match_their_models(engine):
    assert_tables_match_models(engine, TABLES)


def test_the_migration_goes_down_and_up(tmp_path):
    assert_down_and_up_from_head(tmp_path, TABLES, previous="0015_scheduling")
