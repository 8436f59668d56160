"""The desk's part of the demo story: the Changchun OEM reports its blocked Shanghai and Kunshan suppliers and a
closed highway exit; Jilin writes to Shanghai; Suzhou solves the Kunshan case end to end (in April 2022, the
story's month, so its briefings show it); the engine ranks them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from chainkeeper.auth.service import caller_named
from chainkeeper.coordination.assessment import assess_pending
from chainkeeper.coordination.letters import LetterAction, act, add_cases, create_letter
from chainkeeper.coordination.models import Case, CaseCategory, Urgency
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.coordination.tick import run_tick
from chainkeeper.coordination.transitions import Step, apply
from chainkeeper.coordination.workflow import Action
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.core.caller import Caller


STORY_WEEK = datetime(2022, 4, 12, 1, 0, tzinfo=timezone.utc)  # 09:00 in China, the story's week of April 2022
"""When the solved Kunshan case was filed: a closed case is history, so it keeps the story's own date and the April
2022 briefings count it; the open cases (the letter to Shanghai, the G2 exit) are counted back from the load day,
as the white lists are, so their time limits run now."""


def _suppliers(session: Session, customer_id: int, region: str, limit: int) -> list[Enterprise]:
    query = (select(Enterprise).join(SupplyLink, SupplyLink.supplier_id == Enterprise.id)
             .where(SupplyLink.customer_id == customer_id, Enterprise.county_code.like(f"{region}%"))
             .order_by(SupplyLink.annual_value.desc()).limit(limit))
    return list(session.scalars(query))


def _step(session: Session, case: Case, who: Caller, action: Action, at: datetime, **extra) -> None:
    apply(session=session, case=case, step=Step(action, **extra), principal=who.principal, actor=who.actor, now=at)


def _file(session: Session, oem: Caller, at: datetime, **fields) -> Case:
    return file_case(session=session, caller=oem, data=NewCase(**fields), now=at)


def _shanghai_letter(session: Session, oem: Caller, jilin: Caller, shanghai: Caller, suppliers, at) -> int:
    cases = [_file(session, oem, at, category=CaseCategory.parts_supply, title=f"{firm.name}停产，零部件断供",
                   blocked="上海封控，供应商停工，库存仅余数日", help_wanted="请协调供应商纳入白名单并尽快复产",
                   blocking_uscc=firm.uscc, urgency=Urgency.critical) for firm in suppliers]
    for case in cases:
        _step(session, case, jilin, Action.accept, at + timedelta(minutes=30))
    letter = create_letter(session=session, caller=jilin, to_region_code="31", now=at + timedelta(hours=1),
                           subject="关于协调在沪汽车零部件供应商复工复产的函",
                           body="我省整车企业的在沪一级供应商停产，请贵市协调纳入复工白名单。")
    add_cases(session=session, caller=jilin, letter=letter, case_ids=[c.id for c in cases])
    act(session=session, caller=jilin, letter=letter, action=LetterAction.send, now=at + timedelta(hours=1))
    if cases:
        _step(session, cases[0], shanghai, Action.assign, at + timedelta(hours=2), liaison_id=shanghai.principal.user_id)
    return len(cases)


def _kunshan_solved(session: Session, oem: Caller, callers: dict[str, Caller], supplier, at: datetime) -> None:
    case = _file(session, oem, at, category=CaseCategory.parts_supply, title=f"{supplier.name}员工无法返岗",
                 blocked="线束工人居住小区封控，工厂开工率不足三成", help_wanted="协调员工闭环返岗", blocking_uscc=supplier.uscc)
    suzhou, kunshan = callers["suzhou"], callers["kunshan"]
    _step(session, case, suzhou, Action.accept, at + timedelta(minutes=20))
    _step(session, case, suzhou, Action.assign, at + timedelta(minutes=25), liaison_id=kunshan.principal.user_id)
    _step(session, case, kunshan, Action.feedback, at + timedelta(hours=2),
          text="已安排点对点班车，200名员工闭环返岗，明日恢复发货")
    _step(session, case, oem, Action.confirm, at + timedelta(hours=20))
    _step(session, case, callers["jiangsu"], Action.close, at + timedelta(hours=21))


def create_demo_cases(engine: Engine) -> dict[str, int]:
    """File the story's cases and move them along; returns counts for the demo summary."""
    now = datetime.now(timezone.utc)
    with unit_of_work(engine) as session:
        callers = {name: caller_named(session, name) for name in
                   ("oem", "jilin", "shanghai", "jiangsu", "suzhou", "kunshan")}
        oem = callers["oem"]
        if oem is None or any(value is None for value in callers.values()):
            return {}
        shanghai_suppliers = _suppliers(session, oem.principal.enterprise_id, "31", 5)
        kunshan = _suppliers(session, oem.principal.enterprise_id, "3205", 1)  # Suzhou (Kunshan is in it)
        filed = _shanghai_letter(session, oem, callers["jilin"], callers["shanghai"], shanghai_suppliers,
                                 now - timedelta(days=2))
        if kunshan:
            _kunshan_solved(session, oem, callers, kunshan[0], STORY_WEEK)
            filed += 1
        _file(session, oem, now - timedelta(days=1, hours=3), category=CaseCategory.logistics,
              title="G2京沪高速昆山出口关闭，零部件车辆无法下高速", blocked="运输车辆绕行超过8小时",
              help_wanted="请求开通重点物资运输绿色通道", blocking_name="G2京沪高速昆山出口", blocking_region_code="320583")
        filed += 1
    report = run_tick(engine, assess=False, deliver=False)  # the day-old logistics case is flagged overdue
    assessed = assess_pending(engine)
    return {"desk cases": filed, "overdue cases": report.overdue, "assessed cases": assessed}
