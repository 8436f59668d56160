"""The analysis part of the demo: the April 2022 scenario (Shanghai's plants −90% for 30 days) as a kept result."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from chainkeeper.analysis import runs
from chainkeeper.analysis.scenario import ScenarioSpec
from chainkeeper.audit.actor import SYSTEM
from chainkeeper.db import unit_of_work

APRIL_2022 = ScenarioSpec(cut=0.9, duration=30, horizon_days=45, regions=("31",), rationing="priority",
                          on=date(2022, 4, 1))
"""The story's scenario, as :func:`chainkeeper.demo.story.shanghai_lockdown` runs it."""
TITLE = "上海 2022年4月：停产 30 天（−90%）"


def create_demo_runs(engine: Engine) -> dict[str, int]:
    """Run the April 2022 scenario and keep it, shared with every user of the workspace."""
    with unit_of_work(engine) as session:
        run_id = runs.create_run(session=session, principal=None, actor=SYSTEM, spec=APRIL_2022, title=TITLE).id
    runs.run_now(engine, run_id)
    return {"analysis runs": 1}
