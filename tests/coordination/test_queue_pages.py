"""Issue 15 (lane deskdb): a page of the queue takes its ids from the page index ``ix_desk_case_page`` alone
(PostgreSQL, migration 0030: the scope's and filters' columns in its INCLUDE), then reads their rows by primary key;
no count may use that index (it is partial: only the page's ids step states its predicate). The pages are the
plain query's, on both databases."""

from __future__ import annotations

import random

import pytest
from coordination.desk_support import build_desk
from coordination.test_case_counts import FILTERS, VIEWERS, file_cases, principal
from coordination.test_queue_plan import plan_of
from migration_checks import EXPRESSION_INDEX_WARNING, assert_tables_match_models
from sqlalchemy import inspect, select, text

from chainkeeper.coordination import queries
from chainkeeper.coordination.api_rows import case_items
from chainkeeper.coordination.models import Case, CaseState
from chainkeeper.coordination.scope import case_scope
from chainkeeper.db import downgrade, unit_of_work, upgrade

PAGE_INDEX = "ix_desk_case_page"
NO_SCANS_BUT_INDEXES = ("enable_seqscan", "enable_bitmapscan", "enable_sort")


def plain_page(session, viewer, where: queries.CaseFilter, order: str, page: int, page_size: int) -> list[int]:
    """The page's ids as one plain query (the shape before 0030)."""
    return list(session.scalars(select(Case.id).where(case_scope(viewer), *queries.filtered(where))
                                .order_by(*queries.ORDERS[order](), Case.id)
                                .offset((page - 1) * page_size).limit(page_size)))


def spread_priorities(engine, ids: list[int]) -> None:
    """Priorities and due times with ties and NULLs, so the order's every key and the id decide somewhere."""
    rnd = random.Random(7)
    with unit_of_work(engine) as session:
        for case_id in ids:
            case = session.get(Case, case_id)
            case.impact_priority = rnd.choice((None, 1.0, 2.5, 2.5, 9.0))
            if rnd.random() < 0.3:
                case.due_at = None
            if rnd.random() < 0.3:
                case.overdue = True


def test_the_pages_are_the_plain_querys(engine):
    desk = build_desk(engine)
    ids = file_cases(desk, 30)
    spread_priorities(engine, ids)
    with unit_of_work(engine) as session:
        for username in VIEWERS:
            viewer = principal(session, desk, username)
            for where in FILTERS:
                for order in queries.ORDERS:
                    for page in (1, 2, 5):
                        expected = plain_page(session, viewer, where, order, page, 4)
                        shown = queries.list_cases(session=session, principal=viewer, where=where, order=order,
                                                   page=page, page_size=4, rows=True, total=0)
                        cases = queries.list_cases(session=session, principal=viewer, where=where, order=order,
                                                   page=page, page_size=4, total=0)
                        items = case_items(session=session, principal=viewer, where=where, order=order, page=page,
                                           page_size=4)
                        key = (username, where, order, page)
                        assert [row.id for row in shown.items] == expected, key
                        assert [case.id for case in cases.items] == expected, key
                        assert [item["id"] for item in items] == expected, key


def explain(engine, statement, *, without: tuple[str, ...] = ()) -> str:
    """The plan of ``statement`` with scans other than index walks priced out (the test table is tiny), after a
    VACUUM so the visibility map lets an index-only scan be costed as one. The indexes named in ``without`` are
    dropped for the plan only: the transaction is rolled back."""
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE desk_case"))
    with engine.connect() as connection, connection.begin() as transaction:
        for index in without:
            connection.execute(text(f"DROP INDEX {index}"))
        for setting in NO_SCANS_BUT_INDEXES:
            connection.execute(text(f"SET LOCAL {setting} = off"))
        plan = plan_of(connection, statement)
        transaction.rollback()
    return plan


def test_a_pages_ids_are_an_index_only_walk_and_no_count_uses_that_index(engine):
    """Failed before 0030: the page walked ix_desk_case_priority and fetched each case to test scope and filter.

    On 40 cases, walking ix_desk_case_priority and fetching each case costs within 1 % of the index-only walk, and which
    wins turns on whether VACUUM could set the visibility map (CI once saw the other). So the plan is taken without
    that index: with sorts priced out, only an index in the priority order can give the page, and only one that holds
    every column the ids step reads is walked index-only."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    desk = build_desk(engine)
    file_cases(desk, 40)
    with unit_of_work(engine) as session:
        suzhou = principal(session, desk, "suzhou")
    where = queries.CaseFilter(overdue=True, states=(CaseState.submitted,))
    page = queries.page_query(select(*queries.QUEUE_COLUMNS), suzhou, where, "priority", 100, 50)  # page 3
    plan = explain(engine, page, without=("ix_desk_case_priority",))
    assert f"Index Only Scan using {PAGE_INDEX}" in plan, plan
    for where in (queries.CaseFilter(region="33"), queries.CaseFilter(), queries.CaseFilter(open_only=True)):
        count = select(Case.id).where(case_scope(suzhou), *queries.filtered(where))
        assert PAGE_INDEX not in explain(engine, count)


@pytest.mark.filterwarnings(EXPRESSION_INDEX_WARNING)
def test_the_page_index_matches_its_model_and_goes_down_and_up(engine):
    """Migration 0030 (PostgreSQL only: SQLite has no INCLUDE, its migration does nothing)."""
    assert_tables_match_models(engine, ("desk_case",))
    if engine.dialect.name != "postgresql":
        return
    names = lambda: {index["name"] for index in inspect(engine).get_indexes("desk_case")}  # noqa: E731
    assert PAGE_INDEX in names()
    try:
        downgrade(engine, "0029_linkorder")
        assert PAGE_INDEX not in names()
    finally:
        upgrade(engine, "head")
    assert PAGE_INDEX in names()
