"""Issue 15 (lane deskcounts): the queue's per-state tabs and its totals by state, open cases, category, overdue
and region come from counters kept by database triggers (migration 0028) instead of grouping every visible case
(most of PostgreSQL's CPU under the desk's load at 200,000 cases). They must equal a plain COUNT, also after
concurrent case changes and foldings, on both databases."""

from __future__ import annotations

import random
import re
import threading

from coordination.desk_support import build_desk, parts_case
from coordination.test_desk_cpu import statements
from sqlalchemy import func, select, text

from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.coordination import queries
from chainkeeper.coordination.models import Case, CaseCategory, CaseState
from chainkeeper.coordination.scope import case_scope
from chainkeeper.db import unit_of_work

VIEWERS = ("ministry", "jiangsu", "suzhou", "kunshan", "zhejiang", "jilin", "oem", "supplier")
REGIONS = ("32", "3205", "320583", "33", "3302", "22", "2201", "220104", "320214")
FILTERS = (queries.CaseFilter(), queries.CaseFilter(open_only=True), queries.CaseFilter(overdue=True),
           queries.CaseFilter(overdue=False, open_only=True), queries.CaseFilter(category=CaseCategory.logistics),
           queries.CaseFilter(states=(CaseState.accepted, CaseState.closed)),
           *(queries.CaseFilter(region=region) for region in REGIONS),
           queries.CaseFilter(region="3205", states=(CaseState.submitted,), category=CaseCategory.parts_supply))
READS_CASES = re.compile(r"FROM desk_case\b(?!_)")


def principal(session, desk, username: str):
    return principal_of(session.get(User, desk.user_ids[username]))


def file_cases(desk, count: int, seed: int = 1) -> list[int]:
    """Cases about the Kunshan, Ningbo and Wuxi suppliers, in several categories."""
    rnd, ids = random.Random(seed), []
    with unit_of_work(desk.engine) as session:
        for _ in range(count):
            ids.append(parts_case(desk, session, blocking=rnd.choice(("kunshan", "ningbo", "wuxi")),
                                  category=rnd.choice(list(CaseCategory))).id)
    return ids


def assert_counts_exact(desk) -> None:
    """For every viewer and filter: the counters' answer is the plain COUNT's."""
    with unit_of_work(desk.engine) as session:
        for username in VIEWERS:
            viewer = principal(session, desk, username)
            plain = {state.value: n for state, n in session.execute(
                select(Case.state, func.count()).where(case_scope(viewer)).group_by(Case.state))}
            assert queries.counts_by_state(session=session, principal=viewer) == plain, username
            for where in FILTERS:
                counted = queries.capped_count(session, (case_scope(viewer), *queries.filtered(where)))
                assert queries.count_cases(session=session, principal=viewer, where=where) == counted, \
                    (username, where)


def test_the_tabs_and_totals_do_not_group_the_visible_cases(engine):
    """Failed before: every tab count and total grouped or counted the viewer's cases (a scan of its scope)."""
    desk = build_desk(engine)
    file_cases(desk, 6)
    with unit_of_work(engine) as session, statements(engine) as seen:
        for username in ("ministry", "jiangsu", "suzhou"):
            viewer = principal(session, desk, username)
            queries.counts_by_state(session=session, principal=viewer)
            for where in FILTERS[:-1]:
                if not where.region or where.region.startswith(viewer.region_code or ""):
                    queries.count_cases(session=session, principal=viewer, where=where)
    read = [statement for statement in seen if READS_CASES.search(statement)]
    # what remains on the cases: an authority's liaisons' cases outside its region (the liaison index), nothing else
    assert read and all("liaison_id" in statement and "NOT (" in statement for statement in read), read


def test_the_counts_stay_exact_under_concurrent_changes_and_foldings(engine):
    desk = build_desk(engine)
    ids = file_cases(desk, 24)
    with unit_of_work(engine) as session:  # a Jiangsu liaison on a case outside Jiangsu: the scope's other part
        case = session.scalar(select(Case).where(~Case.blocking_region_code.like("32%")).limit(1))
        if case is None:
            case = session.get(Case, ids[0])
            case.blocking_region_code = case.handling_region_code = case.requester_region_code = "330206"
        case.liaison_id = desk.user_ids["jiangsu"]
    assert_counts_exact(desk)
    workers, rounds = 4, 12
    start, errors = threading.Barrier(workers + 1), []

    def change(worker: int) -> None:
        rnd = random.Random(worker)
        mine = ids[worker::workers]
        try:
            start.wait()
            for _ in range(rounds):
                with unit_of_work(engine, immediate=True) as session:
                    case = session.get(Case, rnd.choice(mine))
                    case.state = rnd.choice(list(CaseState))
                    case.overdue = rnd.random() < .5
                    case.category = rnd.choice(list(CaseCategory))
                    case.handling_region_code = rnd.choice(("", "32", "3205", "320583", "33", "330206", "22"))
                    case.blocking_region_code = rnd.choice(("320583", "330206", "320214", "220104"))
                with unit_of_work(engine, immediate=True) as session:  # and a new case now and then
                    if rnd.random() < .3:
                        mine.append(parts_case(desk, session, blocking=rnd.choice(("kunshan", "ningbo"))).id)
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    def fold() -> None:
        from chainkeeper.coordination.case_counts import compact_counts

        try:
            start.wait()
            for _ in range(rounds):
                compact_counts(engine)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=change, args=(worker,)) for worker in range(workers)]
    threads.append(threading.Thread(target=fold))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_counts_exact(desk)
    with unit_of_work(engine) as session:  # a deleted case leaves the counts too
        session.execute(text("DELETE FROM desk_case_event WHERE case_id = :id"), {"id": ids[1]})
        session.delete(session.get(Case, ids[1]))
    assert_counts_exact(desk)


def test_folding_keeps_every_count_and_leaves_one_row_per_key(engine):
    from chainkeeper.coordination.case_counts import compact_counts

    desk = build_desk(engine)
    ids = file_cases(desk, 8)
    with unit_of_work(engine) as session:
        for case_id in ids[:4]:
            session.get(Case, case_id).state = CaseState.accepted
    compact_counts(engine)
    assert_counts_exact(desk)
    with engine.connect() as connection:
        repeated = connection.scalar(text("SELECT count(*) FROM (SELECT 1 FROM desk_case_count GROUP BY kind, prefix, "
                                          "state, category, overdue HAVING count(*) > 1) AS r"))
        empty = connection.scalar(text("SELECT count(*) FROM (SELECT 1 FROM desk_case_count GROUP BY kind, prefix, "
                                       "state, category, overdue HAVING sum(n) = 0) AS r"))
    assert repeated == 0 and empty == 0
