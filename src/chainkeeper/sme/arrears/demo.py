"""The arrears part of the demo: complaints across provinces in every state, two irregular-charge reports, one
typical case, and the accounts ``sme_creditor`` (a small Kunshan supplier) and ``debtor`` (a large Suzhou
manufacturer). Synthetic firms (names say 示例); every step goes through the services, so the timeline and the audit
trail read as they would have. Dates are counted back from the day the demo is loaded."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Engine, select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.demo import demo_password
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.uscc import generate
from chainkeeper.sme.arrears import ledger, service
from chainkeeper.sme.arrears.clock import flag_overdue
from chainkeeper.sme.arrears.models import Kind
from chainkeeper.sme.arrears.rules import DebtorLevel, DebtorType
from chainkeeper.sme.arrears.service import ComplaintIn, StepIn
from chainkeeper.sme.arrears.workflow import Action

FIRMS = {  # key: name, county, size (synthetic firms in real places)
    "creditor": ("昆山示例精密模具有限公司", "320583", "small"),
    "debtor": ("苏州示例重工集团有限公司", "320505", "large"),
    "ningbo": ("宁波示例五金制品有限公司", "330206", "micro"),
    "hefei": ("合肥示例电子科技有限公司", "340104", "medium"),
    "changchun": ("长春示例汽车集团有限公司", "220106", "large"),
    "dongguan": ("东莞示例包装材料有限公司", "441900", "small"),
}
DEMO_ACCOUNTS = [("sme_creditor", "昆山示例精密模具", "creditor"), ("debtor", "苏州示例重工集团", "debtor")]


def _firms(engine: Engine, rng: random.Random) -> dict[str, int]:
    rows = {key: dict(uscc=generate(county, rng), name=name, county_code=county, industry_code="3670", size=size,
                      labels="", chain="", contact_person="王芳", contact_phone="13700000000")
            for key, (name, county, size) in FIRMS.items()}
    assert import_rows(engine, "enterprises", list(rows.values()), source="arrears demo").written
    with unit_of_work(engine) as session:
        ids = dict(session.execute(select(Enterprise.uscc, Enterprise.id).where(
            Enterprise.uscc.in_([r["uscc"] for r in rows.values()]))).all())
    return {key: ids[row["uscc"]] for key, row in rows.items()}


def _caller(session, username: str) -> Caller:
    principal = principal_of(session.scalars(select(User).where(User.username == username)).one())
    return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))


def _accounts(engine: Engine, ids: dict[str, int]) -> None:
    with unit_of_work(engine) as session:
        for username, name, firm in DEMO_ACCOUNTS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session=session, username=username, password=demo_password(username), display_name=name,
                            roles={Role.enterprise}, enterprise_id=ids[firm])


def _complaints(ids: dict[str, int], today) -> list[tuple]:
    """(filer, data, steps) — steps are (who, StepIn, days after filing)."""
    def arrears(debtor: str, dtype, level, region, amount, delivered_days_ago, what, debtor_id=None, **extra):
        return ComplaintIn(kind=Kind.arrears, debtor_name=debtor, debtor_type=dtype, debtor_level=level,
                           debtor_region_code=region, amount=Decimal(amount), delivered_what=what,
                           debtor_enterprise_id=debtor_id, delivered_on=today - timedelta(days=delivered_days_ago),
                           signed_on=today - timedelta(days=delivered_days_ago + 30), contract_no="示例合同",
                           evidence="采购合同.pdf\n验收单.pdf", **extra)

    paid = StepIn(Action.pay, text="银行回单（示例）", amount=Decimal("150000"), paid_on=today + timedelta(days=12))
    return [
        ("sme_creditor", arrears(FIRMS["debtor"][0], DebtorType.state_owned, DebtorLevel.local, "320505", "386500.00",
                                 120, "注塑模具 3 套", ids["debtor"], consent_publish=True), []),
        ("sme_creditor", arrears(FIRMS["debtor"][0], DebtorType.state_owned, DebtorLevel.local, "320505", "96000.00",
                                 150, "模具维修服务", ids["debtor"]),
         [("jiangsu", StepIn(Action.accept), 1), ("jiangsu", StepIn(Action.transfer, text="苏州市工业和信息化局"), 3)]),
        ("ningbo", arrears("杭州示例区人民政府办公室", DebtorType.government, DebtorLevel.local, "330106",
                           "58000.00", 200, "办公设备维修配件"), [("ministry", StepIn(Action.accept), 2)]),
        ("hefei", arrears(FIRMS["changchun"][0], DebtorType.large_private, DebtorLevel.local, "220106", "300000.00",
                          180, "车载电子模块 2,000 件", ids["changchun"], agreed_rate=Decimal("4.5")),
         [("jilin", StepIn(Action.accept), 1), ("jilin", StepIn(Action.transfer, text="长春市工业和信息化局"), 4),
          ("jilin", StepIn(Action.agree, text="分两期：本月付 15 万元，下月付 15 万元"), 10), ("jilin", paid, 12)]),
        ("dongguan", arrears("某中央企业示例集团有限公司", DebtorType.state_owned, DebtorLevel.central, "110102",
                             "120000.00", 240, "包装材料", consent_publish=True),
         [("ministry", StepIn(Action.accept), 1), ("ministry", StepIn(Action.transfer, text="国务院国资委"), 5),
          ("ministry", StepIn(Action.pay, text="银行回单（示例）", amount=Decimal("120000"),
                              paid_on=today + timedelta(days=20)), 20),
          ("ministry", StepIn(Action.clear), 21)]),
        ("hefei", arrears("合肥示例职业学院", DebtorType.institution, DebtorLevel.local, "340104", "45000.00", 100,
                          "实训设备", disputed=False),
         [("ministry", StepIn(Action.reject, reason="双方已就付款达成和解，投诉人撤回"), 2)]),
        ("dongguan", ComplaintIn(kind=Kind.charge, debtor_name="东莞示例镇某协会", debtor_type=DebtorType.institution,
                                 debtor_level=DebtorLevel.local, debtor_region_code="441900", amount=Decimal("8000"),
                                 delivered_what="要求缴纳“评比达标费”方可办理年检"), []),
        ("ningbo", ComplaintIn(kind=Kind.levy, debtor_name="宁波示例街道办事处", debtor_type=DebtorType.government,
                               debtor_level=DebtorLevel.local, debtor_region_code="330206", amount=Decimal("20000"),
                               delivered_what="摊派节庆活动赞助费"), [("ministry", StepIn(Action.accept), 1)]),
    ]


def create_demo_arrears(engine: Engine, *, seed: int = 728) -> dict[str, int]:
    """Firms, accounts, the complaints with their steps, one typical case, and the clock's overdue flags."""
    rng = random.Random(seed)
    ids = _firms(engine, rng)
    _accounts(engine, ids)
    users = {"ningbo": None, "hefei": None, "dongguan": None}
    now = datetime.now(timezone.utc)
    filed_at = now - timedelta(days=30)
    count = 0
    for filer, data, steps in _complaints(ids, (now - timedelta(days=30)).date()):
        with unit_of_work(engine) as session:
            caller = _caller(session, "ministry") if filer in users else _caller(session, filer)
            if filer in users:  # registered on behalf by the ministry (the SME's own account is not in the demo)
                data = ComplaintIn(**{**vars(data), "creditor_id": ids[filer]})
            c = service.file(session=session, caller=caller, data=data, now=filed_at)
            for who, step, days in steps:
                service.act(session=session, caller=_caller(session, who), complaint_id=c.id, step=step,
                            now=filed_at + timedelta(days=days))
            if c.state.value == "cleared":
                ledger.publish(session=session, caller=_caller(session, "ministry"), complaint_id=c.id,
                               summary=f"广东一家小型包装企业投诉{data.debtor_name}拖欠货款12万元；受理后转交主管部门督办，"
                                       "被投诉人于三周内全额付清。")
            count += 1
    flag_overdue(engine, now=now)
    return {"arrears complaints": count}
