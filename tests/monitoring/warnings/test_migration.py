"""Migration 0018_warnings builds exactly the early-warning models, on both databases, and can be undone."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up_from_head, assert_tables_match_models

TABLES = ("warning_rule", "early_warning", "early_warning_link")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_warning_tables_match_their_models(engine):
    assert_tables_match_models(engine, TABLES)


def test_the_migration_goes_down_and_up(tmp_path):
    assert_down_and_up_from_head(tmp_path, TABLES, previous="0015_scheduling")
