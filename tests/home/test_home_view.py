"""Issue 15 (lane homeview, sprint 14): home's first view in fewer statements. An authority's figures the desk's
counters do not give are counted in one statement built once per principal, with the old per-figure counts; the
desk's counters are read once per view for every part that counts cases. Each test fails on main (a statement per
figure; the counters read by the work counts, the national headline and the province's blocking points each)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from chainkeeper.coordination import queries as desk
from chainkeeper.credentials.models import PassStatus, VehiclePass
from chainkeeper.credentials.passes import pass_scope
from chainkeeper.db import unit_of_work
from chainkeeper.home import work
from chainkeeper.sme.arrears import service as arrears
from chainkeeper.sme.arrears.models import State as ComplaintState
from chainkeeper.sme.ladder import service as ladder
from chainkeeper.whitelist.models import AppState
from chainkeeper.whitelist.queries import ApplicationFilter, count_applications

from home.test_home import client_of, demo, demo_of_module  # noqa: F401 - the demo on each backend, loaded once
from home.test_home_fresh import principal_of_username, statements

AUTHORITIES = ("ministry", "jiangsu", "suzhou", "kunshan")


def _old_count(session, principal, item: work.Item) -> int:
    """The figure as the old path counted it: its feature's own count."""
    if item.key == "mine":
        where = work.desk_filter(principal, {"state": "assigned", "mine": "1"})
        return desk.capped_count(session, desk.scoped(principal, where))
    if item.key.startswith("applications-"):
        state = AppState(item.url.split("state=")[1])
        return count_applications(session=session, principal=principal, where=ApplicationFilter(state=state))
    if item.key == "passes-pending":
        return session.scalar(select(func.count()).select_from(VehiclePass).where(
            pass_scope(principal), VehiclePass.status == PassStatus.pending))
    if item.key == "arrears-to-accept":
        return arrears.count_in_state(session=session, principal=principal, state=ComplaintState.submitted)
    return ladder.count_in_state(session=session, principal=principal, state=item.key.removeprefix("ladder-"))


@pytest.mark.parametrize("who", AUTHORITIES)
def test_the_figures_beside_the_counters_are_one_statement_equal_to_the_old_counts(demo, who):
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        cases = work.CaseItems(session, principal)
        cases.item("warm", "", state="open")  # the counters read
        with statements(demo) as seen:
            items = work.authority_items(session, principal, cases)
        others = [item for item in items if not item.url.startswith("/desk?") or "mine=1" in item.url]
        assert len(others) >= 3
        assert {item.key: item.count for item in others} == {
            item.key: _old_count(session, principal, item) for item in others}
    assert len(seen) == 1, seen


@pytest.mark.parametrize("who", ("ministry", "jiangsu"))
def test_a_first_view_reads_the_desk_counters_once(demo, who):
    client = client_of(demo, who)
    with statements(demo) as seen:
        assert client.get("/").status_code == 200
    counters = [s for s in seen if "FROM desk_case_count" in s and "category" in s]
    assert len(counters) == 1, counters


@pytest.mark.parametrize("who", ("ministry", "jiangsu"))
def test_the_monitoring_panels_share_one_savepoint(demo, who):
    client = client_of(demo, who)
    with statements(demo) as seen:
        html = client.get("/").text
    savepoints = [s for s in seen if s.upper().startswith("SAVEPOINT")]
    assert len(savepoints) == 1, savepoints
    assert all(f'data-panel="{key}"' in html for key in ("forecast", "warnings", "key-groups"))


def test_a_failing_panel_is_left_out_and_the_others_shown(demo, monkeypatch):
    """A feature whose query fails (on PostgreSQL: the transaction aborted) loses its panel, not the page."""
    from sqlalchemy import text

    from chainkeeper.monitoring.warnings import service as warnings

    def failing(*, session, principal):
        session.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(warnings, "home_panel", failing)
    html = client_of(demo, "ministry").get("/").text
    assert 'data-panel="warnings"' not in html
    assert all(f'data-panel="{key}"' in html for key in ("forecast", "key-groups", "briefing"))
    assert 'data-testid="home-national"' in html


@pytest.mark.parametrize("who", ("ministry", "analyst"))
def test_the_provinces_tallies_are_built_once_per_principal_and_day(demo, who, monkeypatch):
    from chainkeeper.coordination import daily
    from chainkeeper.credentials.service import local_today

    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        first = daily.province_tallies(session=session, principal=principal, day=local_today())
        built: list = []
        monkeypatch.setattr(daily, "select", lambda *columns: built.append(columns) or select(*columns))
        with statements(demo) as seen:
            again = daily.province_tallies(session=session, principal=principal, day=local_today())
    assert again == first and built == [] and len(seen) == 1, (built, seen)


def test_an_enterprise_counts_its_cases_and_complaints_in_one_statement_equal_to_the_old_counts(demo):
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, "oem")
        old = {key: desk.capped_count(session, desk.scoped(principal, work.desk_filter(principal, {"state": state})))
               for key, state in (("open-cases", "open"), ("to-confirm", "feedback"))}
        answers = arrears.count_in_state(session=session, principal=principal, state=ComplaintState.transferred)
        with statements(demo) as seen:
            items = work.enterprise_items(session, principal)
    assert {item.key: item.count for item in items} == {**old, **({"arrears-to-answer": answers} if answers else {})}
    assert len(seen) == 1, seen
