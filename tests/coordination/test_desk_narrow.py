"""Issue 15 (lane deskepoch, sprint 11): a desk write ends only the kept desk views whose scope can see its case
(before or after the change), in every worker; every other write, and every view that does not opt in, ends as
before. Each test fails when the narrow invalidation is skipped (the view stays stale) or when every write still
ends every view (the unrelated scope's view is read again)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_handoffs import act
from factories import caller_of, create_users
from sqlalchemy import text, update

from chainkeeper.auth.roles import Role
from chainkeeper.coordination.models import Case
from chainkeeper.coordination.scope import sees_touches
from chainkeeper.core import data_epoch
from chainkeeper.core.write_log import WriteLog
from chainkeeper.db import unit_of_work
from chainkeeper.web.pages import scoped_cache
from chainkeeper.web.json_api import KEPT_ANSWERS
from chainkeeper.web.pages.scoped_cache import ScopedCache, scope_key

@pytest.fixture(autouse=True)
def _no_expiry(monkeypatch):
    """Kept views do not expire during a test (a slow machine passes their 10 s): only a write ends them."""
    monkeypatch.setattr(scoped_cache, "time", SimpleNamespace(monotonic=lambda: 1000.0))
    KEPT_ANSWERS.clear()


VIEWS = ("/desk", "/api/v1/desk/cases?open_only=true")
SEEING = ("ministry", "jiangsu", "suzhou", "kunshan", "jilin", "oem")  # a case of the Changchun OEM on Kunshan


def _ids(client) -> set[int]:
    return {item["id"] for item in client.get(VIEWS[1]).json()["items"]}


def _warm(clients: dict) -> dict:
    """Each client's views, viewed twice (kept from the second time on): their bodies."""
    bodies = {}
    for name, client in clients.items():
        for view in VIEWS:
            client.get(view)
            bodies[name, view] = client.get(view).content
    return bodies


def _answer_kept(desk, name: str | int) -> bool:
    """Whether the user's kept queue API answers are still current (checked as the route checks them)."""
    principal = caller_of(desk.engine, desk.user_ids[name] if isinstance(name, str) else name).principal
    keys = [key for key in KEPT_ANSWERS._entries
            if str(key[1].url) == str(desk.engine.url) and dict(key[3])["principal"][0] == scope_key(principal)]
    assert keys, name
    return all(KEPT_ANSWERS.peek(key, 10, sees_touches(principal)) is not None for key in keys)


def _kept(desk, client, bodies, name) -> bool:
    with statements(desk.engine) as seen:
        same = all(client.get(view).content == bodies[name, view] for view in VIEWS)
    return same and not any("desk_case" in statement for statement in seen)


def test_a_filed_case_ends_the_views_that_see_it_and_keeps_an_unrelated_province(desk):
    clients = {name: client_for(desk, name) for name in (*SEEING, "zhejiang")}
    bodies = _warm(clients)
    assert _kept(desk, clients["zhejiang"], bodies, "zhejiang") and _kept(desk, clients["kunshan"], bodies, "kunshan")
    case = file(desk, clients["oem"])
    for name in SEEING:
        assert case["id"] in _ids(clients[name]), f"{name} must see the new case on its next request"
        assert case["ledger_no"] in clients[name].get("/desk").text, name
    assert _kept(desk, clients["zhejiang"], bodies, "zhejiang"), "Zhejiang sees no case of the filing: still kept"


def test_a_case_assigned_to_a_county_liaison_ends_that_county_s_views(desk):
    with unit_of_work(desk.engine) as session:
        wujiang = create_users(session, {"wujiang": (Role.county, "320509", None)}, desk.ids)["wujiang"]
    case = file(desk)
    suzhou, county, zhejiang = client_for(desk, "suzhou"), client_for(desk, "wujiang"), client_for(desk, "zhejiang")
    bodies = _warm({"wujiang": county, "zhejiang": zhejiang})
    assert case["id"] not in _ids(county)
    act(suzhou, case["id"], "accept")
    assert _kept(desk, county, bodies, "wujiang"), "Wujiang still sees nothing of the case"
    bodies = _warm({"wujiang": county, "zhejiang": zhejiang})
    assert _answer_kept(desk, wujiang) and _answer_kept(desk, "zhejiang")
    act(suzhou, case["id"], "assign", liaison_id=wujiang)
    assert not _answer_kept(desk, wujiang), "the county of the liaison must read the queue again"
    assert case["id"] in _ids(county), "the county of the liaison sees the case at once"
    assert _kept(desk, zhejiang, bodies, "zhejiang")


def test_an_escalated_case_ends_the_views_of_the_province_and_the_ministry(desk):
    case = file(desk)
    names = ("jiangsu", "ministry", "zhejiang", "kunshan")
    clients = {name: client_for(desk, name) for name in names}
    act(client_for(desk, "kunshan"), case["id"], "accept")
    bodies = _warm(clients)
    assert all(_answer_kept(desk, name) for name in names)
    act(clients["kunshan"], case["id"], "escalate", reason="本级无法协调")  # to Jiangsu
    for name in ("jiangsu", "ministry", "kunshan"):
        assert not _answer_kept(desk, name), name
        assert not _kept(desk, clients[name], bodies, name), name
    assert _kept(desk, clients["zhejiang"], bodies, "zhejiang")


def test_other_writes_to_the_cases_end_every_view(desk):
    """Core and text statements on desk_case (a bulk action, the counter fold) are not narrow: they end all."""
    file(desk)
    zhejiang = client_for(desk, "zhejiang")
    for write in (update(Case).values(title="改"), text("UPDATE desk_case SET title = '改二'")):
        bodies = _warm({"zhejiang": zhejiang})
        with unit_of_work(desk.engine) as session:
            session.execute(write)
        assert not _kept(desk, zhejiang, bodies, "zhejiang"), write


def test_a_view_that_does_not_opt_in_ends_on_a_desk_write(desk):
    """Home, the registry and every other kept view end on any desk write (home shows case figures)."""
    cache, computed = ScopedCache(), []
    with unit_of_work(desk.engine) as session:
        cache.get(session, "figures", 60, lambda: computed.append(1))
    with unit_of_work(desk.engine) as session:
        cache.get(session, "figures", 60, lambda: computed.append(2))
    file(desk)
    with unit_of_work(desk.engine) as session:
        cache.get(session, "figures", 60, lambda: computed.append(3))
    assert computed == [1, 3]


def test_a_filing_is_a_narrow_write_and_its_touches_are_the_case_s_scope(desk):
    oem = client_for(desk, "oem")
    before = data_epoch.current()
    case = file(desk, oem)
    now = data_epoch.current()
    assert now[0] == before[0] and now[1] != before[1], "logged, not bumped"
    log = WriteLog(data_epoch.WRITES_FILE)
    seen = []
    assert log.touched_since(before[1], lambda touches: seen.append(touches) or True)
    assert seen[-1] >= {f"e{desk.ids['changchun']}", "r320583", f"r{case['handling_region_code']}"}


def test_the_views_that_opt_in_read_no_table_whose_writes_touch_nothing(desk):
    case = file(desk)
    act(client_for(desk, "kunshan"), case["id"], "accept")
    unread = [table for table, touches in data_epoch._NARROW.items() if touches is None]
    assert "desk_case_event" in unread and "audit_event" in unread
    clients = [client_for(desk, name) for name in ("ministry", "jiangsu", "kunshan", "oem")]
    with statements(desk.engine) as seen:
        for client in clients:
            for view in (*VIEWS, "/desk?state=accepted", "/api/v1/desk/cases?region=3205"):
                assert client.get(view).status_code == 200
    reads = [s for s in seen if s.startswith(("SELECT", "WITH"))]
    assert [s for s in reads if any(f" {table}" in s for table in unread)] == []


def test_a_write_logged_by_another_process_ends_the_views_that_see_it(tmp_path):
    """Two workers share the log file: a write another process logs is seen here at the next check."""
    from chainkeeper.config import get_settings

    log = WriteLog("data-writes-test")
    mark = log.current()
    code = ("from chainkeeper.core.write_log import WriteLog; import sys; "
            "sys.exit(0 if WriteLog('data-writes-test').append(['r320583', 'e7']) else 1)")
    environment = os.environ | {"CHAINKEEPER_DATA_DIR": str(get_settings().data_dir)}
    subprocess.run([sys.executable, "-c", code], check=True, env=environment)
    assert log.touched_since(mark, lambda touches: "r320583" in touches)
    assert not log.touched_since(mark, lambda touches: any(t.startswith("r33") for t in touches))
    assert log.touched_since(("another generation", mark[1]), lambda touches: False), "unknown marks end"


def test_an_unknown_value_before_the_change_ends_every_view(desk):
    case_id = file(desk)["id"]
    before = data_epoch.current()
    with unit_of_work(desk.engine) as session:
        case = session.get(Case, case_id)
        session.expire(case, ["handling_region_code"])
        case.handling_region_code = "32"  # set while not loaded: where the case was handled is not known
    assert data_epoch.current()[0] != before[0], "bumped: every kept view ends"
