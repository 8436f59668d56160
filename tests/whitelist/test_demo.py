"""The white-list step of the demo: Shanghai's batch 1, the national list, agreements, pool, resumption, Jiangsu."""

from datetime import timedelta

from sqlalchemy import func, select

from chainkeeper.db import unit_of_work
from chainkeeper.demo.service import load_demo
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist import entries, service
from chainkeeper.whitelist.agreements import list_agreements
from chainkeeper.whitelist.demo import BATCH_ONE, create_demo_whitelists
from chainkeeper.whitelist.models import AppState, Entry, PoolMember
from chainkeeper.whitelist.recognition import is_recognized
from chainkeeper.whitelist.recommend import recommend


def test_demo_publishes_shanghai_batch_one_with_certificates(engine, data_dir):
    summary = load_demo(engine, n_firms=800, seed=5)
    with unit_of_work(engine) as session:
        shanghai_auto = session.scalar(select(func.count()).select_from(Enterprise).where(
            Enterprise.province_code == "31", Enterprise.chain_code == "auto"))
        assert shanghai_auto > 0 and summary.counts["whitelist_entries"] == shanghai_auto
        lists = {item.scope_code: item for item in service.list_lists(session=session)}
        assert set(lists) == {"", "31", "32"} and lists["31"].batches[0].published_on == BATCH_ONE
        assert all(e.credential_id is not None for e in session.scalars(select(Entry)))
        rate = entries.resumption_rate(session=session, list_id=lists["31"].id, as_of=BATCH_ONE + timedelta(days=15))
        assert 0.7 <= rate["rate"] <= 0.8
        assert {a.name for a in list_agreements(session=session)} == {"长三角重点企业白名单互认", "京津冀重点企业白名单互认"}
        states = {a.state for a in session.scalars(select(service.Application).where(
            service.Application.list_id == lists["32"].id))}
        assert states <= {AppState.draft, AppState.submitted, AppState.rejected} and AppState.draft in states
        member = session.scalar(select(PoolMember).limit(1))
        if member is not None:  # the OEM's Jiangsu/Zhejiang supplier is recognised in Shanghai through the pool
            uscc = session.get(Enterprise, member.enterprise_id).uscc
            answer = is_recognized(session=session, uscc=uscc, region_code="310115", day=BATCH_ONE + timedelta(days=4))
            assert answer.recognized and any(b.via_pool_of for b in answer.bases)
        found = recommend(session=session, region="32", chain="auto", day=BATCH_ONE + timedelta(days=4), top=50)
        reasons = [text for item in found for text in item.explain("en")]
        assert any("ESRI" in text for text in reasons)
        assert all(item.sole_supplier_to == 0 or "sole supplier" in item.explain("en")[0] for item in found)
        assert create_demo_whitelists(session=session) == {}  # once only


def test_demo_step_copes_with_an_economy_without_shanghai(engine, data_dir):
    with unit_of_work(engine) as session:
        assert create_demo_whitelists(session=session) == {"whitelist_entries": 0, "pool": 0}
        assert len(service.list_lists(session=session)) == 3
