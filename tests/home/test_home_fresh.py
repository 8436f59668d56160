"""The home page's first view (issue 15, sprint 10): its national picture, live panels and work counts read in a
few statements what they read before in many, with the same figures as the old paths."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.coordination import daily, queries as desk
from chainkeeper.coordination.scope import case_scope
from chainkeeper.credentials.service import local_today
from chainkeeper.db import unit_of_work
from chainkeeper.home import picture, work
from chainkeeper.home.live import forecast_panel
from chainkeeper.monitoring.forecast import service as forecast
from chainkeeper.whitelist import entries, service as lists

from home.test_home import demo, demo_of_module  # noqa: F401 - the demo on each backend, loaded once

USERS = ("ministry", "jiangsu", "suzhou", "kunshan", "analyst")


def principal_of_username(session, username: str):
    return principal_of(session.scalar(select(User).where(User.username == username)))


@contextmanager
def statements(engine):
    """The SQL statements run on ``engine`` inside the block."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_resumption_is_one_statement_per_list_no_more(demo):
    day = local_today()
    with unit_of_work(demo) as session:
        old = (entries.resumption_rate(session=session, as_of=day),
               [(w.id, entries.resumption_rate(session=session, list_id=w.id, as_of=day))
                for w in lists.list_lists(session=session)])
        with statements(demo) as seen:
            overall, rows = picture.resumption(session, day)
    assert overall == old[0]
    assert [(r.list_id, r.total, r.resumed, r.rate) for r in rows] == [
        (i, rate["total"], rate["partly"] + rate["fully"], rate["rate"]) for i, rate in old[1] if rate["total"]]
    assert rows and len(seen) == 2, seen  # the lists, and the entries grouped by list and status


@pytest.mark.parametrize("who", USERS)
def test_province_rows_read_only_the_provinces(demo, who):
    day = local_today()
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        old = daily.daily_picture(session=session, principal=principal, day=day).by_province
        with statements(demo) as seen:
            rows = picture.province_rows(session, principal, day, "zh_CN")
    assert sorted((r.code, r.name, r.open, r.overdue, r.new, r.resolved) for r in rows) == sorted(
        (t.key, t.label, t.open, t.overdue, t.new, t.resolved) for t in old)
    assert len(seen) == 1, seen  # the cases grouped by province (the names from the reference cache)


@pytest.mark.parametrize("who", USERS)
def test_forecast_panel_counts_without_loading_the_lines(demo, who):
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        run = forecast.latest_run(session=session)
        lines = forecast.list_lines(session=session, principal=principal, run_id=run.id)
        with statements(demo) as seen:
            counts, total = forecast.level_totals(session=session, principal=principal, run_id=run.id)
    assert (counts, total) == (forecast.level_counts(lines), len(lines))
    assert len(seen) == 1 and "count(" in seen[0].lower() and "forecast_line.chain" not in seen[0], seen


@pytest.mark.parametrize("who", USERS)
def test_work_counts_read_the_counters_once(demo, who):
    """Every case figure equals the old path's COUNT; the counters are read once for all of them."""
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        items = work.authority_items(session, principal)
        for item in items:
            if item.url.startswith("/desk?"):
                params = dict(p.split("=") for p in item.url.split("?")[1].split("&"))
                where = work.desk_filter(principal, params)
                assert item.count == desk.capped_count(session, (case_scope(principal), *desk.filtered(where)))
        with statements(demo) as seen:
            work.authority_items(session, principal)
    counted = [s for s in seen if "FROM desk_case " in s or "FROM desk_case\n" in s]
    assert len(counted) <= 2, counted  # the one filter the counters do not keep ("mine"), the liaisons' cases
