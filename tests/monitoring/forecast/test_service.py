"""The forecast service on a hand-worked registry (see ``support``): lines, levels, the supplier chain, scope, case.

Reported state (made on 2022-04-11): A (Shanghai) at 0% capacity; B holds 2 days of A's steel (industry 3130);
C holds 4 days of harnesses (division "36" covers B's class 3670).  Forecast days count from the report date
(day 1 = 04-12 = the engine's day 0):

* B: day 0 stock 2 days -> full output on engine days 0 and 1, empty on day 2 -> B stops on forecast day 3;
* C: receives B's full output on days 0-1 (its stock stays 4 days), nothing from day 3's arrival on:
  day 3: 3 days, day 4: 2, day 5: 1 (= one day's use: still full output), day 6: 0 -> C stops on engine day 6 =
  forecast day 7: yellow (stops within 7 days, not within 3); the chain walked back is B, then A.
"""

from __future__ import annotations

from datetime import date

import pytest
from monitoring.forecast.support import forecast_registry
from whitelist.support import caller

from chainkeeper.auth.roles import Role
from chainkeeper.coordination.models import Case
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.monitoring.forecast import service
from chainkeeper.monitoring.forecast.compute import InventoryRow, ReportedState

DAY = date(2022, 4, 11)


def _state(ids, c_days=4.0):
    return ReportedState(capacity={ids["A"]: 0.0},
                         inventory=(InventoryRow(ids["B"], "3130", "", "钢材", 2.0),
                                    InventoryRow(ids["C"], "36", "", "线束", c_days)))


def _run(engine, ids, who=None, **kw):
    with unit_of_work(engine) as session:
        run = service.forecast(session=session, caller=who or caller(Role.ministry), made_on=DAY,
                               state=_state(ids, **kw))
        return run.id


def test_forecast_gives_the_hand_worked_day_level_and_chain(engine):
    ids = forecast_registry(engine)
    run_id = _run(engine, ids)
    with unit_of_work(engine) as session:
        lines = service.list_lines(session=session, principal=caller(Role.ministry).principal, run_id=run_id)
        assert [v.enterprise.id for v in lines] == [ids["C"]]         # the only key enterprise (leading)
        line = lines[0].line
        assert (line.day_below_90, line.day_below_50, line.level) == (7, 7, "yellow")
        assert line.binding_industry == "3670"
        assert [step["id"] for step in line.chain] == [ids["B"], ids["A"]]
        run = service.latest_run(session=session)
        assert run.id == run_id and run.n_reports == 3 and run.n_key == 1


def test_less_than_a_day_of_stock_makes_the_line_red(engine):
    """C with 0.4 day of harnesses: engine day 0 output = x0 * 0.4 (the stock covers 40% of a day's use) ->
    below 90% and 50% on forecast day 1: red."""
    ids = forecast_registry(engine)
    run_id = _run(engine, ids, c_days=0.4)
    with unit_of_work(engine) as session:
        line = service.list_lines(session=session, principal=caller(Role.ministry).principal, run_id=run_id)[0].line
        assert (line.day_below_90, line.day_below_50, line.level) == (1, 1, "red")


def test_lines_are_scoped_by_region(engine):
    ids = forecast_registry(engine)
    run_id = _run(engine, ids)
    with unit_of_work(engine) as session:
        jilin = caller(Role.province, region="22").principal
        jiangsu = caller(Role.province, region="32").principal
        assert len(service.list_lines(session=session, principal=jilin, run_id=run_id)) == 1
        assert service.list_lines(session=session, principal=jiangsu, run_id=run_id) == []
        line_id = service.list_lines(session=session, principal=jilin, run_id=run_id)[0].line.id
        with pytest.raises(NotFound):
            service.get_line(session=session, principal=jiangsu, line_id=line_id)


def test_open_a_desk_case_from_a_line(engine):
    ids = forecast_registry(engine)
    run_id = _run(engine, ids)
    jilin = caller(Role.province, region="22")
    with unit_of_work(engine) as session:
        line_id = service.list_lines(session=session, principal=jilin.principal, run_id=run_id)[0].line.id
        case = service.open_case(session=session, caller=jilin, line_id=line_id, language="en")
        case_id = case.id
    with unit_of_work(engine) as session:
        case = session.get(Case, case_id)
        assert case.requester_id == ids["C"] and case.blocking_enterprise_id == ids["A"]
        assert "长春整车有限公司" in case.title and "7 days" in case.title
        assert "昆山线束有限公司 → 上海钢材有限公司" in case.blocked
        with pytest.raises(ValidationFailed, match="already open"):
            service.open_case(session=session, caller=jilin, line_id=line_id)


def test_horizon_is_bounded(engine):
    ids = forecast_registry(engine)
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed, match="horizon"):
        service.forecast(session=session, caller=caller(Role.ministry), made_on=DAY, horizon=0, state=_state(ids))


DAILY_FIELDS = [  # lane B's keys, as much of them as the forecast reads
    {"key": "capacity_utilisation", "label_zh": "产能利用率", "label_en": "Capacity utilisation", "kind": "percent",
     "min": 0, "max": 150},
    {"key": "inventory", "label_zh": "库存", "label_en": "Inventory", "kind": "table", "max_rows": 30, "columns": [
        {"key": "input_industry", "label_zh": "投入行业", "label_en": "Input industry", "kind": "text",
         "max_length": 4},
        {"key": "supplier_uscc", "label_zh": "供应商", "label_en": "Supplier", "kind": "text", "max_length": 18},
        {"key": "days", "label_zh": "天数", "label_en": "Days", "kind": "number", "min": 0}]},
]


def test_forecast_reads_the_latest_daily_reports(engine):
    """The same hand-worked state, reported through the reporting framework (A on 04-10, B and C on 04-11; a
    later report of 04-12 is not read): C stops on forecast day 7.  B reports its stock by supplier (A's USCC)."""
    from chainkeeper.reporting import service as reporting

    ids = forecast_registry(engine)
    ministry = caller(Role.ministry)
    with unit_of_work(engine) as session:
        reporting.define_type(session=session, caller=ministry, code=service.DAILY_TYPE, name_zh="日调度",
                              name_en="Daily scheduling", fields=DAILY_FIELDS, cutoff_local="17:00")
        reporting.assign(session=session, caller=ministry, type_code=service.DAILY_TYPE,
                         enterprise_ids=[ids["A"], ids["B"], ids["C"]], since=date(2022, 4, 1))
        a_uscc = ids["_rows"]["A"]["uscc"]
        for eid, day, values in (
                (ids["A"], date(2022, 4, 10), {"capacity_utilisation": 0}),
                (ids["B"], DAY, {"capacity_utilisation": 100, "inventory": [{"supplier_uscc": a_uscc, "days": 2}]}),
                (ids["C"], DAY, {"capacity_utilisation": 100, "inventory": [{"input_industry": "36", "days": 4}]}),
                (ids["C"], date(2022, 4, 12), {"capacity_utilisation": 100,
                                               "inventory": [{"input_industry": "36", "days": 0}]})):
            reporting.submit(session=session, caller=ministry, type_code=service.DAILY_TYPE, enterprise_id=eid,
                             report_date=day, values=values, channel="api")
    with unit_of_work(engine) as session:
        run = service.forecast(session=session, caller=ministry, made_on=DAY)
        lines = service.list_lines(session=session, principal=ministry.principal, run_id=run.id)
        assert [(v.enterprise.id, v.line.day_below_50, v.line.level) for v in lines] == [(ids["C"], 7, "yellow")]
        assert run.n_reports == 3
        lights = service.inventory_lights(session=session, principal=ministry.principal, made_on=DAY)
        assert [(v.enterprise.id, v.row.days, v.row.light) for v in lights] == [(ids["B"], 2.0, "red"),
                                                                                 (ids["C"], 4.0, "yellow")]
