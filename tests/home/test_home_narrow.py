"""Issue 15 (lane homefirst, sprint 13): home after a narrow desk write. A case filed through the API ends the home
pages whose caller can see the case (the desk's rule, ``sees_touches``) and keeps the others; the ministry's and a
province's monitoring panels (forecast, warnings, key groups, briefing) read no desk table and survive it
(``sees_nothing``), while any other write still ends them. Each test fails on main, where every write ended every
home page and every panel."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import update

from chainkeeper.auth.models import User
from chainkeeper.db import unit_of_work
from chainkeeper.web.pages import scoped_cache

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from home.test_home_fresh import statements


@pytest.fixture(autouse=True)
def _no_expiry(monkeypatch):
    """Kept views do not expire during a test (a slow machine passes their 10 s): only a write ends them."""
    monkeypatch.setattr(scoped_cache, "time", SimpleNamespace(monotonic=lambda: 1000.0))


def _home(desk, client) -> tuple[str, list[str]]:
    """The home page's body and the statements its request ran."""
    with statements(desk.engine) as seen:
        body = client.get("/").text
    return body, list(seen)


def _reads(seen: list[str], table: str) -> bool:
    return any(f"FROM {table}" in statement or f"JOIN {table}" in statement for statement in seen)


def test_a_filed_case_keeps_the_home_of_a_province_that_cannot_see_it(desk):
    zhejiang, jiangsu, oem = (client_for(desk, name) for name in ("zhejiang", "jiangsu", "oem"))  # logins write
    kept = {name: (client.get("/"), client.get("/").text)[1] for name, client in
            (("zhejiang", zhejiang), ("jiangsu", jiangsu))}
    case = file(desk, oem)  # the Changchun OEM on a Kunshan supplier: Jilin and Jiangsu see it, Zhejiang does not
    body, seen = _home(desk, zhejiang)
    assert body == kept["zhejiang"] and not _reads(seen, "desk_case"), "Zhejiang sees no case of the filing"
    body, seen = _home(desk, jiangsu)
    assert body != kept["jiangsu"] and _reads(seen, "desk_case"), "Jiangsu's counts include the new case"
    assert body == _home(desk, jiangsu)[0] and case["id"]


def test_the_monitoring_panels_survive_a_desk_write_and_end_on_any_other_write(desk):
    ministry, oem = client_for(desk, "ministry"), client_for(desk, "oem")
    ministry.get("/")
    first, seen = _home(desk, ministry)
    assert not seen, "kept"
    file(desk, oem)
    body, seen = _home(desk, ministry)
    assert _reads(seen, "desk_case"), "the ministry sees every case: its counts are read again"
    assert not _reads(seen, "early_warning"), "the warnings panel reads no desk table: kept across the desk write"
    assert body != first
    with unit_of_work(desk.engine) as session:  # any other write (not a narrow desk write) ends the panels
        session.execute(update(User).where(User.username == "jilin").values(display_name="Jilin desk"))
    body_after, seen = _home(desk, ministry)
    assert _reads(seen, "early_warning") and body_after == body
