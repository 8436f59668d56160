"""The desk queue's scope is answered from indexes on PostgreSQL (issue 15: the queue at 200k cases).

An authority's scope is three region-prefix LIKEs and "liaison works in the region". On PostgreSQL (collation not
"C") a prefix LIKE can use a btree only with the pattern operator class, and ``liaison_id IN (subquery)`` inside an
OR is a filter on every row; so the queue read every case (or walked the priority index far past a page). With
migration 0026 and the scope's ``= ANY(ARRAY(subquery))`` the scope is a BitmapOr of index scans. Plans are
checked with sequential scans disabled, so the tiny test table does not decide the plan; timings are never asserted.
"""

from __future__ import annotations

import pytest
from coordination.desk_support import build_desk
from sqlalchemy import func, select, text

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.models import Case
from chainkeeper.coordination.scope import case_scope

JIANGSU = Principal(user_id=10**6, username="js", display_name="js", roles=frozenset({Role.province}),
                    region_code="32")


def plan_of(connection, statement) -> str:
    compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
    return "\n".join(row[0] for row in connection.execute(text(f"EXPLAIN {compiled}")))


def test_an_authoritys_scope_is_a_bitmap_of_index_scans_on_postgresql(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        plan = plan_of(connection, select(func.count()).select_from(Case).where(case_scope(JIANGSU)))
    assert "BitmapOr" in plan, plan
    for index in ("ix_desk_case_requester_region_code_prefix", "ix_desk_case_blocking_region_code_prefix",
                  "ix_desk_case_handling_region_code_prefix", "ix_desk_case_liaison"):
        assert index in plan, plan


def test_the_scope_finds_the_same_cases_on_both_databases(engine):
    """Liaison in the region, blocking party in it, neither: the rewritten scope answers as before."""
    from chainkeeper.coordination.service import NewCase, file_case
    from chainkeeper.coordination.models import CaseCategory
    from chainkeeper.db import unit_of_work

    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        kunshan = file_case(session=session, caller=desk.caller("oem"), data=NewCase(
            category=CaseCategory.parts_supply, title="线束断供", blocking_uscc=desk.usccs["kunshan"])).id
        ningbo = file_case(session=session, caller=desk.caller("oem"), data=NewCase(
            category=CaseCategory.parts_supply, title="座椅断供", blocking_uscc=desk.usccs["ningbo"])).id
    jiangsu = Principal(user_id=desk.user_ids["jiangsu"], username="jiangsu", display_name="江苏",
                        roles=frozenset({Role.province}), region_code="32")
    with unit_of_work(engine) as session:
        assert set(session.scalars(select(Case.id).where(case_scope(jiangsu)))) == {kunshan}
        session.get(Case, ningbo).liaison_id = desk.user_ids["kunshan"]  # a liaison who works in Jiangsu
    with unit_of_work(engine) as session:
        assert set(session.scalars(select(Case.id).where(case_scope(jiangsu)))) == {kunshan, ningbo}
