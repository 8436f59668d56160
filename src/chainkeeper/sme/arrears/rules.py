"""Pure rules of a complaint: the payment deadline, eligibility with its reasons, and routing.

Eligibility (checked up front, every reason listed, not only the first): the creditor is an SME (Art. 3, by the
size self-test), the debtor is a government body, public institution or large enterprise (Art. 2–3), the goods,
works or services were delivered, the payment deadline has passed (Art. 9), the debt is not disputed (only the
undisputed part, Art. 15), and the matter is not before a court or an arbitration body.

Routing ("属地管理、分级负责"): a local debtor's complaint goes to the SME department of the debtor's province; a
central one (a central SOE, a ministry or central institution) to the ministry (handling region ``''``).

Reasons are translatable msgids with ``{values}``: ``(msgid, params)`` pairs the pages translate whole.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from chainkeeper.i18n import _
from chainkeeper.sme.arrears.regulation import (LARGE_ENTERPRISE_DAYS, PUBLIC_BODY_DAYS, PUBLIC_BODY_MAX_AGREED,
                                                cite)


class DebtorType(str, enum.Enum):
    """Who owes (Art. 2): 机关 / 事业单位 / 国有大型企业 / 民营大型企业."""

    government = "government"
    institution = "institution"
    state_owned = "state_owned"
    large_private = "large_private"


PUBLIC_BODIES = (DebtorType.government, DebtorType.institution)


class DebtorLevel(str, enum.Enum):
    """Central (中央) or local (地方) debtor: decides who handles the complaint."""

    central = "central"
    local = "local"


Reason = tuple[str, dict]


@dataclass(frozen=True)
class Claim:
    """What eligibility looks at."""

    creditor_is_sme: bool
    creditor_size: str
    debtor_type: DebtorType
    debtor_is_large: bool | None  # for an enterprise debtor: large by the registry/self-test; None = not known
    delivered_on: date | None
    agreed_due_on: date | None
    disputed: bool
    before_court: bool


@dataclass(frozen=True)
class Verdict:
    """Eligible or not, with every reason (both the ones met and the ones failed)."""

    eligible: bool
    due_on: date | None
    failed: tuple[Reason, ...] = field(default_factory=tuple)
    met: tuple[Reason, ...] = field(default_factory=tuple)


def payment_due(debtor_type: DebtorType, delivered_on: date, agreed_due_on: date | None) -> date:
    """The payment deadline under Art. 9: public bodies 30 days after delivery (an agreed term, at most 60 days),
    large enterprises 60 days (or the agreed term)."""
    if debtor_type in PUBLIC_BODIES:
        if agreed_due_on is None:
            return delivered_on + timedelta(days=PUBLIC_BODY_DAYS)
        return min(agreed_due_on, delivered_on + timedelta(days=PUBLIC_BODY_MAX_AGREED))
    return agreed_due_on or delivered_on + timedelta(days=LARGE_ENTERPRISE_DAYS)


def _checks(claim: Claim, today: date, due: date | None) -> list[tuple[bool, Reason, Reason]]:
    art3, art9, art15 = cite("sme"), cite("deadline"), cite("undisputed")
    enterprise = claim.debtor_type not in PUBLIC_BODIES
    return [
        (claim.creditor_is_sme, (_("the creditor is an SME ({size}) ({article})"), {"size": claim.creditor_size,
                                                                                    "article": art3}),
         (_("the creditor is not an SME ({size}): the regulation protects medium, small and micro enterprises "
            "({article})"), {"size": claim.creditor_size, "article": art3})),
        (not enterprise or claim.debtor_is_large is not False,
         (_("the debtor is covered by the regulation ({article})"), {"article": art3}),
         (_("the debtor enterprise is not a large enterprise: complaints are against government bodies, public "
            "institutions and large enterprises ({article})"), {"article": art3})),
        (claim.delivered_on is not None and claim.delivered_on <= today,
         (_("delivered on {day}"), {"day": claim.delivered_on.isoformat() if claim.delivered_on else ""}),
         (_("the goods, works or services have not been delivered yet"), {})),
        (due is not None and due < today,
         (_("the payment deadline {day} has passed ({article})"), {"day": due.isoformat() if due else "",
                                                                   "article": art9}),
         (_("the payment deadline {day} has not passed yet ({article})"), {"day": due.isoformat() if due else "",
                                                                           "article": art9})),
        (not claim.disputed, (_("the amount is not disputed"), {}),
         (_("the amount is disputed: complain about the undisputed part only ({article})"), {"article": art15})),
        (not claim.before_court, (_("not before a court or an arbitration body"), {}),
         (_("the matter is before a court or an arbitration body"), {})),
    ]


def eligibility(claim: Claim, today: date) -> Verdict:
    """Check ``claim`` on ``today`` (China time)."""
    due = payment_due(claim.debtor_type, claim.delivered_on, claim.agreed_due_on) if claim.delivered_on else None
    checks = _checks(claim, today, due)
    failed = tuple(bad for ok, _good, bad in checks if not ok)
    return Verdict(not failed, due, failed, tuple(good for ok, good, _bad in checks if ok))


def handling_region(level: DebtorLevel, debtor_region_code: str) -> str:
    """Who accepts: the debtor's province (2 digits) for a local debtor, the ministry ('') for a central one."""
    return "" if level is DebtorLevel.central else debtor_region_code[:2]
