"""Mutual recognition: the basis of a yes, and the edge cases of a no."""

from datetime import timedelta

import pytest
from whitelist.support import D0, make_list, publish

from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound
from chainkeeper.whitelist import agreements, entries
from chainkeeper.whitelist.export import recognized_in_region, to_csv, to_xlsx
from chainkeeper.whitelist.models import EntryStatus
from chainkeeper.whitelist.recognition import is_recognized

DELTA = ["31", "32", "33", "34"]


def _agree(session, setup, regions=DELTA, categories=("strategic",), start=D0, end=None):
    return agreements.create_agreement(session=session, actor=setup.ministry.actor, name="长三角互认",
                                       regions=list(regions), categories=list(categories), valid_from=start,
                                       valid_until=end)


def _check(session, setup, firm="kunshan", region="310115", day=D0):
    uscc = {"kunshan": setup.world.kunshan["uscc"], "ningbo": setup.world.ningbo["uscc"]}[firm]
    return is_recognized(session=session, uscc=uscc, region_code=region, day=day)


@pytest.fixture
def listed(engine, setup):
    """Kunshan's firm on Jiangsu's list from D0 (category strategic)."""
    with unit_of_work(engine) as session:
        entry = publish(session, setup, make_list(session, "32", "江苏白名单").id)
    return entry


def test_recognized_at_home_including_nested_regions(engine, setup, listed):
    with unit_of_work(engine) as session:
        for region in ("32", "3205", "320583", "320214"):
            answer = _check(session, setup, region=region)
            assert answer.recognized and answer.bases[0].list_name == "江苏白名单" and answer.bases[0].batch == 1
            assert answer.bases[0].agreement_id is None
        assert not _check(session, setup, region="310115").recognized
        assert not _check(session, setup, region="32", day=D0 - timedelta(days=1)).recognized


def test_recognized_through_an_agreement_in_a_city_of_a_party(engine, setup, listed):
    with unit_of_work(engine) as session:
        agreement = _agree(session, setup)
        answer = _check(session, setup, region="310115")  # a district inside Shanghai
        assert answer.recognized and answer.bases[0].agreement_id == agreement.id
        assert not _check(session, setup, region="110101").recognized  # Beijing is no party


def test_agreement_expired_or_not_yet_in_force(engine, setup, listed):
    with unit_of_work(engine) as session:
        _agree(session, setup, start=D0 + timedelta(days=10), end=D0 + timedelta(days=20))
        assert not _check(session, setup, day=D0 + timedelta(days=9)).recognized
        assert _check(session, setup, day=D0 + timedelta(days=10)).recognized
        assert _check(session, setup, day=D0 + timedelta(days=20)).recognized
        late = _check(session, setup, day=D0 + timedelta(days=21))
        assert not late.recognized and "no agreement" in late.notes[0]


def test_category_outside_the_agreement(engine, setup, listed):
    with unit_of_work(engine) as session:
        _agree(session, setup, categories=("medical", "necessities"))
        answer = _check(session, setup)
        assert not answer.recognized and "not covered" in answer.notes[0]


def test_suspended_entry_is_not_recognized_from_its_date_and_as_of_stays_exact(engine, setup, listed):
    with unit_of_work(engine) as session:
        _agree(session, setup)
        entry = entries.get_entry(session=session, entry_id=listed.id)
        when = D0 + timedelta(days=5)
        entries.change_status(session=session, principal=setup.jiangsu.principal, actor=setup.jiangsu.actor,
                              entry=entry, status=EntryStatus.suspended, effective=when, reason="疫情防控不达标")
        assert _check(session, setup, day=when - timedelta(days=1)).recognized
        assert not _check(session, setup, day=when).recognized
        assert not _check(session, setup, region="32", day=when).recognized
        entries.change_status(session=session, principal=setup.jiangsu.principal, actor=setup.jiangsu.actor,
                              entry=entry, status=EntryStatus.active, effective=when + timedelta(days=3),
                              reason="整改完成")
        assert _check(session, setup, day=when + timedelta(days=3)).recognized
        assert not _check(session, setup, day=when + timedelta(days=2)).recognized
        assert [p.status for p in entries.history(session=session, entry=entry)] == [
            EntryStatus.active, EntryStatus.suspended, EntryStatus.active]


def test_recognized_through_the_pool(engine, setup):
    with unit_of_work(engine) as session:
        host = publish(session, setup, make_list(session, "31", "上海白名单").id, "shanghai")
        caller = setup.ministry
        member = entries.add_to_pool(session=session, principal=caller.principal, actor=caller.actor, entry=host,
                                     enterprise_id=setup.ids["ningbo"], added_on=D0 + timedelta(days=1),
                                     reason="座椅独家供应")
        assert not _check(session, setup, "ningbo", "310115").recognized  # not yet in the pool
        answer = _check(session, setup, "ningbo", "310115", D0 + timedelta(days=1))
        assert answer.recognized and answer.bases[0].via_pool_of == host_uscc(session, host)
        assert not _check(session, setup, "ningbo", "330206", D0 + timedelta(days=1)).recognized  # no agreement
        _agree(session, setup)
        assert _check(session, setup, "ningbo", "330206", D0 + timedelta(days=1)).recognized
        entries.remove_from_pool(session=session, principal=caller.principal, actor=caller.actor, member=member,
                                 removed_on=D0 + timedelta(days=4))
        assert not _check(session, setup, "ningbo", "310115", D0 + timedelta(days=4)).recognized


def host_uscc(session, entry):
    from chainkeeper.registry.models import Enterprise

    return session.get(Enterprise, entry.enterprise_id).uscc


def test_unknown_enterprise_or_region(engine, setup):
    with unit_of_work(engine) as session:
        with pytest.raises(NotFound):
            is_recognized(session=session, uscc="91350100M000100Y43", region_code="32", day=D0)
        with pytest.raises(NotFound):
            _check(session, setup, region="999999")


def test_export_of_a_region_on_a_date(engine, setup, listed):
    with unit_of_work(engine) as session:
        host = publish(session, setup, make_list(session, "31", "上海白名单").id, "shanghai")
        entries.add_to_pool(session=session, principal=setup.ministry.principal, actor=setup.ministry.actor,
                            entry=host, enterprise_id=setup.ids["ningbo"], added_on=D0)
        assert {r.name for r in recognized_in_region(session=session, region_code="310115", day=D0)} == {
            "上海整车有限公司", "宁波座椅有限公司"}
        _agree(session, setup)
        rows = recognized_in_region(session=session, region_code="3101", day=D0)
        assert {r.name for r in rows} == {"上海整车有限公司", "宁波座椅有限公司", "昆山线束有限公司"}
        assert next(r for r in rows if r.name == "昆山线束有限公司").agreement == "长三角互认"
        assert recognized_in_region(session=session, region_code="110101", day=D0) == []
        csv_bytes = to_csv(rows, "zh_CN")
        assert csv_bytes.startswith("\ufeff".encode()) and "昆山线束有限公司" in csv_bytes.decode("utf-8-sig")
        assert to_xlsx(rows, "en")[:2] == b"PK"
