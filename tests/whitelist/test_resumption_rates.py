"""The white lists' page reads every list's resumption rate and the overall one in one statement (issue 15, lane
regfresh2); the figures are those of :func:`entries.resumption_rate`, list by list and for all lists."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from whitelist.support import D0, make_list, publish

from chainkeeper.db import unit_of_work
from chainkeeper.whitelist import entries
from chainkeeper.whitelist.models import Resumption


def test_the_rates_of_every_list_come_in_one_statement(engine, setup):
    """Before: one statement per list and one more for the whole (``resumption_rates`` did not exist)."""
    with unit_of_work(engine) as session:
        jiangsu, shanghai, empty = make_list(session, "32"), make_list(session, "31"), make_list(session, "32", "空")
        resumed = publish(session, setup, jiangsu.id)
        entries.set_resumption(session=session, principal=setup.applicant.principal, actor=setup.applicant.actor,
                               entry=resumed, resumption=Resumption.fully, on=D0)
        publish(session, setup, jiangsu.id, "wuxi")
        publish(session, setup, shanghai.id, "shanghai")
    ids = (jiangsu.id, shanghai.id, empty.id)
    found = {}
    with unit_of_work(engine) as session:
        for day in (D0, D0 - timedelta(days=1)):
            expected = ({i: entries.resumption_rate(session=session, list_id=i, as_of=day) for i in ids},
                        entries.resumption_rate(session=session, as_of=day))
            seen = []

            def note(_conn, _cursor, statement, *_rest):
                seen.append(statement)

            event.listen(engine, "before_cursor_execute", note)
            try:
                found[day] = entries.resumption_rates(session=session, list_ids=ids, as_of=day)
            finally:
                event.remove(engine, "before_cursor_execute", note)
            assert found[day] == expected and len(seen) == 1, seen
    lists, overall = found[D0]
    assert lists[jiangsu.id]["fully"] == 1 and lists[jiangsu.id]["total"] == 2 and lists[jiangsu.id]["rate"] == 0.5
    assert overall["total"] == 3 and lists[empty.id]["total"] == 0
    assert found[D0 - timedelta(days=1)][1]["total"] == 0  # the day before: nothing active yet
