"""The forecast's part of the demo: the backtest over the April 2022 reports and a forecast on the last report day."""

from __future__ import annotations

import numpy as np
from sqlalchemy import Engine, func, select

from chainkeeper.analysis.loader import load_registry_network
from chainkeeper.audit.actor import SYSTEM
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work

from . import backtest as bt
from . import service
from .evaluation import FIRST_REPORT, LAST_REPORT, STORY_START, reporters_of, run_backtest, story_shocks, story_state
from .models import ForecastLine


def create_demo_forecast(engine: Engine) -> dict[str, int]:
    """Backtest 2022-04-11..24 and forecast from the reports of the first and the last report day (the story's own
    reports when none are stored), so that the page shows the last day and the red/yellow list of the first."""
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
        key_ids = service.key_enterprise_ids(session, LAST_REPORT)
        run_backtest(session=session, loaded=loaded, key_ids=key_ids)
        firm_of = {int(e): i for i, e in enumerate(loaded.enterprise_ids)}
        keys = np.array(sorted(firm_of[e] for e in key_ids if e in firm_of), dtype=np.int64)
        story = bt.run_story(loaded.network, story_shocks(), (LAST_REPORT - STORY_START).days + 1)
        runs = []
        for day in (FIRST_REPORT, LAST_REPORT):
            state = None
            if not service.report_values(session, day):  # the daily reports are not loaded: report the story
                state = story_state(loaded, story, (day - STORY_START).days, reporters_of(loaded, keys))
            runs.append(service.forecast(session=session, caller=Caller(None, SYSTEM), made_on=day, state=state,
                                         loaded=loaded).id)
        lines = session.scalar(select(func.count()).select_from(ForecastLine).where(ForecastLine.run_id.in_(runs)))
    return {"forecast lines": int(lines), "forecast backtests": 1}
