"""Issue 15 (lane deskpool): the queue's total without a filter, or filtered by state only, is the sum of the tabs'
per-state counts the HTML queue reads anyway — the scope is scanned once, not once for the tabs and again for each
total (a quarter of PostgreSQL's CPU under the desk's load at 200,000 cases). The totals are the same as counted."""

from __future__ import annotations

from sqlalchemy import select

from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.coordination import queries
from chainkeeper.coordination.models import CaseState
from chainkeeper.db import unit_of_work
from coordination.test_api import client_for, desk  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import counts, statements
from coordination.test_handoffs import act, file_about

FILTERS = {  # API query → the same filter for queries.count_cases
    "": queries.CaseFilter(), "?open_only=true": queries.CaseFilter(open_only=True),
    **{f"?state={state.value}": queries.CaseFilter(states=(state,)) for state in CaseState},
    "?state=accepted&open_only=true": queries.CaseFilter(states=(CaseState.accepted,), open_only=True),
    "?state=closed&open_only=true": queries.CaseFilter(states=(CaseState.closed,), open_only=True),
}


def counted(desk, username: str) -> dict[str, int]:
    """Each filter's total counted directly (the capped count of the query layer)."""
    with unit_of_work(desk.engine) as session:
        principal = principal_of(session.scalar(select(User).where(User.username == username)))
        return {query: queries.count_cases(session=session, principal=principal, where=where)
                for query, where in FILTERS.items()}


def test_the_queue_scans_its_scope_once_for_the_tabs_and_every_state_total(desk):
    """Failed before: the HTML queue counted its total besides its tabs, and each API filter by state counted again."""
    oem, jiangsu = client_for(desk, "oem"), client_for(desk, "jiangsu")
    filed = [file_about(desk, oem, "320583") for _ in range(3)]
    act(jiangsu, filed[0]["id"], "accept")
    with statements(desk.engine) as seen:
        page = jiangsu.get("/desk")
        totals = {query: jiangsu.get("/api/v1/desk/cases" + query).json()["total"] for query in FILTERS}
    assert page.status_code == 200
    assert len(counts(seen)) == 1, counts(seen)  # the tabs' GROUP BY state
    assert totals == counted(desk, "jiangsu")
    assert totals[""] >= 3 and totals["?state=accepted"] >= 1 and totals["?state=closed&open_only=true"] == 0


def test_other_filters_still_count_and_the_shared_counts_follow_every_write(desk):
    oem, jiangsu = client_for(desk, "oem"), client_for(desk, "jiangsu")
    file_about(desk, oem, "320583")
    before = jiangsu.get("/api/v1/desk/cases?open_only=true").json()["total"]
    with statements(desk.engine) as seen:
        category = jiangsu.get("/api/v1/desk/cases?open_only=true&category=logistics").json()["total"]
    assert len(counts(seen)) == 1 and category <= before
    file_about(desk, oem, "320583")
    assert jiangsu.get("/api/v1/desk/cases?open_only=true").json()["total"] == before + 1
    assert jiangsu.get("/api/v1/desk/cases").json()["total"] == counted(desk, "jiangsu")[""]
