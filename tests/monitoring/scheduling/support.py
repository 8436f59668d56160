"""Daily scheduling's test world: the desk's firms and users (Changchun OEM, Kunshan and Ningbo suppliers, a Wuxi
chip maker), a national key group of the three auto firms, and their reports for one day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from coordination.desk_support import build_desk

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.scheduling import groups, service
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label

DAY = date(2022, 4, 18)
ON_TIME = datetime(2022, 4, 18, 6, 0, tzinfo=timezone.utc)  # 14:00 in China, before the 17:00 cut-off


def report(units, value, on_site, normal=100, inventory=(), logistics="normal", problem="") -> dict:
    """A daily report's values (exact field keys of the daily_scheduling type)."""
    return {"output_units": units, "output_value": value, "capacity_utilisation": 100 * value / 100,
            "staff_on_site": on_site, "staff_normal": normal, "inventory": list(inventory), "logistics": logistics,
            "problem": problem}


def build_world(engine):
    """The desk world plus labels and chains, a national group of the three auto firms (baselines 100 万元 a
    day, 100 units, 100 staff) and their reports of :data:`DAY`; returns (desk, group id, report ids by key)."""
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        for key in ("changchun", "kunshan", "ningbo"):
            session.get(Enterprise, desk.ids[key]).chain_code = "auto"
        session.add(EnterpriseLabel(enterprise_id=desk.ids["changchun"], label=Label.leading))
    ministry = desk.caller("ministry")
    with unit_of_work(engine) as session:
        group = groups.create_group(session=session, caller=ministry, name="重点汽车集团", region_code="",
                                    chain_code="auto")
        group_id = group.id
        keys = ("changchun", "kunshan", "ningbo")
        usccs = " ".join(desk.usccs[key] for key in keys)
        service.choose_members(session=session, caller=ministry, group_id=group_id, rule="picked", value=usccs,
                               day=date(2022, 4, 11), baselines={desk.ids[k]: (100, 100.0, 100) for k in keys})
    values = {"changchun": report(40, 40.0, 90, inventory=[{"input_industry": "3670",
                                                            "supplier_uscc": desk.usccs["kunshan"], "days": 2}]),
              "kunshan": report(0, 0.0, 20, logistics="constrained", problem="员工无法返岗，线束停产"),
              "ningbo": report(100, 100.0, 100)}
    ids = {}
    with unit_of_work(engine) as session:
        for key, found in values.items():
            by = desk.caller("oem" if key == "changchun" else "supplier" if key == "kunshan" else "ministry")
            ids[key] = service.reporting.submit(session=session, caller=by, type_code=service.TYPE_CODE,
                                                enterprise_id=desk.ids[key], report_date=DAY, values=found,
                                                channel="web", now=ON_TIME).id
    return desk, group_id, ids


def world_with_earlier_days(engine, earlier):
    """:func:`build_world` and daily reports of earlier days: ``earlier`` holds (days back, firm key, values)."""
    desk, _group_id, _ids = build_world(engine)
    ministry = desk.caller("ministry")
    with unit_of_work(engine) as session:
        for back, key, values in earlier:
            service.reporting.submit(session=session, caller=ministry, type_code=service.TYPE_CODE,
                                     enterprise_id=desk.ids[key], report_date=DAY - timedelta(days=back),
                                     values=values, channel="web", now=ON_TIME - timedelta(days=back))
    return desk
