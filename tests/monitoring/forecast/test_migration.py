"""Migration 0016_forecast builds exactly the forecast's models, on both databases, and can be undone."""

import pytest
from migration_checks import EXPRESSION_INDEX_WARNING, assert_down_and_up_from_head, assert_tables_match_models

TABLES = ("forecast_run", "forecast_line", "forecast_backtest")


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_forecast_tables_match_their_models(engine):
    assert_tables_match_models(engine, TABLES)


def test_the_migration_goes_down_and_up(tmp_path):
    assert_down_and_up_from_head(tmp_path, TABLES, previous="0016_forecast-1")
