"""Policy matching on a real database: hand-worked matches and near misses with their reasons, search, scoping
(an enterprise only for itself, an authority only in its region, a province edits only its region's policies),
subscriptions notifying through the outbox once, and every write audited."""

from datetime import date

import pytest
from sme.policy_support import TODAY, build, caller
from sqlalchemy import func, select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.notifications.models import Notification
from chainkeeper.sme.policies import service
from chainkeeper.sme.policies.fields import PolicyIn
from chainkeeper.sme.policies.models import PolicyNotice
from chainkeeper.sme.policies.rules import Rule
from chainkeeper.sme.policies.service import ProfileIn


@pytest.fixture
def pw(engine):
    return build(engine)


def _match(session, pw, username, enterprise_id):
    return service.match(session=session, principal=caller(session, username).principal, enterprise_id=enterprise_id,
                         today=TODAY)


def test_kunshan_medium_maker_matches_the_national_policy_and_nearly_the_jiangsu_one(pw):
    with unit_of_work(pw.engine) as session:
        found = _match(session, pw, pw.world.users["enterprise"], pw.kunshan_id)
        assert [p.code for p, _e in found.qualified] == ["N-SMALL"]  # ZJ-ANY is another province, N-OLD expired
        [(near, evaluation)] = found.near
        assert near.code == "JS-RD"
        assert [m.render("en") for m in evaluation.missing] == [
            "Needs one of these labels: specialised and innovative SME",
            "Not given yet: R&D spending (percent of revenue) (needs ≥ 3); add it to your profile"]
        assert [m.render("en") for m in found.qualified[0][1].met] == [
            "Industry 3670 is among C", "Size medium is among those the policy supports"]


def test_the_profile_turns_a_near_miss_into_a_match_and_the_size_test_decides_the_size(pw):
    with unit_of_work(pw.engine) as session:
        me = caller(session, pw.world.users["enterprise"])
        service.save_profile(session=session, caller=me, enterprise_id=pw.kunshan_id,
                             data=ProfileIn(founded_on=date(2015, 3, 1), facts={"rd_ratio_pct": 4.2, "employees": 1200,
                                                                                "revenue_wan": 50000},
                                            extra_labels=[]))
    with unit_of_work(pw.engine) as session:
        found = _match(session, pw, pw.world.users["enterprise"], pw.kunshan_id)
        assert found.profile.size == "large"  # 1,200 persons and 50,000 万元 in industry: large by the 2017 standard
        assert [p.code for p, _e in found.qualified] == []  # N-SMALL wants small/micro/medium
        assert {p.code for p, e in found.near} == {"N-SMALL", "JS-RD"}


def test_an_enterprise_matches_only_itself_and_an_authority_only_its_region(pw):
    with unit_of_work(pw.engine) as session:
        with pytest.raises(NotFound):
            _match(session, pw, pw.world.users["enterprise"], pw.ningbo_id)
        with pytest.raises(NotFound):
            _match(session, pw, pw.world.users["province"], pw.ningbo_id)  # Jiangsu asks about a Ningbo firm
        assert _match(session, pw, "zhejiang", pw.ningbo_id).qualified[0][0].code == "ZJ-ANY"
        assert _match(session, pw, pw.world.users["county"], pw.kunshan_id).qualified
        with pytest.raises(NotFound):
            service.save_profile(session=session, caller=caller(session, pw.world.users["enterprise"]),
                                 enterprise_id=pw.ningbo_id, data=ProfileIn(None, {}, []))


def test_a_province_edits_only_its_own_regions_policies(pw):
    with unit_of_work(pw.engine) as session:
        jiangsu = caller(session, pw.world.users["province"])
        with pytest.raises(Forbidden):
            service.save_policy(session=session, caller=jiangsu, policy_id=pw.policies["ZJ-ANY"],
                                data=PolicyIn(code="ZJ-ANY", title="改", issuer="x", region_scope="33"))
        with pytest.raises(Forbidden):  # nor a national one
            service.save_policy(session=session, caller=jiangsu,
                                data=PolicyIn(code="X-NAT", title="全国", issuer="x", region_scope=""))
        saved = service.save_policy(session=session, caller=jiangsu, today=TODAY,
                                    data=PolicyIn(code="JS-NEW", title="苏州首台套奖励", issuer="x", region_scope="3205"))
        assert saved.region_scope == "3205"
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        assert (last.action, last.object_id, last.actor_name) == ("sme.policy.create", str(saved.id),
                                                                   pw.world.users["province"])


def test_bad_policy_names_every_field(pw):
    with unit_of_work(pw.engine) as session:
        with pytest.raises(ValidationFailed) as caught:
            service.save_policy(session=session, caller=caller(session, pw.world.users["ministry"]),
                                data=PolicyIn(code="", title="t", issuer="i", region_scope="3", industries=["X9"],
                                              size_classes=["huge"], rules=[Rule("height", ">=", 1)],
                                              valid_from=date(2026, 1, 2), valid_to=date(2026, 1, 1)))
        fields = [d["field"] for d in caught.value.details]
        assert fields == ["code", "region_scope", "industries", "size_classes", "rules", "valid_to"]


def test_search_finds_chinese_words_by_bigrams(pw):
    with unit_of_work(pw.engine) as session:
        assert [p.code for p in service.listing(session=session, query="研发")] == ["JS-RD", "N-SMALL"]
        assert [p.code for p in service.listing(session=session, query="研发补贴")] == ["N-SMALL"]
        assert [p.code for p in service.listing(session=session, query="專精特新")] == ["JS-RD"]  # traditional
        assert service.listing(session=session, query="造船") == []


def test_subscribers_are_notified_once_through_the_outbox(pw, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")
    from chainkeeper.config import get_settings

    get_settings.cache_clear()
    try:
        with unit_of_work(pw.engine) as session:
            ningbo = caller(session, "ningbo_user")
            service.subscribe(session=session, caller=ningbo, on=True)
            kunshan = caller(session, pw.world.users["enterprise"])
            service.subscribe(session=session, caller=kunshan, on=True)
        with unit_of_work(pw.engine) as session:
            zhejiang = caller(session, "zhejiang")
            policy = service.save_policy(session=session, caller=zhejiang, today=TODAY,
                                         data=PolicyIn(code="ZJ-NEW", title="宁波中小企业数字化改造补贴", issuer="宁波（示例）",
                                                       region_scope="3302", size_classes=["medium", "small"]))
            assert service.notify_subscribers(session=session, policy=policy, today=TODAY) == 0  # not twice
        with unit_of_work(pw.engine) as session:
            assert session.scalar(select(func.count()).select_from(PolicyNotice)) == 1
            [mail] = session.scalars(select(Notification).where(Notification.event == "sme.policy.matched")).all()
            assert mail.recipient == "ningbo@example.com" and "宁波中小企业数字化改造补贴" in mail.subject
            assert [p.code for _n, p in service.notices(session=session,
                                                         principal=caller(session, "ningbo_user").principal)] == ["ZJ-NEW"]
    finally:
        get_settings.cache_clear()
