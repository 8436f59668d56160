"""The desk's guards look at authority roles *and* a region: an analyst or an enterprise user that carries a region
(as accounts created before a role change may) is no authority there (mutation testing found ``roles &
AUTHORITY_ROLES`` → ``|`` undetected because no such principal appeared in the tests)."""

from __future__ import annotations

import pytest
from coordination.desk_support import build_desk
from sqlalchemy import select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.models import Case, CaseCategory
from chainkeeper.coordination.scope import case_scope, letter_scope, sees_internal
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.coordination.workflow import Guard, Parties, allowed
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Forbidden
from chainkeeper.core.caller import Caller

PARTIES = Parties(requester_id=1, requester_region="220104", blocking_region="320583", handling_region="3205",
                  liaison_id=None)
AUTHORITY_GUARDS = (Guard.receiver, Guard.handling, Guard.handler, Guard.involved)


def principal(role: Role, region: str | None, enterprise_id: int | None = None) -> Principal:
    return Principal(7, f"{role.value}-{region}", role.value, frozenset({role}), enterprise_id=enterprise_id,
                     region_code=region)


@pytest.mark.parametrize("guard", AUTHORITY_GUARDS)
@pytest.mark.parametrize("region", ["32", "3205", "320583"])
def test_analyst_or_enterprise_with_a_region_is_no_authority(guard, region):
    assert allowed(guard, principal(Role.city, "3205"), PARTIES)  # the real authority passes …
    assert not allowed(guard, principal(Role.analyst, region), PARTIES)  # … the same region on others does not
    assert not allowed(guard, principal(Role.enterprise, region, enterprise_id=99), PARTIES)


def test_scopes_ignore_a_region_on_an_enterprise_user():
    firm = principal(Role.enterprise, "32", enterprise_id=99)
    assert not sees_internal(firm)
    assert "desk_case.requester_region_code" not in str(case_scope(firm))
    assert str(letter_scope(firm)) == str(letter_scope(principal(Role.enterprise, None, enterprise_id=99)))


@pytest.fixture
def desk(engine):
    return build_desk(engine)


def test_an_enterprise_user_with_a_region_cannot_file_for_a_neighbour(desk):
    firm = principal(Role.enterprise, "32", enterprise_id=desk.ids["kunshan"])
    caller = Caller(firm, Actor(desk.user_ids["supplier"], "supplier", "enterprise"))
    data = NewCase(category=CaseCategory.parts_supply, title="代报", blocked="", help_wanted="",
                   blocking_uscc=desk.usccs["kunshan"], requester_id=desk.ids["wuxi"])
    with unit_of_work(desk.engine) as session, pytest.raises(Forbidden):
        file_case(session=session, caller=caller, data=data, notify=False)
    with unit_of_work(desk.engine) as session:
        assert session.scalars(select(Case)).all() == []
