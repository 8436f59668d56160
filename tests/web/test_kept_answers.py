"""Kept API answers (issue 15, ``json_route(kept=…)``): the warnings, the warning rules, the needs and the daily
picture are answered from kept bytes on a repeat call (no statement), the same bytes; never across scopes or
queries, and never past a committed write (the next answer is computed anew and shows it)."""

from __future__ import annotations

import pytest
from accounts_fixture import login
from coordination.desk_support import build_desk
from fastapi.testclient import TestClient
from monitoring.scheduling.support import DAY, build_world
from monitoring.warnings.support import add_rule, source
from reporting.support import PASSWORD
from sqlalchemy import event, text, update

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.warnings.evaluation import evaluate_indicator_rules
from chainkeeper.monitoring.warnings.models import EarlyWarning, WarningRule
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.app import create_app

PICTURE = f"/api/v1/monitoring/picture?day={DAY}"


def signed_in(app, username: str) -> TestClient:
    """A client of ``app`` (one application, one cache of kept answers for every user) signed in as ``username``."""
    login_throttle.reset()
    client = TestClient(app, follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    return client


def statements_of(engine, call) -> tuple:
    """(what ``call`` returned, the statements it sent)."""
    sent = []

    def note(_connection, _cursor, statement, *_args):
        sent.append(statement)
    event.listen(engine, "before_cursor_execute", note)
    try:
        return call(), sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def warned(engine):
    """The desk's world with warnings for April 2022 (national, Shanghai, Jiangsu) and a national and a Jiangsu
    rule."""
    login_throttle.reset()
    desk = build_desk(engine)
    add_rule(desk, subregions=True)
    add_rule(desk, "jiangsu", region_code="32", kind="mom_drop", params={"points": 5}, level="yellow")
    evaluate_indicator_rules(engine, periods=["2022-04"], source=source, notify=False)
    return desk


@pytest.mark.parametrize("path", ["/api/v1/warnings", "/api/v1/warnings?level=red", "/api/v1/warning-rules",
                                  "/api/v1/docking/needs"])
def test_a_repeated_answer_reads_nothing_until_a_write(warned, path):
    ministry = signed_in(create_app(engine=warned.engine), "ministry")
    first = ministry.get(path)
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    again, sent = statements_of(warned.engine, lambda: ministry.get(path))
    assert again.content == first.content
    assert sent == []  # main: the warnings and their links, the rules, the needs
    with unit_of_work(warned.engine) as session:  # a write outside this application's requests
        session.query(EarlyWarning).filter_by(level="red").first().note = "seen"
        session.query(WarningRule).first().active = False
    after, sent = statements_of(warned.engine, lambda: ministry.get(path))
    assert after.status_code == 200 and sent != []
    if "warnings" in path:
        assert '"note":"seen"' in after.text
    if "rules" in path:
        assert '"active":false' in after.text and '"active":false' not in first.text


def test_kept_answers_keep_to_the_callers_scope_and_query(warned):
    app = create_app(engine=warned.engine)
    ministry, jiangsu = signed_in(app, "ministry"), signed_in(app, "jiangsu")
    assert {w["region_code"] for w in ministry.get("/api/v1/warnings").json()} == {"", "31", "32"}
    assert {w["region_code"] for w in jiangsu.get("/api/v1/warnings").json()} == {"", "32"}
    assert {r["region_code"] for r in jiangsu.get("/api/v1/warning-rules").json()} == {"", "32"}
    every = ministry.get("/api/v1/warnings").json()
    red = ministry.get("/api/v1/warnings", params={"level": "red"}).json()
    assert {w["level"] for w in red} == {"red"} and len(red) < len(every)
    assert ministry.get("/api/v1/warnings", params={"level": "red"}).json() == red


def test_the_picture_is_kept_per_scope_and_ends_with_a_write(engine):
    login_throttle.reset()
    desk, _group, _ids = build_world(engine)
    app = create_app(engine=desk.engine)
    ministry, jiangsu = signed_in(app, "ministry"), signed_in(app, "jiangsu")
    first = ministry.get(PICTURE)
    assert first.status_code == 200 and "长春整车有限公司" in first.text
    again, sent = statements_of(desk.engine, lambda: ministry.get(PICTURE))
    assert again.content == first.content and sent == []  # main: the picture's 14 days of members and reports
    seen = jiangsu.get(PICTURE).text  # after the ministry's picture was kept
    assert "昆山线束有限公司" in seen and "长春整车有限公司" not in seen
    with unit_of_work(desk.engine) as session:
        session.get(Enterprise, desk.ids["kunshan"]).name = "昆山线束改名有限公司"
    assert "昆山线束改名有限公司" in ministry.get(PICTURE).text
    assert "昆山线束改名有限公司" in jiangsu.get(PICTURE).text
    assert ministry.get(f"/api/v1/monitoring/picture?day={DAY}&region=32").json()["figures"]["members"] == 1


def _core_on_the_sessions_connection(engine) -> None:
    with unit_of_work(engine) as session:
        session.connection().execute(update(EarlyWarning.__table__).values(note="seen"))


def _text_in_a_session(engine) -> None:
    with unit_of_work(engine) as session:
        session.execute(text("UPDATE early_warning SET note = 'seen'"))


def _core_on_a_bare_connection(engine) -> None:
    with engine.begin() as connection:
        connection.execute(update(EarlyWarning.__table__).values(note="seen"))


def _driver_sql(engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE early_warning SET note = 'seen'")


@pytest.mark.parametrize("write", [_core_on_the_sessions_connection, _text_in_a_session, _core_on_a_bare_connection,
                                   _driver_sql])
def test_a_kept_answer_shows_a_write_made_past_the_orm_at_once(warned, write):
    """Writes the ORM does not see (issue 15, lane epoch): main kept the old answer for up to 10 s."""
    ministry = signed_in(create_app(engine=warned.engine), "ministry")
    first = ministry.get("/api/v1/warnings")
    assert '"note":"seen"' not in first.text and ministry.get("/api/v1/warnings").content == first.content
    write(warned.engine)
    assert '"note":"seen"' in ministry.get("/api/v1/warnings").text
