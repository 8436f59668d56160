"""Migration 0021_board builds exactly the board's models, on both databases, and can be undone."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up_from_head, assert_tables_match_models

TABLES = ("board_listing", "board_need", "board_gram", "board_thread", "board_message", "board_event",
          "board_participant", "board_match")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_board_tables_match_their_models(engine):
    assert_tables_match_models(engine, TABLES)


def test_the_migration_goes_down_and_up(tmp_path):
    assert_down_and_up_from_head(tmp_path, TABLES, previous="0020_docking")
