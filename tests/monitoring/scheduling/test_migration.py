"""The hand-written migration 0015 matches the models, and goes down and up again."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up, assert_tables_match_models

TABLES = {"monitored_group", "monitored_member", "scheduling_problem_case"}


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_models_match_the_migration(engine):
    assert_tables_match_models(engine, TABLES)


def test_downgrade_and_upgrade_again(tmp_path):
    assert_down_and_up(f"sqlite:///{tmp_path / 'fresh.db'}", TABLES, previous="-1", revision="0015_scheduling")
