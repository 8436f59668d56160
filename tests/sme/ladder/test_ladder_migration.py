"""Migration 0025_ladder builds exactly the ladder's models, on both databases, and can be undone."""

from migration_checks import assert_down_and_up_from_head, assert_tables_match_models

TABLES = ("sme_ladder_application", "sme_ladder_recognition")


def test_the_ladder_tables_match_their_models(engine):
    assert_tables_match_models(engine, TABLES)


def test_the_migration_goes_down_and_up(tmp_path):
    assert_down_and_up_from_head(tmp_path, TABLES, previous="0021_board")
