"""A small registry for the forecast's tests (values are annual CNY; days do not depend on them)::

    A (steel, Shanghai) --essential, 3 days--> B (harness, Kunshan) --essential, 10 days--> C (OEM, Changchun, leading)
    N (plastics, Ningbo) --non-essential--> C
"""

from __future__ import annotations

from factories import enterprise_row, import_registry, link_row

from datetime import date

from whitelist.support import caller

from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.reporting import service as reporting


def forecast_registry(engine) -> dict:
    """Import the registry of the module docstring; returns name -> enterprise id (and ``_rows``)."""
    rows = {
        "A": enterprise_row(name="上海钢材有限公司", county_code="310115", industry_code="3130"),
        "B": enterprise_row(name="昆山线束有限公司", county_code="320583", industry_code="3670"),
        "C": enterprise_row(name="长春整车有限公司", county_code="220104", industry_code="3611", size="large",
                            labels="leading"),
        "N": enterprise_row(name="宁波塑料有限公司", county_code="330206", industry_code="2929"),
    }
    links = [link_row(rows["A"]["uscc"], rows["B"]["uscc"], annual_value="100", inventory_days="3"),
             link_row(rows["B"]["uscc"], rows["C"]["uscc"], annual_value="300", inventory_days="10"),
             link_row(rows["N"]["uscc"], rows["C"]["uscc"], annual_value="100", inventory_days="3", essential="0")]
    return import_registry(engine, rows, links) | {"_rows": rows}


DAILY_TYPE = "daily_scheduling"
DAILY_FIELDS = [  # lane B's keys, as much of them as the forecast reads
    {"key": "capacity_utilisation", "label_zh": "产能利用率", "label_en": "Capacity utilisation", "kind": "percent",
     "min": 0, "max": 150},
    {"key": "inventory", "label_zh": "库存", "label_en": "Inventory", "kind": "table", "max_rows": 30, "columns": [
        {"key": "input_industry", "label_zh": "投入行业", "label_en": "Input industry", "kind": "text",
         "max_length": 4},
        {"key": "supplier_uscc", "label_zh": "供应商", "label_en": "Supplier", "kind": "text", "max_length": 18},
        {"key": "days", "label_zh": "天数", "label_en": "Days", "kind": "number", "min": 0}]},
]


def report_hand_worked_state(engine, ids: dict) -> None:
    """Reports through the reporting framework: A 0% on 04-10; B 2 days of A's steel (by supplier) and C 4 days of
    division 36 on 04-11; C again on 04-12 (0 days: a forecast made on 04-11 must not read it)."""
    ministry = caller(Role.ministry)
    with unit_of_work(engine) as session:
        reporting.define_type(session=session, caller=ministry, code=DAILY_TYPE, name_zh="日调度",
                              name_en="Daily scheduling", fields=DAILY_FIELDS, cutoff_local="17:00")
        reporting.assign(session=session, caller=ministry, type_code=DAILY_TYPE,
                         enterprise_ids=[ids["A"], ids["B"], ids["C"]], since=date(2022, 4, 1))
        a_uscc = ids["_rows"]["A"]["uscc"]
        for eid, day, values in (
                (ids["A"], date(2022, 4, 10), {"capacity_utilisation": 0}),
                (ids["B"], date(2022, 4, 11), {"capacity_utilisation": 100,
                                               "inventory": [{"supplier_uscc": a_uscc, "days": 2}]}),
                (ids["C"], date(2022, 4, 11), {"capacity_utilisation": 100,
                                               "inventory": [{"input_industry": "36", "days": 4}]}),
                (ids["C"], date(2022, 4, 12), {"capacity_utilisation": 100,
                                               "inventory": [{"input_industry": "36", "days": 0}]})):
            reporting.submit(session=session, caller=ministry, type_code=DAILY_TYPE, enterprise_id=eid,
                             report_date=day, values=values, channel="api")
