"""The pure rules, hand-worked: overdue interest on the LPR table, payment deadlines, eligibility with every
reason, routing, the acceptance and transfer limits on the desk's calendar across the 2025 National Day holiday,
and the transition table."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.calendar import WorkCalendar
from chainkeeper.coordination.workflow import InvalidTransition
from chainkeeper.errors import Forbidden, ValidationFailed
from chainkeeper.sme.arrears import workflow
from chainkeeper.sme.arrears.interest import lpr_table, overdue_interest
from chainkeeper.sme.arrears.models import State
from chainkeeper.sme.arrears.regulation import ACCEPT_LIMIT, TRANSFER_LIMIT
from chainkeeper.sme.arrears.rules import Claim, DebtorLevel, DebtorType, eligibility, handling_region, payment_due
from chainkeeper.sme.arrears.workflow import Action, Parties

CST = ZoneInfo("Asia/Shanghai")
D = Decimal


# --- overdue interest ------------------------------------------------------------------------------------------------

def test_statutory_rate_is_half_a_permille_a_day():
    # 100,000 yuan due 31 March 2024, paid 30 May 2024: 30 days of April + 30 of May = 60 days x 0.05% = 3,000.00
    result = overdue_interest(D("100000"), due=date(2024, 3, 31), until=date(2024, 5, 30))
    assert (result.amount, result.days, result.basis) == (D("3000.00"), 60, "statutory")


def test_an_agreed_rate_below_the_lpr_at_signing_is_raised_to_it():
    # signed 10 Jan 2024, 1-year LPR 3.45% (from 21 Aug 2023); agreed 3% -> 3.45%: 100,000 x 3.45% x 60/365 = 567.12
    result = overdue_interest(D("100000"), due=date(2024, 3, 31), until=date(2024, 5, 30), agreed_rate=D("3"),
                              signed_on=date(2024, 1, 10))
    assert (result.amount, result.basis, result.lpr, result.annual_rate) == (D("567.12"), "lpr_floor", D("3.45"),
                                                                              D("3.45"))


def test_an_agreed_rate_above_the_lpr_applies():
    # signed 1 Aug 2024 (LPR 3.35% from 22 Jul 2024); 6%: 200,000 x 6% x 30/365 = 986.30
    result = overdue_interest(D("200000"), due=date(2024, 9, 30), until=date(2024, 10, 30), agreed_rate=D("6"),
                              signed_on=date(2024, 8, 1))
    assert (result.amount, result.days, result.basis) == (D("986.30"), 30, "agreed")


def test_instalments_reduce_the_balance_from_the_day_after_payment():
    # 100,000 due 10 Jan 2025; 40,000 paid 20 Jan; to 31 Jan: 10 days x 100,000 x 0.05% = 500, then
    # 11 days x 60,000 x 0.05% = 330 -> 830.00 over 21 days
    result = overdue_interest(D("100000"), due=date(2025, 1, 10), until=date(2025, 1, 31),
                              payments=((date(2025, 1, 20), D("40000")),))
    assert (result.amount, result.days) == (D("830.00"), 21)
    paid_off = overdue_interest(D("100000"), due=date(2025, 1, 10), until=date(2025, 2, 1),
                                payments=((date(2025, 1, 15), D("100000")),))
    assert (paid_off.amount, paid_off.days) == (D("250.00"), 5)


def test_the_lpr_table_has_its_source_and_edges():
    table = lpr_table()
    assert "全国银行间同业拆借中心" in table.source
    assert table.at(date(2019, 8, 20)) == D("4.25") and table.at(date(2025, 5, 20)) == D("3.00")
    assert table.at(date(2024, 10, 20)) == D("3.35") and table.at(date(2024, 10, 21)) == D("3.10")
    with pytest.raises(ValidationFailed, match="2019-08-19"):
        table.at(date(2019, 8, 19))


def test_an_agreed_rate_needs_the_signing_date():
    with pytest.raises(ValidationFailed) as error:
        overdue_interest(D("1000"), due=date(2025, 1, 1), until=date(2025, 2, 1), agreed_rate=D("5"))
    assert error.value.details[0]["field"] == "signed_on"


# --- deadlines, eligibility, routing ---------------------------------------------------------------------------------

def test_payment_deadlines_of_article_9():
    assert payment_due(DebtorType.government, date(2025, 3, 1), None) == date(2025, 3, 31)
    assert payment_due(DebtorType.institution, date(2025, 3, 1), date(2025, 6, 30)) == date(2025, 4, 30)  # cap 60
    assert payment_due(DebtorType.large_private, date(2025, 1, 15), None) == date(2025, 3, 16)
    assert payment_due(DebtorType.state_owned, date(2025, 1, 15), date(2025, 5, 1)) == date(2025, 5, 1)


def claim(**changes) -> Claim:
    base = dict(creditor_is_sme=True, creditor_size="small", debtor_type=DebtorType.government, debtor_is_large=None,
                delivered_on=date(2025, 3, 1), agreed_due_on=None, disputed=False, before_court=False)
    return Claim(**(base | changes))


def test_eligible_the_day_after_the_deadline_and_not_on_it():
    assert eligibility(claim(), date(2025, 4, 1)).eligible
    on_the_day = eligibility(claim(), date(2025, 3, 31))
    assert not on_the_day.eligible and on_the_day.failed[0][1]["day"] == "2025-03-31"


def test_every_failed_reason_is_listed():
    verdict = eligibility(claim(creditor_is_sme=False, creditor_size="large", disputed=True, before_court=True,
                                debtor_type=DebtorType.large_private, debtor_is_large=False), date(2025, 9, 1))
    messages = [m for m, _p in verdict.failed]
    assert len(messages) == 4 and not verdict.eligible
    assert any("not an SME" in m for m in messages) and any("not a large enterprise" in m for m in messages)
    assert any("disputed" in m for m in messages) and any("court" in m for m in messages)
    assert all("article" not in p or p["article"].startswith("《保障中小企业款项支付条例》") for _m, p in verdict.failed)


def test_not_delivered_is_not_eligible():
    verdict = eligibility(claim(delivered_on=None), date(2025, 9, 1))
    assert not verdict.eligible and verdict.due_on is None


def test_routing_local_to_the_debtors_province_central_to_the_ministry():
    assert handling_region(DebtorLevel.local, "320583") == "32"
    assert handling_region(DebtorLevel.central, "110101") == ""


def test_acceptance_and_transfer_limits_across_national_day_2025():
    calendar = WorkCalendar.load()
    filed = datetime(2025, 9, 26, 10, tzinfo=CST)  # a Friday; 28 Sep (Sun) and 11 Oct (Sat) are working days
    # 7 working days: 28, 29, 30 Sep, 9, 10, 11, 13 Oct -> close of 13 October
    assert ACCEPT_LIMIT.deadline(filed, calendar) == datetime(2025, 10, 13, 18, tzinfo=CST)
    accepted = datetime(2025, 9, 30, 17, tzinfo=CST)
    # 10 working days: 9, 10, 11, 13, 14, 15, 16, 17, 20, 21 Oct
    assert TRANSFER_LIMIT.deadline(accepted, calendar) == datetime(2025, 10, 21, 18, tzinfo=CST)


# --- the transition table --------------------------------------------------------------------------------------------

PARTIES = Parties(creditor_id=1, debtor_enterprise_id=2, handling_region="32")


def who(role: Role, region: str | None = None, enterprise: int | None = None) -> Principal:
    return Principal(user_id=9, username="u", display_name="u", roles=frozenset({role}), region_code=region,
                     enterprise_id=enterprise)


def test_only_the_receiving_province_or_the_ministry_accepts():
    assert workflow.decide(State.submitted, Action.accept, who(Role.province, "32"), PARTIES) is State.accepted
    assert workflow.decide(State.submitted, Action.accept, who(Role.ministry), PARTIES) is State.accepted
    for outsider in (who(Role.province, "31"), who(Role.city, "3205"), who(Role.enterprise, enterprise=1),
                     who(Role.enterprise, enterprise=2), who(Role.analyst)):
        with pytest.raises(Forbidden):
            workflow.decide(State.submitted, Action.accept, outsider, PARTIES)


def test_the_debtor_answers_and_the_creditor_may_confirm_it_was_paid():
    debtor, creditor = who(Role.enterprise, enterprise=2), who(Role.enterprise, enterprise=1)
    assert workflow.decide(State.transferred, Action.answer, debtor, PARTIES, text="将于月底付清") is State.answered
    with pytest.raises(Forbidden):
        workflow.decide(State.transferred, Action.answer, creditor, PARTIES, text="x")
    assert workflow.decide(State.agreed, Action.clear, creditor, PARTIES) is State.cleared
    with pytest.raises(InvalidTransition):
        workflow.decide(State.cleared, Action.pay, debtor, PARTIES)
    with pytest.raises(InvalidTransition):  # a reason is required
        workflow.decide(State.submitted, Action.reject, who(Role.province, "32"), PARTIES, reason=" ")
    with pytest.raises(InvalidTransition):  # no step skipped: transfer before acceptance
        workflow.decide(State.submitted, Action.transfer, who(Role.province, "32"), PARTIES, text="苏州市工信局")


def test_a_central_complaint_is_the_ministrys_alone():
    central = Parties(creditor_id=1, debtor_enterprise_id=2, handling_region="")
    with pytest.raises(Forbidden):
        workflow.decide(State.submitted, Action.accept, who(Role.province, "11"), central)
    assert workflow.available(State.submitted, who(Role.ministry), central) == [Action.accept, Action.reject]
