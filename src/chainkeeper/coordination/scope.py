"""Which cases and letters a principal may read, enforced in the query layer."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Boolean, ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from chainkeeper.auth.models import User
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.models import Case, Letter, LetterState


def case_scope(principal: Principal) -> ColumnElement[bool]:
    """THE rule of who reads a case (the API, pages, queue, counts, exports, bulk actions, letters and the CLI all
    filter with it). National roles: every case. An authority: cases whose requester, blocking party or handling
    region lies in its region, and cases assigned to a liaison who works in its region (a city hands a case about a
    city-registered party down to a county: the county sees it). Any user: cases it is the liaison of. An
    enterprise: its own cases."""
    if principal.is_national:
        return true()
    region, others = _scope_parts(principal)
    return or_(*_in_region(region), *others) if region or others else false()


def scope_meeting(principal: Principal, region: str) -> tuple[ColumnElement[bool], ColumnElement[bool]] | None:
    """:func:`case_scope` and the queue's region filter (the handling or blocking region under ``region``) as two arms
    whose union is exactly the cases of both, for a city's or county's authority whose region and ``region`` are
    disjoint prefixes, or a province's filtering on another province; None otherwise. A handling (blocking) region
    cannot lie under both, so a case of the filter's handling region is in scope through its requester, blocking
    region or liaison, and one of its blocking region through its requester, handling region or liaison: on
    PostgreSQL each arm is a small index-bitmap intersection, where the scope's OR and the filter's OR as two conjuncts
    read most of the table (issue 15: Suzhou × Guangdong 21,864 → 2,377 blocks, lane deskplan). The caller counts
    the arms' union (:func:`~chainkeeper.coordination.queries.scoped`): as one OR of the two arms a province's
    estimate was so high that the planner read the whole table (Jiangsu × Guangdong, 27,014 blocks), each arm alone
    is estimated, and intersected, on its own (lane deskprov)."""
    own, others = _scope_parts(principal)
    disjoint = region.isdigit() and not own.startswith(region) and not region.startswith(own)  # digits: no wildcards
    if principal.is_national or not own or not disjoint or (len(own) == 2 and len(region) > 2):
        return None  # a province filtering on a city elsewhere: the planner intersects the two ORs already
    wanted = f"{region}%"
    requester, blocking, handling = _in_region(own)
    return (and_(Case.handling_region_code.like(wanted), or_(requester, blocking, *others)),
            and_(Case.blocking_region_code.like(wanted), or_(requester, handling, *others)))


def _scope_parts(principal: Principal) -> tuple[str, list[ColumnElement[bool]]]:
    """The region whose prefix an authority's scope reads ("" when none), and the scope's other clauses (liaisons in
    that region, the principal as liaison, an enterprise's own cases)."""
    clauses = []
    region = (principal.region_code or "") if principal.roles & AUTHORITY_ROLES else ""
    if region:
        clauses.append(InSubquery(Case.liaison_id, select(User.id).where(User.region_code.like(f"{region}%"))))
    if principal.roles & AUTHORITY_ROLES and principal.user_id is not None:
        clauses.append(Case.liaison_id == principal.user_id)
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(Case.requester_id == principal.enterprise_id)
    return region, clauses


def _in_region(region: str) -> list[ColumnElement[bool]]:
    """The requester, blocking and handling regions under ``region`` (none when it is empty)."""
    if not region:
        return []
    pattern = f"{region}%"
    return [Case.requester_region_code.like(pattern), Case.blocking_region_code.like(pattern),
            Case.handling_region_code.like(pattern)]


def sees_touches(principal: Principal) -> Callable[[frozenset[str]], bool]:
    """:func:`case_scope` over what a desk write touched (:mod:`chainkeeper.coordination.case_writes`): whether the
    principal may see one of the cases it changed, before or after (``r<region>``, ``u<liaison>``, ``e<requester>``;
    a liaison's region is among the regions). Keep the two rules together."""
    if principal.is_national:
        return _always
    prefixes: tuple[str, ...] = ()
    names: set[str] = set()
    region = principal.region_code or ""
    if principal.roles & AUTHORITY_ROLES and region:
        prefixes = (f"r{region}",)
    if principal.roles & AUTHORITY_ROLES and principal.user_id is not None:
        names.add(f"u{principal.user_id}")
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        names.add(f"e{principal.enterprise_id}")

    def sees(touches: frozenset[str]) -> bool:
        return not names.isdisjoint(touches) or any(touch.startswith(prefixes) for touch in touches if prefixes)
    return sees


def _always(_touches: frozenset[str]) -> bool:
    return True


class InSubquery(ColumnElement[bool]):
    """``column IN (subquery)``, written ``column = ANY(ARRAY(subquery))`` on PostgreSQL: there the subquery runs once
    (an InitPlan) and the test can use an index on ``column`` — inside an OR, which a plain ``IN (subquery)`` (a
    hashed subplan, a filter on every row) cannot; with it the whole scope is a BitmapOr of index scans."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: SQLite must not get "… = 1" appended
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("subquery", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement, subquery: Select) -> None:
        self.column, self.subquery = column, subquery


@compiles(InSubquery)
def _in_subquery(element: InSubquery, compiler, **kw) -> str:
    return compiler.process(element.column.in_(element.subquery), **kw)


@compiles(InSubquery, "postgresql")
def _any_of_array(element: InSubquery, compiler, **kw) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY({compiler.process(element.subquery, **kw)}))"


def letter_scope(principal: Principal) -> ColumnElement[bool]:
    """National roles: every letter; a provincial (or lower) authority: letters from its province, and letters to
    its province once sent (a draft is the sender's own until it goes out)."""
    if principal.is_national:
        return true()
    region = principal.region_code or ""
    if principal.roles & AUTHORITY_ROLES and region:
        return or_(Letter.from_region_code == region[:2],
                   (Letter.to_region_code == region[:2]) & (Letter.state != LetterState.draft))
    return false()


def sees_internal(principal: Principal) -> bool:
    """Authorities and national roles read internal comments; enterprises do not."""
    return principal.is_national or bool(principal.roles & AUTHORITY_ROLES)
