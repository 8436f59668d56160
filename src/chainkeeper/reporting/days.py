"""Which days hold reports: the pages of today point to the latest day with reports when today has none yet."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.reporting.models import Report
from chainkeeper.reporting.scope import report_scope


def latest_days(*, session: Session, caller: Caller, up_to: date) -> dict[int, date]:
    """The newest day, up to ``up_to``, with a report the caller may read, by report type id (the pages point to it
    when the day shown has none, e.g. the demo's reports are from April 2022)."""
    query = (select(Report.report_type_id, func.max(Report.report_date))
             .where(Report.report_date <= up_to, report_scope(caller.principal)).group_by(Report.report_type_id))
    return {type_id: day for type_id, day in session.execute(query)}
