"""The docking demo: a week of February 2020, with class 1 served first every day."""

from sqlalchemy import func, select

from chainkeeper.auth.demo import create_demo_users
from chainkeeper.db import unit_of_work
from chainkeeper.docking.demo import DAYS, create_demo_docking
from chainkeeper.docking.models import Need, Plan, PlanLine


def test_the_week_of_february_2020(sqlite_engine):
    with unit_of_work(sqlite_engine) as session:
        create_demo_users(session=session)
    counts = create_demo_docking(sqlite_engine)
    assert counts["docking plans"] == DAYS * 2 and counts["docking lines"] > 0
    with unit_of_work(sqlite_engine) as session:
        states = dict(session.execute(select(Plan.state, func.count()).group_by(Plan.state)).all())
        assert states == {"published": (DAYS - 1) * 2, "draft": 2}
        assert session.scalar(select(func.count()).select_from(Need).where(Need.state == "submitted")) > 0
        for plan in session.scalars(select(Plan)):
            served, needed = plan.summary["served_by_class"], plan.summary["need_by_class"]
            if served.get("2", 0) > 0 or served.get("3", 0) > 0:  # a later class only once class 1 is served
                assert served["1"] == needed["1"], (plan.day, plan.good_id, served, needed)
        received = session.scalar(select(func.count()).select_from(PlanLine).where(PlanLine.state == "received"))
        assert received > 0
