"""The clock's briefings: from the 3rd of the month (China time) last month's national and provincial briefings,
once each, whatever runs them and how often."""

from __future__ import annotations

from datetime import datetime, timezone

from monitoring.briefing.support import desk  # noqa: F401 - the module's world
from sqlalchemy import func, select

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.briefing import service
from chainkeeper.monitoring.briefing.models import Briefing
from chainkeeper.monitoring.briefing.schedule import due_month, run_scheduled
from chainkeeper.reference.models import Region


def test_due_from_the_third_in_china_time():
    assert due_month(datetime(2022, 5, 2, 15, 59, tzinfo=timezone.utc)) is None  # 23:59 on the 2nd in Beijing
    assert due_month(datetime(2022, 5, 2, 16, 0, tzinfo=timezone.utc)) == "2022-04"  # midnight on the 3rd
    assert due_month(datetime(2023, 1, 20, tzinfo=timezone.utc)) == "2022-12"


def test_the_clock_generates_last_months_briefings_once(desk):
    with unit_of_work(desk.engine) as session:  # a province's own version before the clock's: both are kept
        service.generate(session=session, caller=desk.caller("jilin"), month="2022-04", region_code="22")
        provinces = session.scalar(select(func.count()).select_from(Region).where(Region.level == 1))
    assert run_scheduled(desk.engine, now=datetime(2022, 5, 2, 12, tzinfo=timezone.utc)).generated == []
    first = run_scheduled(desk.engine, now=datetime(2022, 5, 3, 1, tzinfo=timezone.utc))
    assert first.month == "2022-04" and first.errors == []
    assert first.generated[0] == "00" and len(first.generated) == provinces + 1
    again = run_scheduled(desk.engine, now=datetime(2022, 5, 9, 1, tzinfo=timezone.utc))
    assert again.generated == [] and again.errors == []
    with unit_of_work(desk.engine) as session:
        jilin = session.scalars(select(Briefing).where(Briefing.region_code == "22").order_by(Briefing.version))
        assert [(b.version, b.scheduled, b.generated_by) for b in jilin] == [
            (1, False, desk.user_ids["jilin"]), (2, True, None)]
        national = service.latest(session=session, month="2022-04", region_code="00", scheduled=True)
        assert national.generated_by_name == "system" and national.pdf.startswith(b"%PDF")
