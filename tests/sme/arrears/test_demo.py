"""The arrears demo: complaints across provinces in every state; the accounts see what they should."""


from sqlalchemy import func, select

from chainkeeper.auth.demo import create_demo_users
from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.db import unit_of_work
from chainkeeper.sme.arrears import service
from chainkeeper.sme.arrears.demo import create_demo_arrears
from chainkeeper.sme.arrears.models import Complaint


def principal(session, username):
    return principal_of(session.scalars(select(User).where(User.username == username)).one())


def test_the_demo_complaints(sqlite_engine):
    with unit_of_work(sqlite_engine) as session:
        create_demo_users(session=session)
    counts = create_demo_arrears(sqlite_engine)
    with unit_of_work(sqlite_engine) as session:
        states = dict(session.execute(select(Complaint.state, func.count()).group_by(Complaint.state)).all())
        assert counts["arrears complaints"] == sum(states.values()) == 8
        assert {"submitted", "accepted", "transferred", "agreed", "cleared", "rejected"} <= {s.value for s in states}
        regions = set(session.scalars(select(Complaint.handling_region_code)))
        assert regions == {"", "32", "33", "22", "34", "44"}
        mine = service.listing(session=session, principal=principal(session, "sme_creditor"))
        theirs = service.listing(session=session, principal=principal(session, "debtor"))
        assert len(mine) == 2 and [c.state.value for c in theirs] == ["transferred"]  # the other is not accepted
        assert service.listing(session=session, principal=principal(session, "shanghai")) == []
        assert session.scalar(select(func.count()).select_from(Complaint).where(Complaint.overdue)) >= 1
