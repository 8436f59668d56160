"""The white-list part of the demo story, through the real services (guards, audit, certificates).

Shanghai publishes batch 1 of its white list with every Shanghai auto-chain firm (in the story 16 April 2022: 666
firms); a few Shanghai OEMs are nominated to the national list; the Yangtze River Delta and Beijing–Tianjin–Hebei
agreements; a Shanghai OEM's Jiangsu/Zhejiang key suppliers in its pool; ~75% of listed firms resumed; and Jiangsu
applications in several states (a Kunshan draft, one awaiting Kunshan/Suzhou review, one rejected).

The story is set in spring 2022, but what a user sees as current must be current: the dates are counted back from
the day the demo is loaded (batch 1 six days ago, certificates valid 180 days from it), so a checkpoint reads the
demo certificates as valid and they agree with the desk's cases, which carry the dates they were filed on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.whitelist import agreements, certificates, entries, service
from chainkeeper.whitelist.attachments import store
from chainkeeper.whitelist.models import Application, Resumption, WhiteList
from chainkeeper.core.caller import Caller
from chainkeeper.whitelist.workflow import Action

LOADED_ON = datetime.now(ZoneInfo("Asia/Shanghai")).date()
BATCH_ONE = LOADED_ON - timedelta(days=6)  # the story's 16 April 2022
NATIONAL_DAY = BATCH_ONE + timedelta(days=2)
AGREEMENTS_FROM = BATCH_ONE - timedelta(days=15)
OEM_CLASSES = ("3611", "3612")


def _caller(role: Role, region: str | None = None, enterprise_id: int | None = None) -> Caller:
    principal = Principal(user_id=0, username=f"demo-{role.value}", display_name="demo", roles=frozenset({role}),
                          region_code=region, enterprise_id=enterprise_id)
    return Caller(principal, Actor(None, f"demo:{role.value}{':' + region if region else ''}", role.value))


def _apply(session: Session, white_list: WhiteList, firm: Enterprise, reason: str) -> Application:
    """A complete draft of ``firm`` (with its pledge, staff list and plan)."""
    applicant = _caller(Role.enterprise, enterprise_id=firm.id)
    plan = store(session=session, filename=f"{firm.uscc}-一企一策.txt", content_type="text/plain",
                 data=f"{firm.name} 疫情防控和复工复产应急预案（一企一策）".encode())
    application = service.create_application(
        session=session, caller=applicant, list_id=white_list.id, enterprise_id=firm.id, category="strategic",
        chain_code=firm.chain_code, reason=reason, on_site_staff=40 + firm.id % 400,
        staff_list="闭环管理人员名单（见附件）", pledge_accepted=True)
    service.update_draft(session=session, caller=applicant, application=application, plan_id=plan.id)
    return application


def _walk(session: Session, application: Application, firm: Enterprise, until: Action) -> None:
    """Move an application along the table up to (and including) ``until``."""
    steps = ((Action.submit, _caller(Role.enterprise, enterprise_id=firm.id)),
             (Action.pass_local, _caller(Role.county, firm.county_code)),
             (Action.approve, _caller(Role.province, firm.province_code)))
    for action, who in steps:
        service.transition(session=session, caller=who, application=application, action=action)
        if action is until:
            return


def _firms(session: Session, *where) -> list[Enterprise]:
    return list(session.scalars(select(Enterprise).where(*where).order_by(Enterprise.id)))


def _shanghai_batch(session: Session) -> tuple[WhiteList, list]:
    shanghai = _caller(Role.province, "31")
    white_list = service.create_list(session=session, caller=shanghai, name="上海市重点企业复工复产白名单",
                                     scope_code="31", categories=["strategic", "medical", "necessities", "operation"])
    firms = _firms(session, Enterprise.province_code == "31", Enterprise.chain_code == "auto")
    ids = []
    for firm in firms:
        application = _apply(session, white_list, firm, "汽车产业链重点企业")
        _walk(session, application, firm, Action.approve)
        ids.append(application.id)
    if ids:
        service.publish_batch(session=session, caller=shanghai, list_id=white_list.id, application_ids=ids,
                              published_on=BATCH_ONE)
    return white_list, entries.list_entries(session=session, list_id=white_list.id, as_of=BATCH_ONE, limit=10**6)


def _national(session: Session, rows: list) -> None:
    national = service.create_list(session=session, caller=_caller(Role.ministry), name="全国重点产业链供应链企业白名单",
                                   scope_code="", categories=["strategic", "medical", "necessities"])
    oems = [entry for entry, firm, _status in rows if firm.industry_code in OEM_CLASSES][:5]
    ministry = _caller(Role.ministry)
    nominated = [service.nominate(session=session, caller=_caller(Role.province, "31"), national_list_id=national.id,
                                  entry=entry, reason="整车龙头企业") for entry in oems]
    for application in nominated:
        service.transition(session=session, caller=ministry, application=application, action=Action.approve)
    if nominated:
        service.publish_batch(session=session, caller=ministry, list_id=national.id,
                              application_ids=[a.id for a in nominated], published_on=NATIONAL_DAY)


def _agreements(session: Session) -> None:
    actor = _caller(Role.ministry).actor
    agreements.create_agreement(session=session, actor=actor, name="长三角重点企业白名单互认",
                                regions=["31", "32", "33", "34"], valid_from=AGREEMENTS_FROM,
                                categories=["strategic", "medical", "necessities", "agri_inputs"])
    agreements.create_agreement(session=session, actor=actor, name="京津冀重点企业白名单互认",
                                regions=["11", "12", "13"], valid_from=AGREEMENTS_FROM,
                                categories=["strategic", "medical", "necessities"])


def _pool(session: Session, rows: list) -> int:
    """A Shanghai OEM's Jiangsu and Zhejiang key suppliers join its entry's pool."""
    oem = next(((entry, firm) for entry, firm, _s in rows if firm.industry_code in OEM_CLASSES), None)
    if oem is None:
        return 0
    query = (select(SupplyLink.supplier_id).join(Enterprise, Enterprise.id == SupplyLink.supplier_id)
             .where(SupplyLink.customer_id == oem[1].id, Enterprise.province_code.in_(("32", "33")))
             .order_by(SupplyLink.annual_value.desc()).limit(10))
    shanghai = _caller(Role.province, "31")
    suppliers = list(dict.fromkeys(session.scalars(query)))
    for supplier in suppliers:
        entries.add_to_pool(session=session, principal=shanghai.principal, actor=shanghai.actor, entry=oem[0],
                            enterprise_id=supplier, added_on=BATCH_ONE, reason="长三角关键配套供应商")
    return len(suppliers)


def _resumption(session: Session, rows: list) -> None:
    """About 75% of listed firms report resumption: 45% fully, 30% partly."""
    for position, (entry, firm, _status) in enumerate(rows):
        share = position % 20
        if share >= 15:
            continue
        state = Resumption.fully if share < 9 else Resumption.partly
        who = _caller(Role.enterprise, enterprise_id=firm.id)
        entries.set_resumption(session=session, principal=who.principal, actor=who.actor, entry=entry,
                               resumption=state, on=BATCH_ONE + timedelta(days=1 + position % 5))


def _jiangsu(session: Session) -> None:
    """Jiangsu's list and applications in several states."""
    white_list = service.create_list(session=session, caller=_caller(Role.province, "32"),
                                     name="江苏省重点产业链企业白名单", scope_code="32",
                                     categories=["strategic", "medical", "necessities"])
    kunshan = _firms(session, Enterprise.county_code == "320583", Enterprise.chain_code == "auto")[:3]
    for position, firm in enumerate(kunshan):
        application = _apply(session, white_list, firm, "为上海整车企业配套的关键零部件")
        if position >= 1:
            _walk(session, application, firm, Action.submit)
        if position == 2:
            service.transition(session=session, caller=_caller(Role.county, "320583"), application=application,
                               action=Action.reject, reason="应急预案未覆盖闭环管理，请补充后重新申请")


def create_demo_whitelists(*, session: Session) -> dict[str, int]:
    """Create the white-list demo once (nothing when lists exist already); counts of what was created."""
    agreements.ensure_default_categories(session=session)
    if session.scalar(select(WhiteList.id).limit(1)) is not None:
        return {}
    certificates.ensure_key()
    _, rows = _shanghai_batch(session)
    _national(session, rows)
    _agreements(session)
    pooled = _pool(session, rows)
    _resumption(session, rows)
    _jiangsu(session)
    return {"whitelist_entries": len(rows), "pool": pooled}
