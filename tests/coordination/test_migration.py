"""Migrations 0009–0010 build exactly the desk's models, on both databases."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_tables_match_models

DESK_TABLES = ("desk_case", "desk_case_event", "desk_case_comment", "desk_case_attachment", "desk_letter",
               "desk_routing")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_desk_tables_match_their_models(engine):
    assert_tables_match_models(engine, DESK_TABLES)
