"""The policy demo: a library of real (cited) and illustrative policies; the Kunshan SME's matches and near misses."""


from sqlalchemy import select

from chainkeeper.auth.demo import create_demo_users
from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.db import unit_of_work
from chainkeeper.sme.policies import service
from chainkeeper.sme.policies.demo import create_demo_policies
from chainkeeper.sme.policies.models import Policy


def test_the_demo_library_and_the_smes_matches(sqlite_engine):
    with unit_of_work(sqlite_engine) as session:
        create_demo_users(session=session)
    counts = create_demo_policies(sqlite_engine)
    assert counts["policies"] == 13
    with unit_of_work(sqlite_engine) as session:
        for policy in session.scalars(select(Policy)):  # a policy either cites a document or says it is illustrative
            assert bool(policy.document_number) != policy.illustrative, policy.code
            assert policy.illustrative == ("示例" in policy.title), policy.code
        user = session.scalar(select(User).where(User.username == "policy_sme"))
        found = service.match(session=session, principal=principal_of(user), enterprise_id=user.enterprise_id)
        qualified = {p.code for p, _e in found.qualified}
        # small by the 2017 standard (120 persons, 8,600 万元 in industry), 专精特新, R&D 4.6 %, founded 2016, Kunshan
        assert qualified == {"MOF-2020-46", "SC-728", "MIIT-2022-63", "JS-SRDI-RD", "KS-DIGITAL", "N-GUARANTEE"}
        near = {p.code: len(e.missing) for p, e in found.near}
        assert near == {"N-HITECH": 1, "N-STARTUP": 1, "N-GROWTH": 1, "SZ-FIRST-SET": 1}
