"""The producers' daily report — a report type of the reporting framework (``docking_producer``), one row per good
in a table field — and what a producer has available for the day's allocation.

Available for day D = output + finished stock − committed shipments of the producer's latest report on or before D
(never below 0), less what published plans of day D in other scopes already took."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue
from chainkeeper.errors import NotFound
from chainkeeper.reporting import service as reporting

TYPE_CODE = "docking_producer"
STALE_AFTER_DAYS = 2  # a report older than this is not used for the day's allocation


def _number(key: str, zh: str, en: str) -> dict:
    return {"key": key, "label_zh": zh, "label_en": en, "kind": "number", "min": 0, "required": True}


def producer_fields(goods) -> list[dict]:
    """The type's fields: a table ``goods`` (good code as a choice from the catalogue, capacity, output, finished
    stock, committed shipments, expected capacity tomorrow) and a note."""
    choices = [[good.code, good.name_zh, good.name_en] for good in goods]
    return [
        {"key": "goods", "label_zh": "重点物资产销存", "label_en": "Critical goods: output and stock", "kind": "table",
         "required": True, "max_rows": 50, "columns": [
             {"key": "good", "label_zh": "物资", "label_en": "Good", "kind": "choice", "required": True,
              "choices": choices},
             _number("capacity", "日产能", "Daily capacity"),
             _number("output", "当日产量", "Output today"),
             _number("finished_stock", "成品库存", "Finished stock"),
             _number("committed", "已承诺发货", "Committed shipments"),
             _number("capacity_tomorrow", "明日预计产能", "Expected capacity tomorrow")]},
        {"key": "note", "label_zh": "说明", "label_en": "Note", "kind": "text", "max_length": 500},
    ]


def ensure_producer_type(*, session: Session, caller: Caller):
    """Define (or bring up to date with the catalogue) the report type; the ministry calls it. Idempotent: the
    type's version only rises when the goods changed."""
    fields = producer_fields(catalogue.goods(session, active_only=True))
    try:
        found = reporting.get_type(session=session, code=TYPE_CODE)
        if found.fields == fields:
            return found
    except NotFound:
        pass
    return reporting.define_type(session=session, caller=caller, code=TYPE_CODE, name_zh="重点物资生产企业日报",
                                 name_en="Critical goods producers' daily report", fields=fields,
                                 cutoff_local="17:00", remind_before_minutes=120)


@dataclass(frozen=True)
class Stock:
    """A producer's figures for one good from its latest report."""

    enterprise_id: int
    report_date: date
    capacity: float
    output: float
    finished_stock: float
    committed: float
    capacity_tomorrow: float

    @property
    def available(self) -> float:
        """Output + finished stock − committed shipments, never below 0."""
        return max(0.0, self.output + self.finished_stock - self.committed)


def stocks(*, session: Session, good_code: str, day: date, enterprise_ids: list[int] | None = None) -> list[Stock]:
    """Each producer's figures for the good from its latest report on or before ``day`` (reports older than
    :data:`STALE_AFTER_DAYS` are left out)."""
    try:
        latest = reporting.latest_reports(session=session, type_code=TYPE_CODE, enterprise_ids=enterprise_ids,
                                          up_to=day)
    except NotFound:
        return []
    out = []
    for enterprise_id, report in sorted(latest.items()):
        if report.report_date < day - timedelta(days=STALE_AFTER_DAYS):
            continue
        for row in (report.values or {}).get("goods") or []:
            if row.get("good") == good_code:
                out.append(Stock(enterprise_id, report.report_date, *(float(row.get(key) or 0) for key in (
                    "capacity", "output", "finished_stock", "committed", "capacity_tomorrow"))))
    return out


def enlist(*, session: Session, caller: Caller, enterprise_ids: list[int], since: date,
           group_name: str = "重点物资生产企业") -> None:
    """The producers report the type from ``since`` on (the reporting framework's assignment: its scope rules)."""
    reporting.assign(session=session, caller=caller, type_code=TYPE_CODE, enterprise_ids=enterprise_ids,
                     group_name=group_name, since=since)
