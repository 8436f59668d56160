"""The policy part of the demo: a small library of support policies, a Kunshan SME with a profile that qualifies for
some and nearly for others, and its subscription.

Real national measures are cited by document number only where the number, issuer and title could be checked:
财库〔2020〕46号 (MOF and MIIT, 2020-12-18), 国务院令第728号 (in force 2020-09-01) and 工信部企业〔2022〕63号.
Everything else is marked *illustrative* (示例): plausible local measures with no real document behind them.
"""

from __future__ import annotations

import random
from datetime import date

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
from chainkeeper.sme.policies import service
from chainkeeper.sme.policies.fields import PolicyIn
from chainkeeper.sme.policies.rules import Rule

DEMO_ACCOUNTS = [("policy_sme", "昆山示例精密零部件", Role.enterprise)]
SME = dict(name="昆山示例精密零部件有限公司", county_code="320583", industry_code="3670", size="small",
           labels="专精特新", chain="", contact_person="周敏", contact_phone="13912340000")
PROFILE = service.ProfileIn(founded_on=date(2016, 5, 18), extra_labels=[],
                            facts={"employees": 120, "revenue_wan": 8600, "assets_wan": 9000, "rd_ratio_pct": 4.6,
                                   "invention_patents": 3, "revenue_growth_pct": 12.5})
SME_SIZES = ["medium", "small", "micro"]

REAL = [
    PolicyIn(code="MOF-2020-46", title="政府采购促进中小企业发展管理办法", issuer="财政部 工业和信息化部",
             document_number="财库〔2020〕46号", size_classes=["small", "micro"],
             benefit="政府采购货物和服务项目对小微企业报价给予价格扣除（本办法定为 6%–10%，财政部后续通知将其提高到 "
                     "10%–20%），并为中小企业预留采购份额。",
             how_to_apply="投标时按办法附件格式出具《中小企业声明函》；企业规模按国家的中小企业划型标准自行判定。"),
    PolicyIn(code="SC-728", title="保障中小企业款项支付条例", issuer="国务院", document_number="国务院令第728号",
             size_classes=SME_SIZES, valid_from=date(2020, 9, 1),
             benefit="机关、事业单位和大型企业向中小企业采购货物、工程、服务，应按约定及时支付款项；逾期未付的，中小企业"
                     "可以向主管部门投诉。",
             how_to_apply="在平台“中小企业服务”中登记拖欠款项（投诉），按条例转交有关部门处理。"),
    PolicyIn(code="MIIT-2022-63", title="优质中小企业梯度培育管理暂行办法", issuer="工业和信息化部",
             document_number="工信部企业〔2022〕63号", size_classes=SME_SIZES,
             benefit="创新型中小企业、专精特新中小企业、专精特新“小巨人”企业梯度培育，认定后享受各级配套支持。",
             how_to_apply="按办法的评价指标自评，向县级中小企业主管部门提出申请，逐级推荐认定。"),
]
ILLUSTRATIVE = [
    PolicyIn(code="JS-SRDI-RD", title="江苏省专精特新中小企业研发投入奖励（示例）", issuer="江苏省工业和信息化厅（示例）",
             region_scope="32", labels_any=["specialized", "little_giant"], size_classes=SME_SIZES,
             rules=[Rule("rd_ratio_pct", ">=", 3.0)], benefit="按上年研发投入增量的 10% 给予奖励，最高 50 万元。",
             how_to_apply="每年 3 月在省级平台申报，附研发费用专项审计报告。"),
    PolicyIn(code="SZ-FIRST-SET", title="苏州市首台（套）重大装备奖励（示例）", issuer="苏州市工业和信息化局（示例）",
             region_scope="3205", industries=["34", "35"], benefit="按首台（套）销售额的 20% 给予奖励。",
             how_to_apply="向所在县级市工信部门申报。"),
    PolicyIn(code="KS-DIGITAL", title="昆山市中小企业数字化转型补贴（示例）", issuer="昆山市工业和信息化局（示例）",
             region_scope="320583", size_classes=SME_SIZES, min_age_years=1,
             benefit="数字化改造投入的 30% 给予补贴，最高 100 万元。", how_to_apply="项目完工后 3 个月内申报。"),
    PolicyIn(code="N-GUARANTEE", title="小微企业融资担保降费补贴（示例）", issuer="示例部委",
             size_classes=["small", "micro"], rules=[Rule("revenue_wan", "<=", 10000.0)],
             benefit="担保费率超过 1% 的部分由财政补贴。", how_to_apply="经合作担保机构申报。"),
    PolicyIn(code="N-HITECH", title="高新技术企业研发奖励（示例）", issuer="示例部委", labels_any=["high_tech"],
             rules=[Rule("invention_patents", ">=", 1.0)], benefit="一次性奖励 20 万元。",
             how_to_apply="取得高新技术企业证书后申报。"),
    PolicyIn(code="N-STARTUP", title="初创期中小企业房租补贴（示例）", issuer="示例部委", size_classes=SME_SIZES,
             max_age_years=3, benefit="前三年房租补贴 50%。", how_to_apply="向所在地中小企业服务中心申报。"),
    PolicyIn(code="N-GROWTH", title="成长型中小企业贷款贴息（示例）", issuer="示例部委", size_classes=SME_SIZES,
             rules=[Rule("revenue_growth_pct", ">=", 15.0), Rule("employees", ">=", 50.0)],
             benefit="流动资金贷款按 LPR 的 50% 贴息。", how_to_apply="经合作银行申报。"),
    PolicyIn(code="JL-AUTO-PARTS", title="吉林省汽车零部件本地配套奖励（示例）", issuer="吉林省工业和信息化厅（示例）",
             region_scope="22", industries=["36"], benefit="为省内整车企业新增配套的，按配套额 2% 奖励。",
             how_to_apply="向吉林省工信厅申报。"),
    PolicyIn(code="HB-JOBS", title="湖北省稳岗扩岗补贴（示例）", issuer="湖北省人力资源和社会保障厅（示例）",
             region_scope="42", size_classes=SME_SIZES, benefit="按参保人数每人 1,500 元。",
             how_to_apply="免申即享。"),
    PolicyIn(code="N-EXPIRED", title="2020 年疫情期间中小企业社保费减免（示例，已到期）", issuer="示例部委",
             size_classes=SME_SIZES, valid_from=date(2020, 2, 1), valid_to=date(2020, 12, 31),
             benefit="阶段性减免单位缴费。", how_to_apply="已到期。"),
]


for _item in ILLUSTRATIVE:
    _item.illustrative = True


def _caller(session, username: str) -> Caller:
    principal = principal_of(session.scalars(select(User).where(User.username == username)).one())
    return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))


def _sme(engine: Engine) -> int:
    row = dict(SME, uscc=generate(SME["county_code"], random.Random(14)))
    assert import_rows(engine, "enterprises", [row], source="policies demo").written
    with unit_of_work(engine) as session:
        return session.scalar(select(Enterprise.id).where(Enterprise.uscc == row["uscc"]))


def create_demo_policies(engine: Engine) -> dict[str, int]:
    """The library, the SME, its account, profile and subscription. Returns counts for the demo summary."""
    sme_id = _sme(engine)
    with unit_of_work(engine) as session:
        for username, name, role in DEMO_ACCOUNTS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session=session, username=username, password=demo_password(username), display_name=name,
                            roles={role}, enterprise_id=sme_id)
        owner = _caller(session, "policy_sme")
        service.save_profile(session=session, caller=owner, enterprise_id=sme_id, data=PROFILE)
        service.subscribe(session=session, caller=owner, on=True)
    with unit_of_work(engine) as session:
        ministry = _caller(session, "ministry")
        for item in REAL + ILLUSTRATIVE:
            service.save_policy(session=session, caller=ministry, data=item)
    return {"policies": len(REAL) + len(ILLUSTRATIVE)}
