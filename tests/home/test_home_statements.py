"""Issue 15 (lane homefirst, sprint 13): home's first view builds its own statements once per scope (the pass
counts, the province's resumption panel, the national letter flows and list names) and counts an enterprise's passes
in one statement; the figures equal the old per-status counts. Each test fails on main, where every first view
built them again (and counted the passes four times)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from chainkeeper.credentials.models import PassStatus, VehiclePass
from chainkeeper.credentials.passes import pass_scope
from chainkeeper.credentials.service import local_today
from chainkeeper.db import unit_of_work
from chainkeeper.home import live, picture, work

from home.test_home import demo, demo_of_module  # noqa: F401 - the demo on each backend, loaded once
from home.test_home_fresh import principal_of_username, statements

USERS = ("ministry", "jiangsu", "suzhou", "kunshan", "oem", "analyst")


def _home_reads(session, principal) -> None:
    """What home's own modules read for the principal on a first view (their statements)."""
    work.pass_items(session, principal)
    work.authority_items(session, principal)
    live.resumption_panel(session, principal, local_today())
    picture.resumption(session, local_today())
    picture.letter_flows(session, principal)


@pytest.mark.parametrize("who", USERS)
def test_home_builds_its_statements_once_per_scope(demo, who, monkeypatch):
    built: list[str] = []
    for module in (work, live, picture):
        def counting(*columns, _select=select, _name=module.__name__):
            built.append(_name)
            return _select(*columns)
        monkeypatch.setattr(module, "select", counting)
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        _home_reads(session, principal)
        built.clear()
        _home_reads(session, principal)
    assert built == [], f"statements built again on the second first view: {built}"


@pytest.mark.parametrize("who", USERS)
def test_passes_are_counted_in_one_statement_equal_to_the_old_counts(demo, who):
    with unit_of_work(demo) as session:
        principal = principal_of_username(session, who)
        old = {status: session.scalar(select(func.count()).select_from(VehiclePass)
                                      .where(pass_scope(principal), VehiclePass.status == status)) or 0
               for status in PassStatus}
        with statements(demo) as seen:
            items = work.pass_items(session, principal)
    assert {item.key: item.count for item in items} == {f"passes-{s.value}": old[s] for s in PassStatus
                                                        if f"passes-{s.value}" in {i.key for i in items}}
    assert len(items) == 4 and len([s for s in seen if "vehicle_pass" in s]) == 1
