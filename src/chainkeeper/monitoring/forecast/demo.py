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
from .evaluation import LAST_REPORT, STORY_START, reporters_of, run_backtest, story_shocks, story_state
from .models import ForecastLine


def create_demo_forecast(engine: Engine) -> dict[str, int]:
    """Backtest 2022-04-11..24 and forecast from the reports of 2022-04-24 (the story's own when none are stored)."""
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
        key_ids = service.key_enterprise_ids(session, LAST_REPORT)
        run_backtest(session=session, loaded=loaded, key_ids=key_ids)
        state = None
        if not service.report_values(session, LAST_REPORT):  # the daily reports are not loaded: report the story
            firm_of = {int(e): i for i, e in enumerate(loaded.enterprise_ids)}
            keys = np.array(sorted(firm_of[e] for e in key_ids if e in firm_of), dtype=np.int64)
            day = (LAST_REPORT - STORY_START).days
            story = bt.run_story(loaded.network, story_shocks(), day + 1)
            state = story_state(loaded, story, day, reporters_of(loaded, keys))
        run = service.forecast(session=session, caller=Caller(None, SYSTEM), made_on=LAST_REPORT, state=state,
                               loaded=loaded)
        lines = session.scalar(select(func.count()).select_from(ForecastLine).where(ForecastLine.run_id == run.id))
    return {"forecast lines": int(lines), "forecast backtests": 1}
