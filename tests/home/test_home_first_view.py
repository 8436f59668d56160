"""Home's first view (issue 15, sprint 11): the warnings panel loads only the warnings it lists, the key-group panel
reads the report type's id alone, the national picture counts the registry in one statement; each equal to the old
path on the demo."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from chainkeeper.core import data_epoch
from chainkeeper.core.caller import Caller
from chainkeeper.credentials.service import local_today
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import service as scheduling
from chainkeeper.monitoring.warnings import service as warnings
from chainkeeper.monitoring.warnings.models import EarlyWarning
from chainkeeper.web.pages import queries

from home.test_home import client_of, demo, demo_of_module  # noqa: F401 - the demo on each backend, loaded once
from home.test_home_fresh import USERS, principal_of_username, statements


def old_warnings_panel(session, principal) -> dict:
    """The panel as it was read before: every open warning of the page loaded, counted and sorted in Python."""
    rows = warnings.list_warnings(session=session, principal=principal,
                                  where=warnings.WarningFilter(acknowledged=False))
    counts = {level.value: sum(1 for w in rows if w.level is level) for level in warnings.Level}
    return {"open": counts, "newest": [w.id for w in sorted(rows, key=lambda w: w.raised_at, reverse=True)[:5]]}


@pytest.mark.parametrize("who", USERS)
def test_warnings_panel_loads_only_the_warnings_it_lists(demo, who):
    loaded: list[int] = []

    def note(target, _context):
        loaded.append(target.id)

    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        old = old_warnings_panel(session, principal)
        session.expunge_all()
        event.listen(EarlyWarning, "load", note)
        try:
            found = warnings.home_panel(session=session, principal=principal)
        finally:
            event.remove(EarlyWarning, "load", note)
    assert found["open"] == old["open"] and [w.id for w in found["newest"]] == old["newest"]
    assert sorted(loaded) == sorted(old["newest"])  # before: every open warning of the page (81 for the ministry)
    if who == "ministry":
        assert sum(old["open"].values()) > len(old["newest"])  # the demo has more than the panel lists


@pytest.mark.parametrize("who", USERS)
def test_key_group_panel_reads_the_report_types_id_alone(demo, who):
    with unit_of_work(demo) as session:
        caller = Caller(principal_of_username(session, who), None)
        day = scheduling.latest_day(session=session, principal=caller.principal, up_to=local_today())
        with statements(demo) as seen:
            scheduling.home_panel(session=session, caller=caller, day=day)
    typed = [s for s in seen if "FROM report_type" in s]
    assert typed and all("report_type.fields" not in s for s in typed), typed  # before: the type with its fields


@pytest.mark.parametrize("who", USERS)
def test_enterprise_total_is_the_dashboards_total(demo, who):
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        expected = queries.dashboard_numbers(session, principal)["totals"]["enterprises"]
        with statements(demo) as seen:
            assert queries.enterprise_total(session, principal) == expected
    assert len(seen) == 1, seen


def test_the_ministrys_first_home_view_does_not_scan_the_links(demo):
    client = client_of(demo, "ministry")
    data_epoch.bump()
    with statements(demo) as seen:
        page = client.get("/")
    assert page.status_code == 200 and 'data-testid="total-enterprises"' in page.text
    assert not [s for s in seen if "supply_link" in s]  # before: the dashboard's six statements, two over the links
