"""Issue 15 (lane deskq, sprint 9): the queue page reads its requesters' names with its rows, in one statement."""

from __future__ import annotations

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements

from chainkeeper.coordination import api_rows, queries
from chainkeeper.db import unit_of_work
from chainkeeper.web.pages import queries as names


def test_the_queue_page_reads_its_requesters_names_with_its_rows(desk):
    """Failed before: after the page's rows, a statement of its own read their requesters' names by id."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    file(desk, oem)
    kunshan.get("/desk")  # the counts are kept: the page below reads its rows only
    with statements(desk.engine) as seen:
        shown = kunshan.get("/desk")
    assert shown.status_code == 200
    assert not [s for s in seen if s.startswith("SELECT enterprise.id, enterprise.name")], seen
    assert len([s for s in seen if "FROM desk_case" in s]) == 1, seen
    principal = desk.caller("kunshan").principal
    with unit_of_work(desk.engine) as session:  # the names as enterprise_names gives them, shown on the page
        for where in (queries.CaseFilter(), queries.CaseFilter(open_only=True)):
            found, firms = api_rows.queue_rows(session=session, principal=principal, where=where, order="priority",
                                               page=1, page_size=50, total=1)
            assert found.items and firms == names.enterprise_names(session, (c.requester_id for c in found.items))
    assert all(name in shown.text for name in firms.values())
