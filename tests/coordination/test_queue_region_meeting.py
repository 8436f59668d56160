"""Issue 15 (lane deskplan): a region filter outside an authority's region (a city filtering on another province) is
stated together with the scope (:func:`~chainkeeper.coordination.scope.scope_meeting`), so PostgreSQL intersects
small index bitmaps instead of reading most of the table. The pages and totals must be the plain query's for every
viewer, region filter, order and page, on both databases."""

from __future__ import annotations

import random

from coordination.desk_support import build_desk
from coordination.test_case_counts import VIEWERS, file_cases, principal
from coordination.test_desk_cpu import statements
from coordination.test_queue_pages import plain_page
from sqlalchemy import select, update

from chainkeeper.coordination import queries
from chainkeeper.coordination.api_rows import case_items
from chainkeeper.coordination.models import Case, CaseCategory, CaseState
from chainkeeper.coordination.scope import case_scope
from chainkeeper.db import unit_of_work

CODES = ("32", "3205", "320583", "320214", "33", "3302", "22", "2201", "44", "4403", "440305")
REGIONS = ("44", "4403", "440305", "33", "3302", "22", "2201", "32", "3205", "320583", "11", "%", "3_")


def scatter_regions(desk, ids: list[int]) -> None:
    """Requester, blocking and handling regions and liaisons drawn independently, so every arm of the meeting
    condition (and every way around it) holds for some case."""
    rnd, liaisons = random.Random(11), [None, *desk.user_ids.values()]
    with unit_of_work(desk.engine) as session:
        for case_id in ids:
            session.execute(update(Case).where(Case.id == case_id).values(
                requester_region_code=rnd.choice(CODES), blocking_region_code=rnd.choice(CODES),
                handling_region_code=rnd.choice(CODES), liaison_id=rnd.choice(liaisons),
                impact_priority=rnd.choice((None, 1.0, 2.5, 9.0))))


def plain_total(session, viewer, where: queries.CaseFilter) -> int:
    return queries.capped_count(session, (case_scope(viewer), *queries.filtered(where)))


def count_statements(desk, username: str, where: queries.CaseFilter) -> list[str]:
    """The count statements of the queue's page (``list_cases``) and of ``count_cases`` for the viewer."""
    with unit_of_work(desk.engine) as session:
        viewer = principal(session, desk, username)
    with unit_of_work(desk.engine) as session, statements(desk.engine) as seen:
        queries.list_cases(session=session, principal=viewer, where=where)
        queries.count_cases(session=session, principal=viewer, where=where)
    counts = [statement for statement in seen if "count(*)" in statement]
    assert len(counts) == 2, seen
    return counts


def test_a_region_filter_outside_the_scope_gives_the_plain_querys_pages_and_totals(engine):
    desk = build_desk(engine)
    scatter_regions(desk, file_cases(desk, 60))
    with unit_of_work(engine) as session:
        for username in VIEWERS:
            viewer = principal(session, desk, username)
            for region in REGIONS:
                for where in (queries.CaseFilter(region=region),
                              queries.CaseFilter(region=region, states=(CaseState.submitted,), open_only=True),
                              queries.CaseFilter(region=region, overdue=False, category=CaseCategory.logistics)):
                    key = (username, where)
                    assert queries.count_cases(session=session, principal=viewer, where=where) == \
                        plain_total(session, viewer, where), key
                    for order in queries.ORDERS:
                        for page in (1, 3):
                            expected = plain_page(session, viewer, where, order, page, 4)
                            shown = queries.list_cases(session=session, principal=viewer, where=where, order=order,
                                                       page=page, page_size=4, rows=True)
                            items = case_items(session=session, principal=viewer, where=where, order=order,
                                               page=page, page_size=4)
                            assert [row.id for row in shown.items] == expected, (key, order, page)
                            assert [item["id"] for item in items] == expected, (key, order, page)
                            assert shown.total == plain_total(session, viewer, where), key


def test_the_filter_outside_the_scope_is_counted_with_the_scope_not_beside_it(engine):
    """Failed before: the scope's OR and the filter's OR were two conjuncts, and PostgreSQL fetched every case of the
    scope (21,864 heap blocks for Suzhou × Guangdong at 200k cases) to test the filter on it."""
    desk = build_desk(engine)
    for statement in count_statements(desk, "suzhou", queries.CaseFilter(region="44")):
        # two arms, the filter's handling region and its blocking region, each with the scope's tests that can meet it
        assert statement.count("requester_region_code LIKE") == 2, statement
        assert statement.count("handling_region_code LIKE") == statement.count("blocking_region_code LIKE") == 2
    for viewer, region in (("ministry", "32"), ("ministry", "44"), ("jiangsu", "32"), ("jiangsu", "3205"),
                           ("jiangsu", "4403"), ("oem", "32"), ("oem", "44")):  # inside the scope, national, or
        with unit_of_work(engine) as session:                                 # a province × a city elsewhere
            who = principal(session, desk, viewer)
        plain = select(Case.id).where(case_scope(who), *queries.filtered(queries.CaseFilter(region=region)))
        assert str(queries.scoped(who, queries.CaseFilter(region=region))) == str(plain), (viewer, region)


def test_a_province_filtering_on_another_province_counts_the_union_of_the_two_arms(engine):
    """Failed before: Jiangsu × Guangdong was counted as the scope's OR and the filter's OR, two conjuncts, and
    PostgreSQL read 21,562 of the table's 27,013 blocks (a seq scan: 27,014 as the arms' OR); each arm of a UNION is
    estimated on its own and planned as a small bitmap intersection (7,349 blocks, issue 15, lane deskprov)."""
    for statement in count_statements(build_desk(engine), "jiangsu", queries.CaseFilter(region="44", open_only=True)):
        arms = statement.split(" UNION ")
        assert len(arms) == 2, statement
        handling, blocking = arms
        assert "handling_region_code LIKE" in handling and "state IN" in handling, handling
        assert "blocking_region_code LIKE" in blocking and "state IN" in blocking, blocking
