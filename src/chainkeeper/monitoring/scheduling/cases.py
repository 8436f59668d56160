"""A daily report's problem becomes a desk case in one click: a proposal prefilled from the report (category from
its words and its logistics status, the blocking party from the inventory's shortest-running supplier), filed by
the enterprise itself or by an authority of its region through :func:`chainkeeper.coordination.service.file_case`.
The case's text names the report's page; :class:`ProblemCase` links the two both ways."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.coordination.messages import refuse
from chainkeeper.coordination.models import Case, CaseCategory, Urgency
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.core.caller import Caller
from chainkeeper.errors import Conflict, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.monitoring.scheduling.models import ProblemCase
from chainkeeper.monitoring.scheduling.service import TYPE_CODE
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import service as reporting
from chainkeeper.reporting.models import Report

CATEGORY_WORDS = (
    (CaseCategory.staff_return, ("返岗", "员工", "人员", "工人", "封控", "staff", "worker")),
    (CaseCategory.logistics, ("物流", "运输", "车辆", "通行", "货车", "高速", "港口", "truck", "logistics")),
    (CaseCategory.parts_supply, ("零部件", "供应商", "断供", "缺件", "配套", "停供", "supplier", "parts")),
    (CaseCategory.raw_materials, ("原材料", "钢材", "铝", "芯片", "材料", "material", "chip")),
    (CaseCategory.energy, ("停电", "电力", "天然气", "能源", "energy", "power")),
)
PARTY_NAMES = {CaseCategory.staff_return: "人员返岗", CaseCategory.logistics: "物流运输",
               CaseCategory.parts_supply: "零部件供应", CaseCategory.raw_materials: "原材料供应",
               CaseCategory.energy: "能源供应", CaseCategory.other: "生产经营"}


def report_path(report_id: int) -> str:
    """The report's page (what a case opened from it links back to)."""
    return f"/monitoring/scheduling/reports/{report_id}"


def guess_category(problem: str, logistics: str | None) -> CaseCategory:
    """The desk category the problem's words point to (a blocked logistics status wins; ``other`` when unsure).

    >>> guess_category("昆山线束供应商员工无法返岗", "normal").value, guess_category("无", "blocked").value
    ('staff_return', 'logistics')
    """
    if logistics == "blocked":
        return CaseCategory.logistics
    text = problem.lower()
    return next((category for category, words in CATEGORY_WORDS if any(word in text for word in words)),
                CaseCategory.other)


@dataclass(frozen=True)
class Proposal:
    """The case a report's problem proposes: every field the desk's form asks, prefilled."""

    report_id: int
    requester_id: int
    requester_name: str
    category: CaseCategory
    title: str
    blocked: str
    help_wanted: str
    blocking_uscc: str | None
    blocking_name: str
    blocking_region_code: str | None
    urgency: Urgency


def _blocking_supplier(session: Session, report: Report) -> Enterprise | None:
    """The registered supplier of the inventory row that runs out first (not the reporter itself)."""
    rows = sorted((row for row in report.values.get("inventory") or [] if row.get("supplier_uscc")),
                  key=lambda row: row.get("days") if row.get("days") is not None else 9e9)
    for row in rows:
        found = session.scalars(select(Enterprise).where(
            Enterprise.uscc == str(row["supplier_uscc"]).strip().upper())).first()
        if found is not None and found.id != report.enterprise_id:
            return found
    return None


def proposal(*, session: Session, caller: Caller, report_id: int) -> Proposal:
    """The prefilled case for the report's problem (:class:`NotFound` outside the caller's scope)."""
    report = reporting.get_report(session=session, caller=caller, report_id=report_id)
    problem = str((report.values or {}).get("problem") or "").strip()
    if report.report_type.code != TYPE_CODE or not problem:
        raise refuse(ValidationFailed, _("this report names no problem"), field="problem")
    enterprise = session.get(Enterprise, report.enterprise_id)
    category = guess_category(problem, (report.values or {}).get("logistics"))
    supplier = _blocking_supplier(session, report)
    shortest = min((row.get("days") for row in report.values.get("inventory") or [] if row.get("days") is not None),
                   default=None)
    urgency = Urgency.critical if shortest is not None and shortest < 3 else \
        Urgency.urgent if shortest is not None and shortest < 7 else Urgency.normal
    title = problem.splitlines()[0][:80]
    blocked = f"{problem}\n\n（{report.report_date.isoformat()} 日调度报告 {report_path(report.id)}）"
    return Proposal(report.id, enterprise.id, enterprise.name, category, title, blocked, "", 
                    supplier.uscc if supplier else None,
                    "" if supplier else f"{PARTY_NAMES.get(category, PARTY_NAMES[CaseCategory.other])}（{enterprise.name}）",
                    None if supplier else enterprise.county_code, urgency)


def case_of(session: Session, report_id: int) -> int | None:
    """The desk case opened from the report, if any."""
    return session.scalar(select(ProblemCase.case_id).where(ProblemCase.report_id == report_id))


def open_case(*, session: Session, caller: Caller, report_id: int, category: CaseCategory | None = None,
              title: str | None = None, blocking_uscc: str | None = None, blocking_name: str | None = None,
              blocking_region_code: str | None = None, urgency: Urgency | None = None) -> Case:
    """File the report's problem as a desk case (the proposal, with what the caller changed) and link the two.

    The enterprise itself or an authority of its region files it (the desk's own rules decide); a report opens
    one case only (:class:`Conflict` the second time).
    """
    found = proposal(session=session, caller=caller, report_id=report_id)
    if case_of(session, report_id) is not None:
        raise refuse(Conflict, _("a desk case was already opened from this report"))
    named = (blocking_name or "").strip()
    uscc = (blocking_uscc or "").strip() or (None if named else found.blocking_uscc)
    data = NewCase(category=category or found.category, title=(title or "").strip() or found.title,
                   blocked=found.blocked, help_wanted=found.help_wanted, requester_id=found.requester_id,
                   blocking_uscc=uscc, blocking_name=named or found.blocking_name,
                   blocking_region_code=(blocking_region_code or "").strip() or found.blocking_region_code,
                   urgency=urgency or found.urgency)
    case = file_case(session=session, caller=caller, data=data)
    session.add(ProblemCase(report_id=report_id, case_id=case.id, created_by=caller.actor.user_id))
    session.flush()
    record(session=session, actor=caller.actor, action="scheduling.problem_case", object_type="report",
           object_id=report_id, after={"case_id": case.id})
    return case
