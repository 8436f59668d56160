"""The ladder's services on a real database: applying, the county → city → province (→ ministry) review, the
recognition's dates and registry labels, revocation, expiry, and scoping at every service door."""

from datetime import date, timedelta

import pytest
from sme.ladder.ladder_support import FIGURES, build_world
from sqlalchemy import select

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.ladder import service
from chainkeeper.sme.ladder.models import LadderRecognition
from chainkeeper.sme.ladder.rules import valid_until

LG = FIGURES | {"revenue_wan": 12000, "rd_expense_wan": 480, "rd_ratio_prev_pct": 3.5, "market_share_pct": 14,
                "ip_i_count": 3, "main_share_pct": 88, "main_growth_2y_pct": 7,
                "achievements": FIGURES["achievements"] + ["info_system", "mgmt_certified", "rd_centre",
                                                           "chain_role", "key_field"]}


@pytest.fixture
def world(engine):
    return build_world(engine)


def step(world, who, app_id, action, note=""):
    with unit_of_work(world.engine) as session:
        return service.review(session=session, caller=world.caller(who), application_id=app_id, action=action,
                              note=note).state


def apply(world, who, tier, facts=FIGURES):
    with unit_of_work(world.engine) as session:
        return service.apply(session=session, caller=world.caller(who), tier=tier, facts=facts).id


def through_province(world, tier, who="ks_user", facts=FIGURES):
    app_id = apply(world, who, tier, facts)
    for reviewer in ("kunshan", "suzhou"):
        step(world, reviewer, app_id, "pass")
    return app_id


def labels(world, key):
    with unit_of_work(world.engine) as session:
        return session.get(Enterprise, world.ids[key]).label_codes


def test_the_ladder_from_innovative_to_specialised(world):
    with unit_of_work(world.engine) as session:
        first = service.self_assess(session=session, caller=world.caller("ks_user"), tier="specialized",
                                    facts=FIGURES)
        assert first.assessment.passed and first.is_sme and first.prerequisite == "innovative"
        assert not first.prerequisite_held and not first.eligible
    with pytest.raises(ValidationFailed) as caught:
        apply(world, "ks_user", "specialized")
    assert caught.value.template == "recognition as {tier} comes first"

    app_id = apply(world, "ks_user", "innovative")
    with pytest.raises(NotFound):
        step(world, "wujiang", app_id, "pass")  # another county: not even visible
    with pytest.raises(Forbidden):
        step(world, "suzhou", app_id, "pass")  # the city before the county
    assert step(world, "kunshan", app_id, "pass") == "county_passed"
    with pytest.raises(Forbidden):
        step(world, "kunshan", app_id, "pass")  # the next step is the city's
    with pytest.raises(Conflict):
        step(world, "kunshan", app_id, "recognise")
    assert step(world, "suzhou", app_id, "pass") == "city_passed"
    with pytest.raises(NotFound):
        step(world, "shanghai", app_id, "recognise")
    with pytest.raises(Conflict):
        step(world, "jiangsu", app_id, "recommend")  # innovative SMEs are recognised by the province
    assert step(world, "jiangsu", app_id, "recognise") == "recognised"
    assert labels(world, "ks") == []  # innovative SMEs carry no registry label

    spec_id = through_province(world, "specialized")
    step(world, "jiangsu", spec_id, "recognise")
    assert labels(world, "ks") == ["specialized"]
    with unit_of_work(world.engine) as session:
        rec = service.held(session, world.ids["ks"], "specialized", service.today())
        assert rec.recognised_by == "province" and rec.valid_until == valid_until(service.today())
        app = service.get(session=session, caller=world.caller("ks_user"), application_id=spec_id)
        assert [h["action"] for h in app.history] == ["submit", "pass", "pass", "recognise"]
        assert app.score == 75 and app.size == "small"
        actions = set(session.scalars(select(AuditEvent.action)))
        assert {"ladder.application.submit", "ladder.application.recognise", "ladder.recognition.grant",
                "ladder.labels"} <= actions


def test_little_giants_are_recommended_by_the_province_and_recognised_by_the_ministry(world):
    for tier in ("innovative", "specialized"):
        step(world, "jiangsu", through_province(world, tier, facts=LG), "recognise")
    app_id = through_province(world, "little_giant", facts=LG)
    with pytest.raises(Conflict):
        step(world, "jiangsu", app_id, "recognise")
    assert step(world, "jiangsu", app_id, "recommend") == "recommended"
    with pytest.raises(Forbidden):
        step(world, "jiangsu", app_id, "recognise")
    assert step(world, "ministry", app_id, "recognise") == "recognised"
    assert labels(world, "ks") == ["little_giant", "specialized"]


def test_rejection_needs_a_reason_and_withdrawal_is_the_applicants(world):
    app_id = apply(world, "ks_user", "innovative")
    with pytest.raises(ValidationFailed):
        step(world, "kunshan", app_id, "reject", "  ")
    with pytest.raises(NotFound):
        step(world, "wj_user", app_id, "withdraw")  # not its application: not even visible
    assert step(world, "kunshan", app_id, "reject", "研发费用归集不实") == "rejected"
    again = apply(world, "ks_user", "innovative")  # a rejected application does not block a new one
    with pytest.raises(Conflict):
        apply(world, "ks_user", "innovative")
    assert step(world, "ks_user", again, "withdraw") == "withdrawn"


def test_an_application_that_fails_its_self_assessment_is_refused_with_the_reasons(world):
    with pytest.raises(ValidationFailed) as caught:
        apply(world, "ks_user", "innovative", {"employees": 50, "revenue_wan": 800, "achievements": []})
    assert "未被列入经营异常名录" in caught.value.params["reasons"]
    with pytest.raises(Forbidden):
        apply(world, "kunshan", "innovative")  # an authority does not apply


def test_scoping_at_every_service_door(world):
    app_id = apply(world, "ks_user", "innovative")
    step(world, "kunshan", app_id, "pass")
    step(world, "suzhou", app_id, "pass")
    step(world, "jiangsu", app_id, "recognise")
    with unit_of_work(world.engine) as session:
        seen = {who: [a.id for a in service.listing(session=session, caller=world.caller(who))]
                for who in ("ks_user", "wj_user", "sh_user", "kunshan", "wujiang", "suzhou", "nanjing", "jiangsu",
                            "shanghai", "ministry", "analyst")}
        recs = {who: len(service.recognitions(session=session, caller=world.caller(who)))
                for who in ("ks_user", "wj_user", "sh_user", "kunshan", "nanjing", "shanghai", "analyst")}
    assert {who for who, ids in seen.items() if ids} == {"ks_user", "kunshan", "suzhou", "jiangsu", "ministry",
                                                          "analyst"}
    assert recs == {"ks_user": 1, "wj_user": 0, "sh_user": 0, "kunshan": 1, "nanjing": 0, "shanghai": 0,
                    "analyst": 1}
    with unit_of_work(world.engine) as session:
        with pytest.raises(NotFound):
            service.get(session=session, caller=world.caller("shanghai"), application_id=app_id)
        with pytest.raises(NotFound):
            service.self_assess(session=session, caller=world.caller("ks_user"), tier="innovative", facts=FIGURES,
                                enterprise_id=world.ids["sh"])


def test_revocation_and_expiry_take_the_labels_off(world):
    for tier in ("innovative", "specialized"):
        step(world, "jiangsu", through_province(world, tier), "recognise")
    with unit_of_work(world.engine) as session:
        rec_id = service.held(session, world.ids["ks"], "specialized", service.today()).id
    with unit_of_work(world.engine) as session:
        with pytest.raises(NotFound):
            service.revoke(session=session, caller=world.caller("shanghai"), recognition_id=rec_id, reason="x")
        with pytest.raises(Forbidden):
            service.revoke(session=session, caller=world.caller("kunshan"), recognition_id=rec_id, reason="x")
        with pytest.raises(ValidationFailed):
            service.revoke(session=session, caller=world.caller("jiangsu"), recognition_id=rec_id, reason="")
    with unit_of_work(world.engine) as session:
        service.revoke(session=session, caller=world.caller("jiangsu"), recognition_id=rec_id,
                       reason="发生重大质量事故")
    assert labels(world, "ks") == []
    # expiry: a recognition past its validity loses its label on the daily sweep
    step(world, "jiangsu", through_province(world, "specialized"), "recognise")
    assert labels(world, "ks") == ["specialized"]
    with unit_of_work(world.engine) as session:
        rec = service.held(session, world.ids["ks"], "specialized", service.today())
        rec.valid_until = service.today() - timedelta(days=1)
    with unit_of_work(world.engine) as session:
        assert service.expire(session=session, actor=SYSTEM) == 1
    assert labels(world, "ks") == []


def test_re_review_extends_the_recognition_three_years_from_its_end(world):
    step(world, "jiangsu", through_province(world, "innovative"), "recognise")
    with unit_of_work(world.engine) as session:
        rec = session.scalars(select(LadderRecognition)).one()
        rec.recognised_on, rec.valid_until = date(2023, 12, 20), service.today() + timedelta(days=30)
        end = rec.valid_until
    with unit_of_work(world.engine) as session:
        due = service.re_review_due(session=session, caller=world.caller("ks_user"))
        assert [r.tier for r in due] == ["innovative"]
    app_id = through_province(world, "innovative")
    step(world, "jiangsu", app_id, "recognise")
    with unit_of_work(world.engine) as session:
        rec = session.scalars(select(LadderRecognition)).one()
        assert rec.valid_until == valid_until(end) and rec.re_reviewed_on == service.today()
        assert service.get(session=session, caller=world.caller("jiangsu"), application_id=app_id).kind == "re_review"
