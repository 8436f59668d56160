"""The early-warning test world: the desk's firms and users, and monthly figures shaped like the 2022 releases."""

from __future__ import annotations

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.warnings.service import RuleData, create_rule

# YoY growth of industrial value added above designated size, 2022: the national series and Shanghai's April −61.5 as
# published (NBS, Shanghai statistics bureau); the other provincial figures are illustrative. January is published
# with February
NATIONAL = [("2022-02", 7.5), ("2022-03", 5.0), ("2022-04", -2.9), ("2022-05", 0.7), ("2022-06", 3.9)]
SHANGHAI = [("2022-02", 12.7), ("2022-03", -7.5), ("2022-04", -61.5), ("2022-05", -30.0), ("2022-06", 13.1)]
JIANGSU = [("2022-02", 11.6), ("2022-03", 7.4), ("2022-04", -1.7), ("2022-05", 5.4), ("2022-06", 6.2)]
ZHEJIANG = [("2022-02", 11.4), ("2022-03", 8.6), ("2022-04", 0.5), ("2022-05", 3.5), ("2022-06", 5.3)]
FIGURES = {("iva_yoy", "", ""): NATIONAL, ("iva_yoy", "31", ""): SHANGHAI, ("iva_yoy", "32", ""): JIANGSU,
           ("iva_yoy", "33", ""): ZHEJIANG}


def source(session, indicator, region_code="", industry_code=""):
    """The figures above in the shape of the indicators' ``series`` (region '' = national)."""
    return list(FIGURES.get((indicator, region_code, industry_code), []))


def add_rule(desk, username: str = "ministry", **values):
    """A rule created through the service by ``username``; returns its id."""
    data = RuleData(**({"indicator": "iva_yoy", "kind": "below", "params": {"threshold": 0}, "level": "red"} | values))
    with unit_of_work(desk.engine) as session:
        return create_rule(session=session, caller=desk.caller(username), data=data).id
