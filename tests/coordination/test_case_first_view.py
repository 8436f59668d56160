"""The case page's first view (issue 15, lane casefirst): the liaisons a case may be assigned to are read by
statements built once (building one was ~1 ms of a ~4 ms first view), with the rows of the statement built per call
before, for every region."""

from __future__ import annotations

from coordination.desk_support import build_desk
from sqlalchemy import select

from chainkeeper.auth.models import User, UserRole
from chainkeeper.auth.roles import AUTHORITY_ROLES
from chainkeeper.coordination import pages
from chainkeeper.db import unit_of_work


def built_per_call(session, region: str) -> list:
    """The liaisons as read before (a statement built on every call)."""
    query = (select(User.id, User.display_name, User.region_code).join(UserRole)
             .where(User.is_active.is_(True), UserRole.role.in_(list(AUTHORITY_ROLES)))
             .order_by(User.display_name, User.id).distinct())
    if region:
        query = query.where(User.region_code.like(f"{region}%"))
    return list(session.execute(query.limit(200)))


def test_the_liaisons_are_read_by_statements_built_once(engine, monkeypatch):
    build_desk(engine)

    def no_building(*_columns):
        raise AssertionError("a statement built per call")

    monkeypatch.setattr(pages, "select", no_building)
    with unit_of_work(engine) as session:
        found = {region: pages.liaison_choices(session, region) for region in ("", "32", "3205", "320583", "33", "9")}
        assert found == {region: built_per_call(session, region) for region in found}
    assert found["32"] and len(found[""]) > len(found["32"]) > len(found["320583"]) and found["9"] == []
