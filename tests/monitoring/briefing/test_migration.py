"""Migration 0019_briefings builds the briefings' model, on both databases, and can be undone."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up_from_head, assert_tables_match_models

TABLES = ("briefing",)


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_briefing_table_matches_its_model(engine):
    assert_tables_match_models(engine, TABLES)


def test_the_migration_goes_down_and_up(tmp_path):
    assert_down_and_up_from_head(tmp_path, TABLES, previous="0018_warnings")
