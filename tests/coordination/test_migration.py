"""Migrations 0009–0010 build exactly the desk's models, on both databases."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_tables_match_models

DESK_TABLES = ("desk_case", "desk_case_event", "desk_case_comment", "desk_case_attachment", "desk_letter",
               "desk_routing")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_desk_tables_match_their_models(engine):
    assert_tables_match_models(engine, DESK_TABLES)


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_desk_counters_match_their_model_and_go_down_and_up(engine, tmp_path):
    """Migration 0028: the counters' table as modelled; down to 0027 drops it (and its triggers), up restores it."""
    from migration_checks import assert_down_and_up_from_head

    assert_tables_match_models(engine, ("desk_case_count",))
    if engine.dialect.name == "sqlite":
        assert_down_and_up_from_head(tmp_path, ("desk_case_count",), "0027_escalated")
