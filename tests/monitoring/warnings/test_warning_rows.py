"""The warnings list of the API from plain rows (issue 15) is the answer the model path gives, byte for byte: every
caller's scope and filter, links in order, explanations with large and odd floats, acknowledged warnings — in two
statements whatever the number of warnings (main: the ORM's entities, then the links)."""

from __future__ import annotations

import pytest
from coordination.desk_support import build_desk
from monitoring.warnings.support import add_rule, source
from pydantic import TypeAdapter
from sqlalchemy import event

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.warnings import service
from chainkeeper.monitoring.warnings.api import warning_out
from chainkeeper.monitoring.warnings.evaluation import evaluate_indicator_rules
from chainkeeper.monitoring.warnings.models import EarlyWarning, LinkKind, WarningLink
from chainkeeper.monitoring.warnings.rows import warning_rows
from chainkeeper.monitoring.warnings.schemas import WarningOut
from chainkeeper.web.json_api import rows_json

FILTERS = [service.WarningFilter(), service.WarningFilter(level="red"), service.WarningFilter(acknowledged=False),
           service.WarningFilter(acknowledged=True), service.WarningFilter(region="32"),
           service.WarningFilter(kind="mom_drop"), service.WarningFilter(period="2022")]


@pytest.fixture
def desk(engine):
    desk = build_desk(engine)
    add_rule(desk, subregions=True)
    add_rule(desk, "jiangsu", region_code="32", kind="mom_drop", params={"points": 5}, level="yellow")
    evaluate_indicator_rules(engine, periods=["2022-04"], source=source, notify=False)
    with unit_of_work(engine) as session:
        warnings = session.query(EarlyWarning).order_by(EarlyWarning.id).all()
        odd = warnings[0]
        nan = [float("nan")] if engine.dialect.name == "sqlite" else []  # PostgreSQL's json refuses NaN
        odd.explanation = {**odd.explanation, "odd": [1e16, 1.2345678901234568e+16, 2.5e-7, -0.0, 1 / 3, 7, None,
                                                       *nan, "中文\u2028\x1f"]}
        odd.value = 1e22
        for kind, target in ((LinkKind.case, 9), (LinkKind.enterprise, 3), (LinkKind.forecast_line, 4)):
            session.add(WarningLink(warning_id=odd.id, target_kind=kind, target_id=target))
        session.add(WarningLink(warning_id=warnings[-1].id, target_kind=LinkKind.enterprise, target_id=5))
        service.acknowledge(session=session, caller=desk.caller("ministry"), warning_id=warnings[-1].id, note="看过")
    return desk


def _by_model(session, principal, where) -> bytes:
    found = service.list_warnings(session=session, principal=principal, where=where)
    return TypeAdapter(list[WarningOut]).dump_json([warning_out(warning) for warning in found])


@pytest.mark.parametrize("username", ["ministry", "analyst", "jiangsu", "zhejiang", "oem"])
def test_the_rows_give_the_models_bytes(desk, username):
    principal = desk.caller(username).principal
    with unit_of_work(desk.engine) as session:
        for where in FILTERS:
            expected = _by_model(session, principal, where)
            assert bytes(rows_json(warning_rows(session=session, principal=principal, where=where))) == expected
    with unit_of_work(desk.engine) as session:
        every = warning_rows(session=session, principal=desk.caller("ministry").principal)
        assert any(row["links"] for row in every) and any(row["acknowledged_at"] for row in every)


def test_the_rows_take_two_statements(desk):
    principal = desk.caller("ministry").principal
    sent = []
    with unit_of_work(desk.engine) as session:
        session.connection()
        event.listen(desk.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
        rows = warning_rows(session=session, principal=principal)
    assert len(rows) >= 3 and len(sent) == 2, sent
