"""The board's demo: the 2021 chips and the 2020 masks, through the services, with the OEM's suggestions
led by the nearest suppliers that can deliver, and the events' figures."""


from reporting.support import caller_of
from sqlalchemy import func, select

from chainkeeper.auth.demo import create_demo_users
from chainkeeper.db import unit_of_work
from chainkeeper.docking.board import events, posts, suggest
from chainkeeper.docking.board.demo import create_demo_board
from chainkeeper.auth.models import User
from chainkeeper.docking.board.models import Event
from chainkeeper.docking.demo import create_demo_docking


def test_the_board_demo(sqlite_engine):
    with unit_of_work(sqlite_engine) as session:
        create_demo_users(session=session)
    create_demo_docking(sqlite_engine)
    counts = create_demo_board(sqlite_engine)
    assert counts["board listings"] == 6 and counts["board events"] >= 1
    with unit_of_work(sqlite_engine) as session:  # (no economy here, so no Changchun OEM: the chip event waits)
        hospital = session.scalar(select(User.id).where(User.username == "hospital"))
        assert session.scalar(select(func.count()).select_from(Event)) == counts["board events"] == 1
        hubei_event = session.scalars(select(Event).where(Event.region_code == "42")).one()
        assert events.statistics(session, hubei_event) == events.Statistics(2, 1, 1, 45.0)
    caller = caller_of(sqlite_engine, hospital)
    with unit_of_work(sqlite_engine) as session:
        [need] = posts.mine(session=session, caller=caller, kind="need")
        [best] = suggest.for_post(session=session, caller=caller, kind="need", post_id=need.id)
        assert best.listing.title.startswith("医用防护口罩") and best.parts["product"] == 0.9
