"""Issue 15 (lane deskq, sprint 9): the queue page reads its requesters' names with its rows, in one statement, and
renders its tabs, its table's head and its pagination once per arguments and language."""

from __future__ import annotations

import re

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_desk_web_cpu import csrf

from chainkeeper.coordination import api_rows, queries
from chainkeeper.coordination.pages import kept_queues
from chainkeeper.db import unit_of_work
from chainkeeper.web.pages import queries as names
from chainkeeper.web.pages.tables import Listing


def test_the_queue_page_reads_its_requesters_names_with_its_rows(desk):
    """Failed before: after the page's rows, a statement of its own read their requesters' names by id."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    file(desk, oem)
    kunshan.get("/desk")  # the counts are kept: the page below reads its rows only
    kept_queues(kunshan.app).clear()  # the whole page is kept too (lane deskq3): the rows are read again
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


def submitted_tab(html: str) -> int:
    """The count on the queue's "submitted" tab."""
    return int(re.search(r'href="/desk\?state=submitted">[^<]*<span class="count">(\d+)<', html).group(1))


def test_the_queue_renders_its_tabs_head_and_pager_once_per_arguments_and_follows_changes(desk, monkeypatch):
    """Failed before (no such reuse): every view rendered the tabs, the orders, exports and headings and the
    pagination again, with their ~10 links."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    for _ in range(3):
        file(desk, oem)
    url = f"/desk?state=submitted&size=20&page=1&db={desk.engine.dialect.name}"  # parts are kept per process
    first = kunshan.get(url).text
    links = []
    real = Listing.url
    monkeypatch.setattr(Listing, "url", lambda self, **changes: links.append(changes) or real(self, **changes))
    again = kunshan.get(url).text
    assert links == [] and again == first.replace(csrf(first), csrf(again))
    fragment = kunshan.get(url, headers={"HX-Request": "true"}).text  # the table alone: the same kept parts
    assert links == [] and fragment.strip() in again
    file(desk, oem)  # a write: the tab's count and the pager's total change, and so do the parts shown
    changed = kunshan.get(url).text
    assert links and submitted_tab(changed) == submitted_tab(first) + 1
    pager = [html.split('<div class="pager">')[1].split("</span>")[0] for html in (first, changed)]
    assert pager[0] != pager[1] and str(submitted_tab(changed)) in pager[1]
    kunshan.cookies.set("ck_lang", "en")  # the other language: its own parts
    english = kunshan.get(url).text
    assert "Export the filtered queue" in english and "Export the filtered queue" not in changed

