"""The text in force and the time limits taken from it, in one place.

The Regulations on Ensuring Payments to SMEs (保障中小企业款项支付条例) were issued by State Council Decree No. 728
(in force 1 September 2020) and revised by Decree No. 802 (17 March 2025, in force 1 June 2025; 5 chapters,
37 articles). The platform follows the revised text. Articles verified against the published 2025 text:

* Art. 3 — SME / large enterprise by the State Council's size standard, **as at the signing of the contract**.
* Art. 9 — government bodies and public institutions pay within 30 days of delivery (an agreed term at most 60
  days); large enterprises within 60 days (an agreed term by industry norms; no "back-to-back" clauses).
* Art. 15 — where part of a transaction is disputed, the undisputed part is to be paid on time.

The overdue-interest rule (agreed rate not below the one-year LPR at signing; 0.05 % a day where none was agreed)
and the complaint channel (the provincial-or-higher SME department accepts; "属地管理、分级负责，谁主管谁负责";
transfer within 10 working days of formal acceptance; a result within 30 days of receipt) were Art. 15 and Art. 21
of the 2020 text and are kept by the revision; their numbers in the 2025 text could not be verified from the
sources at hand, so :data:`ARTICLES` marks them (``verified=False``) and the pages cite them with that caveat.
The acceptance decision limit (7 working days) follows MIIT's 保障中小企业款项支付投诉处理暂行办法 (工信部企业
〔2021〕224号) as read by the provincial rules that implement it; it is a setting, like the desk's limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from chainkeeper.coordination.sla import TimeLimit

DECREE = "国务院令第802号（2025年3月17日修订，2025年6月1日起施行；原国务院令第728号）"
IN_FORCE = date(2025, 6, 1)


@dataclass(frozen=True)
class Article:
    """One provision the code relies on."""

    number: str
    subject: str
    verified: bool  # checked against the 2025 text


ARTICLES = {
    "sme": Article("第三条", "SME and large enterprise as at signing", True),
    "deadline": Article("第九条", "payment within 30 / 60 days of delivery", True),
    "undisputed": Article("第十五条", "the undisputed part is paid on time", True),
    "interest": Article("第十五条（2020年文本）", "overdue interest: agreed rate >= 1-year LPR, else 0.05%/day", False),
    "complaint": Article("第二十一条（2020年文本）", "complaints: accept, transfer in 10 working days, 30 days", False),
}

PUBLIC_BODY_DAYS, PUBLIC_BODY_MAX_AGREED, LARGE_ENTERPRISE_DAYS = 30, 60, 60  # Art. 9
STATUTORY_DAILY_RATE = Decimal("0.0005")  # 每日利率万分之五
ACCEPT_LIMIT = TimeLimit("working_days", 7)  # the acceptance decision (224号 implementing rules)
TRANSFER_LIMIT = TimeLimit("working_days", 10)  # from formal acceptance to the handling department
HANDLE_DAYS = 30  # calendar days from receipt to a handling result


def cite(key: str) -> str:
    """The article to cite for ``key`` in :data:`ARTICLES`, e.g. ``"《保障中小企业款项支付条例》第九条"``."""
    return f"《保障中小企业款项支付条例》{ARTICLES[key].number}"
