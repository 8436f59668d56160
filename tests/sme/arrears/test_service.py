"""Filing and handling on a real database: refusals with reasons, routing, the time limits set, the whole way to
cleared with instalments, and who reads what (the creditor, the debtor only once accepted, authorities by region)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sme.arrears.support import CST, NOW, build_world, file, step

from chainkeeper.db import unit_of_work
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.sme.arrears import service
from chainkeeper.sme.arrears.models import State
from chainkeeper.sme.arrears.rules import DebtorLevel
from chainkeeper.sme.arrears.workflow import Action


@pytest.fixture
def world(engine):
    return build_world(engine)


def visible(world, who: str) -> set[int]:
    with unit_of_work(world.engine) as session:
        return {c.id for c in service.listing(session=session, principal=world.caller(who).principal)}


def test_filing_routes_to_the_debtors_province_and_starts_the_clock(world):
    cid = file(world)
    with unit_of_work(world.engine) as session:
        c = service.get(session=session, principal=world.caller("jiangsu").principal, complaint_id=cid)
        assert (c.state, c.handling_region_code, c.creditor_size, c.due_on) == (State.submitted, "32", "small",
                                                                                 date(2025, 7, 9))
        # filed Monday 1 Sep 2025 10:00; 7 working days -> close of Wednesday 10 Sep
        assert c.accept_due_at == datetime(2025, 9, 10, 18, tzinfo=CST)


def test_an_ineligible_complaint_is_refused_with_every_reason(world):
    with pytest.raises(ValidationFailed) as error:
        file(world, delivered_on=date(2025, 8, 20), disputed=True)
    reasons = [d["message"] for d in error.value.details]
    assert any("has not passed" in r for r in reasons) and any("disputed" in r for r in reasons)
    with pytest.raises(ValidationFailed) as large:
        file(world, who="oem_user")  # the OEM is large: not protected
    assert any("not an SME" in d["message"] for d in large.value.details)


def test_the_whole_way_to_cleared_with_instalments(world):
    cid = file(world)
    assert step(world, "jiangsu", cid, Action.accept) is State.accepted
    assert step(world, "jiangsu", cid, Action.transfer, text="苏州市工业和信息化局") is State.transferred
    assert step(world, "debtor_user", cid, Action.answer, text="同意分两期支付") is State.answered
    assert step(world, "jiangsu", cid, Action.agree, text="9月15日付6万，9月30日付6万") is State.agreed
    assert step(world, "debtor_user", cid, Action.pay, amount=Decimal("60000"), paid_on=date(2025, 9, 1),
                text="银行回单 0915-001") is State.agreed
    with pytest.raises(ValidationFailed):  # more than is still owed
        step(world, "debtor_user", cid, Action.pay, amount=Decimal("60000.01"), paid_on=date(2025, 9, 1), text="x")
    step(world, "debtor_user", cid, Action.pay, amount=Decimal("60000"), paid_on=date(2025, 9, 1), text="回单 002")
    assert step(world, "sme_user", cid, Action.clear) is State.cleared
    with unit_of_work(world.engine) as session:
        c = service.get(session=session, principal=world.caller("sme_user").principal, complaint_id=cid)
        assert c.outstanding == 0 and [e.action for e in service.events(session, c)] == [
            "file", "accept", "transfer", "answer", "agree", "pay", "pay", "clear"]


def test_the_debtor_sees_nothing_until_accepted(world):
    cid = file(world)
    assert cid not in visible(world, "debtor_user")
    with pytest.raises(NotFound):
        step(world, "debtor_user", cid, Action.answer, text="x")
    step(world, "jiangsu", cid, Action.accept)
    assert cid in visible(world, "debtor_user")


def test_refused_at_the_door_stays_hidden_from_the_debtor(world):
    cid = file(world)
    step(world, "jiangsu", cid, Action.reject, reason="材料不全")
    assert cid not in visible(world, "debtor_user") and cid in visible(world, "sme_user")


def test_authorities_see_their_region_only(world):
    jiangsu_case = file(world)
    central = file(world, debtor_level=DebtorLevel.central, debtor_region_code="110102", debtor_enterprise_id=None,
                   debtor_name="某中央企业示例")
    assert {jiangsu_case, central} <= visible(world, "jiangsu")  # central: the creditor is in Jiangsu
    assert visible(world, "shanghai") == set() and visible(world, "jilin") == set()
    assert visible(world, "other_sme") == set() and visible(world, "oem_user") == set()
    assert {jiangsu_case, central} <= visible(world, "ministry") and jiangsu_case in visible(world, "suzhou")
    with pytest.raises(Forbidden):  # Jiangsu reads it, but the central complaint is the ministry's to accept
        step(world, "jiangsu", central, Action.accept)
    assert step(world, "ministry", central, Action.accept) is State.accepted


def test_the_size_self_test_decides_when_figures_are_given(world):
    # a manufacturer (industry row) with 1,200 employees and 50,000 (10k yuan) revenue: large, so not protected,
    # although the registry says small (the size as at signing counts, Art. 3)
    from chainkeeper.sme.arrears.sizing import Figures

    with pytest.raises(ValidationFailed) as error:
        file(world, figures=Figures(employees=1200, revenue_wan=50_000))
    assert any("not an SME" in d["message"] for d in error.value.details)
    with pytest.raises(ValidationFailed) as missing:  # the industry row needs the revenue too
        file(world, figures=Figures(employees=80))
    assert "revenue" in str(missing.value)
    cid = file(world, figures=Figures(employees=80, revenue_wan=3000))
    with unit_of_work(world.engine) as session:
        c = service.get(session=session, principal=world.caller("sme_user").principal, complaint_id=cid)
        assert (c.creditor_size, c.creditor_sector) == ("small", "industry")
