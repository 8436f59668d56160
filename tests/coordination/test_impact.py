"""Impact of a blocking point on small hand-built registries: stopping days, white-listed firms, output at risk, cache.

The registry of most tests (values are annual CNY; the engine reads them as daily flows, so days do not depend on
them)::

    A (steel, Hebei) --essential, 3 days of stock--> B (harness, Kunshan) --essential, 10 days--> C (OEM, Changchun)
    N1 (plastics, Ningbo) --non-essential, 3 days--> N2 (OEM, Changchun)
    S (Suzhou city, not Kunshan county; no links)

Hand calculation for "A stops for good" under the engine's rules (see ``chainkeeper.network.simulate``): every
firm starts with ``target days × daily use`` of each input. B uses its input from A at the rate ``a·x0_B`` (= what A
delivers normally) and receives nothing from day 0 on, so its stock of ``3·a·x0_B`` covers its production on days
0, 1, 2; on day 3 the stock is empty, the essential input binds production to 0: B falls below 90% and 50% on day
3. C still receives B's full output on days 0–2 (its stock stays at 10 days) and nothing from day 3, so it lives
on its 10 days on days 3…12 and stops on day 13 = 3 + 10. Non-essential inputs never bind production in the
engine's default ("essential") Leontief rule, so N2 keeps producing when N1 stops.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
from factories import enterprise_row, import_registry, link_row
from whitelist.support import Setup, caller, make_list, publish

from chainkeeper.analysis.loader import load_registry_network
from chainkeeper.auth.roles import Role
from chainkeeper.config import get_settings
from chainkeeper.coordination.impact import (
    AFFECTED_BELOW,
    Impact,
    NetworkCache,
    assess_impact,
    cached_registry_network,
    priority_score,
    registry_fingerprint,
)
from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.registry.importing import import_rows
from chainkeeper.whitelist import certificates
from chainkeeper.whitelist.agreements import ensure_default_categories

D0 = date(2022, 4, 20)
YEAR = 365.0
X_B = X_C = 300.0  # baseline output: max(sales to firms, purchases from firms)
X_A = 100.0


@pytest.fixture
def registry(engine):
    """The registry of the module docstring; returns name → enterprise id."""
    rows = {
        "A": enterprise_row(name="唐山钢铁有限公司", county_code="130203", industry_code="3130"),
        "B": enterprise_row(name="昆山线束有限公司", county_code="320583", industry_code="3670"),
        "C": enterprise_row(name="长春整车有限公司", county_code="220104", industry_code="3611", size="large"),
        "N1": enterprise_row(name="宁波塑料有限公司", county_code="330206", industry_code="2929"),
        "N2": enterprise_row(name="长春客车有限公司", county_code="220104", industry_code="3612"),
        "S": enterprise_row(name="苏州轴承有限公司", county_code="320505", industry_code="3451"),
    }
    links = [link_row(rows["A"]["uscc"], rows["B"]["uscc"], annual_value="100", inventory_days="3"),
             link_row(rows["B"]["uscc"], rows["C"]["uscc"], annual_value="300", inventory_days="10"),
             link_row(rows["N1"]["uscc"], rows["N2"]["uscc"], annual_value="100", inventory_days="3", essential="0")]
    return import_registry(engine, rows, links) | {"_rows": rows}


def _assess(engine, **kwargs) -> Impact:
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
        return assess_impact(session=session, on=D0, loaded=loaded, **kwargs)


def _by_id(impact: Impact) -> dict[int, object]:
    return {firm.enterprise_id: firm for firm in impact.affected}


# ------------------------------------------------------------------------------------------------ the chain
def test_blocking_a_stops_b_on_day_3_and_c_on_day_13(engine, registry):
    with unit_of_work(engine) as session:  # the default path: the process-wide cache
        impact = assess_impact(session=session, enterprise_id=registry["A"], on=D0, horizon_days=30)
    assert impact.blocking.kind == "enterprise" and impact.blocking.enterprise_id == registry["A"]
    assert impact.n_blocked == 1
    assert [f.enterprise_id for f in impact.affected] == [registry["B"], registry["C"]]  # earliest stop first
    b, c = impact.affected
    assert (b.day_below_90, b.day_below_50) == (3, 3)
    assert (c.day_below_90, c.day_below_50) == (13, 13)
    assert b.min_level == pytest.approx(0.0) and c.min_level == pytest.approx(0.0)
    assert impact.n_affected == 2 and impact.first_stop_day == 3
    assert impact.n_listed_affected == 0 and impact.n_listed_stopping == 0 and impact.priority > 0
    assert registry["A"] not in _by_id(impact)  # the blocked firm is not among the affected


def test_output_at_risk_matches_the_hand_count_and_grows_with_the_horizon(engine, registry):
    long, short = (_assess(engine, enterprise_id=registry["A"], horizon_days=h) for h in (30, 20))
    # B loses its whole daily output on days 3..H-1, C on days 13..H-1; A's own loss is the direct loss
    assert long.output_at_risk_cny == pytest.approx(((30 - 3) * X_B + (30 - 13) * X_C) / YEAR)
    assert short.output_at_risk_cny == pytest.approx(((20 - 3) * X_B + (20 - 13) * X_C) / YEAR)
    assert long.blocked_output_cny == pytest.approx(30 * X_A / YEAR)
    assert short.output_at_risk_cny < long.output_at_risk_cny
    b = _by_id(long)[registry["B"]]
    assert b.lost_output_cny == pytest.approx(27 * X_B / YEAR)
    # within 10 days C still lives on its stock: it is not affected at all
    ten = _assess(engine, enterprise_id=registry["A"], horizon_days=10)
    assert [f.enterprise_id for f in ten.affected] == [registry["B"]]


def test_a_block_that_ends_before_the_stock_runs_out_stops_nobody(engine, registry):
    impact = _assess(engine, enterprise_id=registry["A"], horizon_days=30, duration=2)
    assert impact.n_affected == 0 and impact.output_at_risk_cny == pytest.approx(0.0, abs=1e-9)
    assert impact.blocked_output_cny == pytest.approx(2 * X_A / YEAR)


def test_partial_cut_hits_less_than_a_full_stop(engine, registry):
    full = _assess(engine, enterprise_id=registry["A"], cut=1.0)
    half = _assess(engine, enterprise_id=registry["A"], cut=0.4)
    assert 0 < half.output_at_risk_cny < full.output_at_risk_cny
    assert _by_id(half)[registry["B"]].day_below_50 is None  # 60% of its input: never below half
    assert _by_id(half)[registry["B"]].day_below_90 is not None


def test_a_non_essential_link_hits_less_than_an_essential_one(engine, registry):
    essential = _assess(engine, enterprise_id=registry["A"])
    non_essential = _assess(engine, enterprise_id=registry["N1"])
    assert registry["B"] in _by_id(essential)
    assert non_essential.n_affected == 0 and registry["N2"] not in _by_id(non_essential)
    assert non_essential.output_at_risk_cny < essential.output_at_risk_cny


def test_a_blocking_firm_without_customers_affects_nobody(engine, registry):
    impact = _assess(engine, enterprise_id=registry["C"])
    assert impact.affected == () and impact.n_affected == 0 and impact.n_blocked == 1
    assert impact.first_stop_day is None and impact.first_listed_stop_day is None
    alone = _assess(engine, enterprise_id=registry["S"])
    assert alone.n_affected == 0 and alone.output_at_risk_cny == 0 and alone.priority == 0


def test_errors(engine, registry):
    with pytest.raises(NotFound):
        _assess(engine, enterprise_id=max(v for k, v in registry.items() if k != "_rows") + 1000)
    with pytest.raises(ValidationFailed):
        _assess(engine)
    with pytest.raises(ValidationFailed):
        _assess(engine, enterprise_id=registry["A"], region_code="32")
    with pytest.raises(ValidationFailed):
        _assess(engine, region_code="320")
    with pytest.raises(NotFound):
        _assess(engine, region_code="329999")
    with pytest.raises(ValidationFailed):
        _assess(engine, enterprise_id=registry["A"], horizon_days=0)
    with pytest.raises(ValidationFailed):
        _assess(engine, enterprise_id=registry["A"], cut=0)


# ------------------------------------------------------------------------------------------------- regions
def test_a_county_block_reaches_outside_only_along_links(engine, registry):
    impact = _assess(engine, region_code="320583")  # Kunshan: B only
    assert impact.blocking.kind == "region" and impact.blocking.name == "昆山市"
    assert impact.n_blocked == 1
    # B stops on day 0; C has 10 days of its input: stops on day 10. A (B's supplier, outside) is not downstream;
    # the unlinked firms are untouched.
    assert [f.enterprise_id for f in impact.affected] == [registry["C"]]
    assert impact.affected[0].day_below_50 == 10
    untouched = {registry[k] for k in ("A", "N1", "N2", "S")}
    assert not untouched & set(_by_id(impact))


def test_city_and_province_blocks_take_every_firm_inside(engine, registry):
    city = _assess(engine, region_code="3205")  # Suzhou prefecture: Kunshan's B and the Suzhou firm S
    province = _assess(engine, region_code="32")
    assert city.n_blocked == province.n_blocked == 2
    assert [f.enterprise_id for f in city.affected] == [registry["C"]]
    empty = _assess(engine, region_code="11")  # Beijing: no registered firm
    assert empty.n_blocked == 0 and empty.n_affected == 0 and empty.priority == 0


# ---------------------------------------------------------------------------------------------- white list
@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data directory with a signing key (publishing issues a certificate)."""
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    certificates.ensure_key()
    yield tmp_path
    get_settings.cache_clear()


def test_a_white_listed_downstream_firm_counts_as_listed(engine, registry, data_dir):
    with unit_of_work(engine) as session:
        ensure_default_categories(session=session)
        setup = Setup(world=None, ids={"oem": registry["C"]}, applicant=None, kunshan=None, suzhou=None,
                      jiangsu=None, ministry=caller(Role.ministry))
        publish(session, setup, make_list(session, "22").id, enterprise="oem", on=D0)
    impact = _assess(engine, enterprise_id=registry["A"], horizon_days=30)
    listed = {f.enterprise_id: f.listed for f in impact.affected}
    assert listed == {registry["B"]: False, registry["C"]: True}
    assert impact.n_listed_affected == 1 and impact.n_listed_stopping == 1
    assert impact.listed_stop_days == (13,) and impact.first_listed_stop_day == 13
    assert impact.priority == pytest.approx(impact.output_at_risk_cny * (1 + (30 - 13) / 30))
    assert impact.summary_params()["within_days"] == 14
    with unit_of_work(engine) as session:  # the day before publication: not listed yet
        before = assess_impact(session=session, enterprise_id=registry["A"], on=D0 - timedelta(days=1),
                               loaded=load_registry_network(session=session))
    assert before.n_listed_affected == 0 and before.priority < impact.priority
    within_ten = _assess(engine, enterprise_id=registry["A"], horizon_days=10)
    assert within_ten.n_listed_stopping == 0  # C stops on day 13: outside a 10-day horizon


def test_priority_weights_early_listed_stops_more():
    assert priority_score(1e9, [], 30) == 1e9
    assert priority_score(1e9, [0], 30) == pytest.approx(2e9)
    assert priority_score(1e9, [3], 30) > priority_score(1e9, [20], 30) > priority_score(1e9, [], 30)
    assert priority_score(1e9, [3, 20], 30) > priority_score(1e9, [3], 30)


def test_affected_list_is_capped_with_the_total_kept(engine, registry):
    impact = _assess(engine, enterprise_id=registry["A"], limit=1)
    assert impact.n_affected == 2 and len(impact.affected) == 1 and impact.truncated
    assert impact.affected[0].enterprise_id == registry["B"]
    assert all(f.min_level < AFFECTED_BELOW for f in impact.affected)


# ---------------------------------------------------------------------------------------------------- cache
def _counting_loader(calls: list, delay: float = 0.0):
    def load(*, session):
        calls.append(threading.get_ident())
        time.sleep(delay)
        return load_registry_network(session=session)
    return load


def test_cache_reuses_within_max_age_and_reloads_after_a_registry_change(engine, registry):
    calls = []
    cache = NetworkCache(max_age_seconds=300, loader=_counting_loader(calls))
    with unit_of_work(engine) as session:
        first = cache.get(session)
    with unit_of_work(engine) as session:
        assert cache.get(session) is first and len(calls) == 1
    rows = registry["_rows"]
    assert import_rows(engine, "links", [link_row(rows["S"]["uscc"], rows["C"]["uscc"], annual_value="50")]).written
    with unit_of_work(engine) as session:
        added = cache.get(session)
    assert added is not first and added.network.n_links == first.network.n_links + 1 and len(calls) == 2


def test_cache_sees_a_link_updated_in_place(engine, registry):
    """An import that only changes a link's value keeps every id and count: the value sums must notice."""
    cache = NetworkCache()
    rows = registry["_rows"]
    with unit_of_work(engine) as session:
        before_print, first = registry_fingerprint(session), cache.get(session)
    for field, value in (("annual_value", "150"), ("inventory_days", "4"), ("essential", "0")):
        update = link_row(rows["A"]["uscc"], rows["B"]["uscc"], annual_value="100", inventory_days="3") | {field: value}
        assert import_rows(engine, "links", [update]).written
        with unit_of_work(engine) as session:
            after_print = registry_fingerprint(session)
            again = cache.get(session)
        assert after_print != before_print and again is not first, field
        first, before_print = again, after_print
    assert first.network.weight.sum() == pytest.approx(100 + 300 + 100)  # back to 100 in the last update


def test_cache_sees_an_enterprise_update_and_expires(engine, registry):
    now = [1000.0]
    calls = []
    cache = NetworkCache(max_age_seconds=60, loader=_counting_loader(calls), clock=lambda: now[0])
    with unit_of_work(engine) as session:
        first = cache.get(session)
    rename = registry["_rows"]["S"] | {"name": "苏州新轴承有限公司"}
    assert import_rows(engine, "enterprises", [rename]).written
    with unit_of_work(engine) as session:
        renamed = cache.get(session)
    assert renamed is not first and "苏州新轴承有限公司" in renamed.names
    now[0] += 59
    with unit_of_work(engine) as session:
        assert cache.get(session) is renamed
    now[0] += 2
    with unit_of_work(engine) as session:
        assert cache.get(session) is not renamed
    assert len(calls) == 3


def test_cache_loads_once_for_concurrent_callers(engine, registry):
    calls, results, errors = [], [], []
    cache = NetworkCache(loader=_counting_loader(calls, delay=0.3))

    def worker():
        try:
            with unit_of_work(engine) as session:
                results.append(cache.get(session))
        except BaseException as error:  # noqa: BLE001 - a failing thread must fail the test, not vanish
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(calls) == 1
    assert len(results) == 6 and all(result is results[0] for result in results)


def test_module_cache_is_shared_and_fresh(engine, registry):
    with unit_of_work(engine) as session:
        first = cached_registry_network(session)
        assert cached_registry_network(session) is first
        assert cached_registry_network(session, max_age_seconds=0) is not first
