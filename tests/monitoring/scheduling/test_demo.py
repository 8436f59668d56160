"""The demo's daily scheduling: key auto groups and two weeks of reports whose numbers are the engine's."""

from datetime import date

import numpy as np
import pytest
from sqlalchemy import func, select

from chainkeeper.analysis.demo import APRIL_2022
from chainkeeper.analysis.loader import load_registry_network
from chainkeeper.auth.demo import create_demo_users
from chainkeeper.db import unit_of_work
from chainkeeper.demo.generator import generate_economy
from chainkeeper.demo.service import load_economy
from chainkeeper.monitoring.scheduling import demo, service
from chainkeeper.monitoring.scheduling.models import MonitoredGroup, MonitoredMember
from chainkeeper.network import Shock, simulate
from chainkeeper.reporting.models import Report

KEYS = {"output_units", "output_value", "capacity_utilisation", "staff_on_site", "staff_normal", "inventory",
        "logistics", "problem"}


@pytest.fixture
def demo_world(sqlite_engine):
    load_economy(sqlite_engine, generate_economy(300, seed=7))
    with unit_of_work(sqlite_engine) as session:
        create_demo_users(session=session)
    counts = demo.create_demo_scheduling(sqlite_engine)
    return sqlite_engine, counts


def test_groups_and_two_weeks_of_reports(demo_world):
    engine, counts = demo_world
    with unit_of_work(engine) as session:
        n_groups = session.scalar(select(func.count()).select_from(MonitoredGroup))
        assert counts["key groups"] == n_groups == 3  # a 300-firm economy has 3 OEMs
        days = session.execute(select(func.min(Report.report_date), func.max(Report.report_date))).one()
        assert days == (date(2022, 4, 11), date(2022, 4, 24))
        reports = list(session.scalars(select(Report)))
        assert counts["daily reports"] == len(reports) > 0
        assert all(set(r.values) == KEYS for r in reports)
        members = session.scalar(select(func.count()).select_from(MonitoredMember))
        assert len(reports) < members * 14  # a few are missing
        assert any(r.late for r in reports) and any(r.values["problem"] for r in reports)


def test_the_reports_are_the_engines_simulation(demo_world):
    engine, _counts = demo_world
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
        member = session.scalars(select(MonitoredMember).order_by(MonitoredMember.id)).first()
        reports = {r.report_date: r.values for r in session.scalars(
            select(Report).where(Report.enterprise_id == member.enterprise_id))}
        baseline = member.baseline_output_value
    i = int(np.flatnonzero(loaded.enterprise_ids == member.enterprise_id)[0])
    result = simulate(loaded.network, [Shock(cut=APRIL_2022.cut, regions=[31], duration=APRIL_2022.duration)],
                      days=24, rationing=APRIL_2022.rationing, trace=[i])
    for day, values in reports.items():
        level = result.trace[(day - date(2022, 4, 1)).days, 0] / result.baseline_output[i]
        assert values["output_value"] == pytest.approx(baseline * level, abs=0.01)
        shanghai = str(loaded.province[i]) == "31"
        assert values["capacity_utilisation"] == (10.0 if shanghai else 100.0)
    with unit_of_work(engine) as session:
        picture = service.picture(session=session, caller=service.SYSTEM_CALLER, day=date(2022, 4, 18))
        assert picture.figures.members > 3 and picture.figures.attainment_rate < 1
