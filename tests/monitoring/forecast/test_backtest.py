"""The backtest on hand-built stories: a forecast that sees the stopped firm hits to the day; one that does not misses.

Story: 0 -> 1 -> 2 (each input essential, 4 days of stock everywhere), firm 0 stops from day 0 for good.  Firm 1
lives on its 4 days (engine days 0-3) and stops on day 4; firm 2 gets firm 1's last output on day 3's delivery,
then lives on 4 days: stops on day 8.
"""

from __future__ import annotations

import numpy as np

from chainkeeper.monitoring.forecast.backtest import backtest, run_story, total
from chainkeeper.network import Shock, SupplyNetwork

ESS = np.array([[0, 2, 0], [0, 0, 2], [0, 0, 0]])
NET = SupplyNetwork.from_edges([0, 1], [1, 2], [1.0, 1.0], [0, 1, 2], ESS, inventory_days=[4.0, 4.0])
STORY = [Shock(cut=1.0, firms=[0])]


def test_the_story_arithmetic():
    story = run_story(NET, STORY, 12)
    assert np.flatnonzero(story.level[:, 1] < 0.5)[0] == 4
    assert np.flatnonzero(story.level[:, 2] < 0.5)[0] == 8


def test_reports_from_every_firm_on_the_chain_forecast_the_stop_to_the_day():
    """Reports on days 0..6: firm 2 stops on day 8, i.e. 8 - d days after the report of day d (all within 14)."""
    scores = backtest(NET, STORY, range(7), key_firms=[2], reporters=[0, 1, 2], horizon=20, window=14)
    for name in ("90", "50"):
        s = total(scores)[name]
        assert (s.events, s.hits, s.false_alarms, s.mean_abs_error) == (7, 7, 0, 0.0)


def test_a_stopped_firm_that_does_not_report_is_missed_until_its_customer_runs_low():
    """Firm 0 does not report: the forecast assumes it at work, so firm 1's falling stock is all it sees.
    On days 0-2 firm 1 reports full output and 3, 2, 1 days left: the forecast lets firm 0 refill them, so no
    stop is forecast (misses).  On day 3 firm 1 reports 0 days left: the forecast has it stop for a day before
    firm 0's deliveries return, which reaches firm 2 late (a hit, 3 days late); from day 4 firm 1 reports 0%
    output and the forecast is exact."""
    scores = backtest(NET, STORY, range(7), key_firms=[2], reporters=[1, 2], horizon=20, window=14)
    assert [s["50"].hits for s in scores] == [0, 0, 0, 1, 1, 1, 1]
    assert [s["50"].abs_error_sum for s in scores] == [0, 0, 0, 3, 0, 0, 0]
    s = total(scores)["50"]
    assert (s.events, s.hits, s.misses, s.false_alarms) == (7, 4, 3, 0)
