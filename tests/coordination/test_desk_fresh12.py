"""Issue 15 (lane deskfresh, sprint 12): the desk while cases keep arriving. A filing ends the kept queue pages of
every scope that sees the case; what those pages read that no case write can change (the liaisons offered for
assignment: users and roles) stays kept, and is read again only after a write to the users."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from factories import create_users

from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.web.json_api import KEPT_ANSWERS
from chainkeeper.web.pages import scoped_cache


@pytest.fixture(autouse=True)
def _no_expiry(monkeypatch):
    """Kept views do not expire during a test (a slow machine passes their 10 s): only a write ends them."""
    monkeypatch.setattr(scoped_cache, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    KEPT_ANSWERS.clear()


def _liaison_reads(seen: list[str]) -> list[str]:
    return [statement for statement in seen if "app_user_role" in statement and "DISTINCT" in statement]


def test_a_filing_leaves_the_liaisons_kept_and_a_new_user_ends_them(desk):
    suzhou, oem = client_for(desk, "suzhou"), client_for(desk, "oem")  # signed in first: a sign-in is a write
    suzhou.get("/desk")
    case = file(desk, oem)  # a case Suzhou handles: its queue page is read again
    with statements(desk.engine) as seen:
        page = suzhou.get("/desk")
    assert case["ledger_no"] in page.text
    assert any("desk_case" in statement for statement in seen), "the queue itself is read again"
    assert _liaison_reads(seen) == [], "the liaisons (users, not cases) stay kept through a filing"
    with unit_of_work(desk.engine) as session:
        create_users(session, {"wujiang": (Role.county, "320509", None)}, desk.ids)
    with statements(desk.engine) as seen:
        page = suzhou.get("/desk")
    assert len(_liaison_reads(seen)) == 1 and "wujiang" in page.text, "a write to the users ends them at once"


def test_the_tabs_read_the_counters_a_row_per_state_and_overdue_flag_with_statements_built_once(engine):
    """Failed before: the tabs read every (state, category, overdue) cell and built their statements per call.
    Equality with a plain COUNT: ``test_case_counts.assert_counts_exact``."""
    from coordination.desk_support import build_desk
    from coordination.test_case_counts import assert_counts_exact, file_cases, principal
    from sqlalchemy import event

    from chainkeeper.coordination import queries

    desk = build_desk(engine)
    file_cases(desk, 6)
    assert_counts_exact(desk)
    built: list = []
    note = lambda conn, clause, *rest: built.append(clause)  # noqa: E731
    with unit_of_work(engine) as session:
        viewers = [principal(session, desk, username) for username in ("ministry", "jiangsu", "suzhou", "suzhou")]
        event.listen(engine, "before_execute", note)
        try:
            with statements(engine) as seen:
                for viewer in viewers:
                    queries.tab_counts(session=session, principal=viewer)
        finally:
            event.remove(engine, "before_execute", note)
    assert all("GROUP BY desk_case_count.state, desk_case_count.overdue HAVING" in s
               or "GROUP BY desk_case.state, desk_case.overdue" in s for s in seen), seen
    assert not any("category" in s for s in seen), "a row per state and overdue flag, not per category as well"
    assert len(seen) == len(built) == 1 + 2 * 3  # the ministry: its prefix; an authority: its prefix, its liaisons
    assert len({id(clause) for clause in built}) == 1 + 2, "the same statements each time (built once per scope)"
