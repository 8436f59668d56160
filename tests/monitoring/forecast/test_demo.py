"""The demo step on the hand-worked registry (A in Shanghai, so the April story's −90% hits it): the backtest is
kept, forecasts of 2022-04-11 and 04-24 exist; stored daily reports seed the forecasts and the backtest."""

from __future__ import annotations

from monitoring.forecast.support import forecast_registry, report_hand_worked_state
from sqlalchemy import select

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.forecast.demo import create_demo_forecast
from chainkeeper.monitoring.forecast.models import ForecastBacktest, ForecastRun


def test_demo_step_keeps_the_backtest_and_two_forecasts(engine):
    forecast_registry(engine)
    counts = create_demo_forecast(engine)
    assert counts["forecast backtests"] == 1
    with unit_of_work(engine) as session:
        runs = session.scalars(select(ForecastRun).order_by(ForecastRun.made_on)).all()
        assert [r.made_on.isoformat() for r in runs] == ["2022-04-11", "2022-04-24"]
        figures = session.scalars(select(ForecastBacktest)).one().figures
        assert figures["key_firms"] == 1 and figures["reporters"] == 3      # C, and its suppliers B and N
        assert len(figures["days"]) == 14 and figures["stored_report_days"] == 0
        # C falls in the story on 04-15 (B's 3 days of steel, then C's 10 days of harnesses); the forecasts of
        # 04-11 .. 04-14 see it coming: A does not report and is taken as working, so it refills B in part and
        # the forecasts are late by 0.75 days on average
        total = figures["total"]["50"]
        assert (total["events"], total["hits"], total["false_alarms"], total["mean_error"]) == (4, 4, 0, 0.75)


def test_stored_reports_seed_the_demo_forecasts(engine):
    ids = forecast_registry(engine)
    report_hand_worked_state(engine, ids)
    create_demo_forecast(engine)
    with unit_of_work(engine) as session:
        first = session.scalars(select(ForecastRun).order_by(ForecastRun.made_on)).first()
        assert first.n_reports == 3                                           # the stored reports, not the story
        figures = session.scalars(select(ForecastBacktest)).one().figures
        assert figures["stored_report_days"] == 14                           # 04-11 .. 04-24 read the reports
