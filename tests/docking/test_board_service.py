"""The matching board's services on both databases: posts with visibility, full-text search (bigrams, traditional
characters, product code, region, quantity), ranked suggestions with reasons, threads with e-mail through the
outbox, matchmaking events with matches and deals — scoped and audited."""

import pytest
from notifications.conftest import smtp_server  # noqa: F401  (the fixture)
from docking.board_support import TODAY, build_board, listing, need, post
from sqlalchemy import func, select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.config import get_settings
from chainkeeper.db import unit_of_work
from chainkeeper.docking.board import events, posts, suggest, threads
from chainkeeper.docking.board.posts import Query
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.notifications.models import Notification
from chainkeeper.notifications.service import deliver_due


def _events(engine, prefix):
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like(prefix + "%")))


def _find(world, who, kind="listing", **query):
    with unit_of_work(world.engine) as session:
        return [p.id for p in posts.find(session=session, caller=world.caller(who), kind=kind, query=Query(**query))]


def test_posts_are_seen_by_visibility_and_region(engine):
    world = build_board(engine)
    before = _events(engine, "board.listing.")
    public = post(world, "maker_user", "listing", listing())
    hidden = post(world, "changsha_user", "listing", listing(title="防护口罩 省内保障", county="430104",
                                                             visibility="authorities"))
    assert _events(engine, "board.listing.") - before == 2
    assert _find(world, "hospital_user") == [public]  # another enterprise: only the public one
    assert _find(world, "changsha_user") == [hidden, public]  # its own as well
    assert _find(world, "hunan") == [hidden, public]  # Hunan: its region's, whatever the visibility
    assert _find(world, "hubei") == [public]  # not Hunan's authorities-only post
    assert _find(world, "ministry") == [hidden, public]
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        posts.get(session=session, caller=world.caller("hospital_user"), kind="listing", post_id=hidden)
    for who in ("hubei", "ministry", "analyst"):  # only enterprise users post
        with unit_of_work(engine) as session, pytest.raises(Forbidden):
            posts.create(session=session, caller=world.caller(who), kind="listing", data=listing())
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed) as raised:
        posts.create(session=session, caller=world.caller("maker_user"), kind="listing", data=listing(county="4201"))
    assert raised.value.details[0]["field"] == "county_code"
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # only its owner closes a post
        posts.close(session=session, caller=world.caller("hospital_user"), kind="listing", post_id=public)
    with unit_of_work(engine) as session:
        posts.close(session=session, caller=world.caller("maker_user"), kind="listing", post_id=public)
    assert _find(world, "hospital_user") == []


def test_search_by_chinese_text_code_region_and_quantity(engine):
    world = build_board(engine)
    masks = post(world, "maker_user", "listing", listing(title="医用防护口罩（N95）现货", capacity=20000))
    suits = post(world, "changsha_user", "listing", listing(title="一次性医用防护服", county="430104",
                                                            good="med_suit", capacity=800))
    assert _find(world, "hospital_user", text="防护") == [suits, masks]  # a 2-character term: the bigram index
    assert _find(world, "hospital_user", text="防護服") == [suits]  # traditional characters normalised
    assert _find(world, "hospital_user", text="口罩 现货") == [masks]  # every term must match
    assert _find(world, "hospital_user", text="罩") == [masks]  # one character scans the text
    assert _find(world, "hospital_user", text="武汉示例") == [masks]  # the supplier's name is searchable
    assert _find(world, "hospital_user", text="口服") == []  # both characters, but not together
    assert _find(world, "hospital_user", product_code="med_suit") == [suits]
    assert _find(world, "hospital_user", region="43") == [suits]
    assert _find(world, "hospital_user", quantity=1000) == [masks]


def test_suggestions_rank_with_reasons(engine):
    world = build_board(engine)
    near = post(world, "maker_user", "listing", listing(capacity=10000, lead=1))  # Wuhan, covers 30,000 in 3 days
    far = post(world, "changsha_user", "listing", listing(county="430104", capacity=2000, lead=7))  # late and short
    post(world, "changsha_user", "listing", listing(title="84消毒液", good="med_chlorine", county="430104"))
    wanted = post(world, "hospital_user", "need", need(quantity=30000, days=5))
    with unit_of_work(engine) as session:
        found = suggest.for_post(session=session, caller=world.caller("hospital_user"), kind="need",
                                 post_id=wanted, today=TODAY)
        assert [s.listing.id for s in found] == [near, far]  # the disinfectant shares nothing
        best, worse = found
        assert best.parts["product"] == 0.9 and best.parts["capacity"] == 1 and best.parts["lead_time"] == 1
        texts = [suggest.reason_text(r, "zh_CN") for r in best.reasons]
        assert texts[0].startswith("同一重点物资") and "公里" in texts[1] and "早 4 天" in texts[3]
        assert worse.parts["lead_time"] < 1 and worse.parts["capacity"] < 1
        assert "after the date needed" in suggest.reason_text(worse.reasons[3], "en")
        back = suggest.for_post(session=session, caller=world.caller("maker_user"), kind="listing", post_id=near,
                                today=TODAY)
        assert [s.need.id for s in back] == [wanted]


@pytest.fixture
def mail_on(monkeypatch, smtp_server):  # noqa: F811
    handler, port = smtp_server
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHAINKEEPER_SMTP_PORT", str(port))
    monkeypatch.setenv("CHAINKEEPER_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    yield handler
    get_settings.cache_clear()


def test_contact_opens_a_private_thread_and_mails_the_other_side(engine, mail_on):
    world = build_board(engine)
    messages_before, threads_before = _events(engine, "board.message."), _events(engine, "board.thread.")
    offer = post(world, "maker_user", "listing", listing())
    with unit_of_work(engine) as session:
        thread = threads.contact(session=session, caller=world.caller("hospital_user"), kind="listing",
                                 post_id=offer, body="请报价：三万只，五天内送到金银潭")
        thread_id = thread.id
        assert (thread.buyer_id, thread.supplier_id) == (world.ids["jinyintan"], world.ids["wuhan_maker"])
    with unit_of_work(engine) as session:
        threads.reply(session=session, caller=world.caller("maker_user"), thread_id=thread_id, body="可以，明日发货")
        again = threads.contact(session=session, caller=world.caller("hospital_user"), kind="listing",
                                post_id=offer, body="好的")
        assert again.id == thread_id  # one thread per post and pair
        said = [m.body for m in threads.messages(session, again)]
        assert said == ["请报价：三万只，五天内送到金银潭", "可以，明日发货", "好的"]
        mails = session.scalars(select(Notification).where(Notification.event == "board.message")
                                .order_by(Notification.id)).all()
        assert [m.recipient for m in mails] == ["maker_user@example.com", "hospital_user@example.com",
                                                "maker_user@example.com"]
    assert deliver_due(engine).sent == 3  # through a real SMTP server on loopback
    delivered = [(m.rcpt_tos, m.message["Subject"], m.message.get_content()) for m in mail_on.messages]
    assert sorted(rcpt[0] for rcpt, _s, _b in delivered) == ["hospital_user@example.com", "maker_user@example.com",
                                                               "maker_user@example.com"]
    delivered.sort(key=lambda mail: mail[0][0] != "maker_user@example.com")  # delivery order is not promised
    assert "武汉示例传染病医院" in delivered[0][1] and f"/docking/board/threads/{thread_id}" in delivered[0][2]
    for who in ("changsha_user", "hubei", "ministry"):  # private to the two enterprises
        with unit_of_work(engine) as session, pytest.raises((NotFound, Forbidden)):
            threads.reply(session=session, caller=world.caller(who), thread_id=thread_id, body="插话")
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):
        threads.contact(session=session, caller=world.caller("maker_user"), kind="listing", post_id=offer, body="x")
    assert _events(engine, "board.message.") - messages_before == 3
    assert _events(engine, "board.thread.") - threads_before == 1


def test_an_event_records_matches_and_deals(engine):
    world = build_board(engine)
    matches_before, events_before = _events(engine, "board.match."), _events(engine, "board.event.")
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # Hunan organises nothing in Hubei
        events.create(session=session, caller=world.caller("hunan"), title="对接会", held_on=TODAY,
                      region_code="42")
    with unit_of_work(engine) as session:
        event = events.create(session=session, caller=world.caller("hubei"), title="湖北省防疫物资供需对接会",
                              held_on=TODAY, place="武汉")
        event_id = event.id
        assert event.region_code == "42"
    for who in ("maker_user", "hospital_user", "changsha_user"):
        with unit_of_work(engine) as session:
            events.join(session=session, caller=world.caller(who), event_id=event_id)
    with unit_of_work(engine) as session, pytest.raises(Conflict):
        events.join(session=session, caller=world.caller("maker_user"), event_id=event_id)
    buyer, maker = world.ids["jinyintan"], world.ids["wuhan_maker"]
    with unit_of_work(engine) as session, pytest.raises(Forbidden):  # a third enterprise records no match for others
        events.record_match(session=session, caller=world.caller("changsha_user"), event_id=event_id,
                            buyer_id=buyer, supplier_id=maker, subject="N95")
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed):  # not taking part
        events.record_match(session=session, caller=world.caller("hubei"), event_id=event_id,
                            buyer_id=world.ids["xiaogan_hospital"], supplier_id=maker, subject="N95")
    with unit_of_work(engine) as session:
        made = events.record_match(session=session, caller=world.caller("hubei"), event_id=event_id,
                                   buyer_id=buyer, supplier_id=maker, subject="N95 三万只")
        other = events.record_match(session=session, caller=world.caller("hospital_user"), event_id=event_id,
                                    buyer_id=buyer, supplier_id=world.ids["changsha_maker"], subject="防护服")
        ids = made.id, other.id
    with unit_of_work(engine) as session, pytest.raises(NotFound):  # a stranger does not even see the match
        events.report_deal(session=session, caller=world.caller("hunan"), match_id=ids[0], value_wan=5)
    with unit_of_work(engine) as session:
        events.report_deal(session=session, caller=world.caller("maker_user"), match_id=ids[0], value_wan=12.5)
    with unit_of_work(engine) as session, pytest.raises(Conflict):
        events.report_deal(session=session, caller=world.caller("hubei"), match_id=ids[0], value_wan=1)
    with unit_of_work(engine) as session:
        event = events.get(session, event_id)
        assert events.statistics(session, event) == events.Statistics(3, 2, 1, 12.5)
        assert [m.id for m in events.matches(session=session, caller=world.caller("maker_user"), event=event)] \
            == [ids[0]]
        assert len(events.matches(session=session, caller=world.caller("hubei"), event=event)) == 2
    assert _events(engine, "board.match.") - matches_before == 3
    assert _events(engine, "board.event.") - events_before == 4
