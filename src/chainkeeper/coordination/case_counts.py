"""The desk's case counts per region prefix (``desk_case_count``, migration ``0028_deskcounts``): signed deltas that
database triggers add in the transaction of every case insert, change of state, category, overdue flag or region,
and deletion. Summed per key they equal a COUNT of the cases, so the queue's per-state tabs and its totals read a
few dozen rows instead of grouping every visible case (issue 15: that was most of PostgreSQL's CPU under the desk's
load).

Kind 0 counts each case once under every distinct prefix (lengths 0, 2, 4, 6) of its requester, blocking and
handling regions: the part of an authority's scope that is ``… LIKE '<region>%'`` on those three columns. Kind 1
does the same over the blocking and handling regions only: the queue's region filter. The rest of a scope (cases of
a liaison in the region, outside it) is counted by a query on the liaison index (:func:`chainkeeper.coordination.
queries.counts_by_state`)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Boolean, Index, Integer, Select, SmallInteger, String, bindparam, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.models import Case
from chainkeeper.db import Base, unit_of_work

SCOPE, REGION_FILTER = 0, 1
PREFIX_LENGTHS = (0, 2, 4, 6)


class CaseCount(Base):
    """One delta: ``n`` cases (signed) under region ``prefix`` with this state, category and overdue flag."""

    __tablename__ = "desk_case_count"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[int] = mapped_column(SmallInteger)
    prefix: Mapped[str] = mapped_column(String(6))
    state: Mapped[str] = mapped_column(String(24))
    category: Mapped[str] = mapped_column(String(24))
    overdue: Mapped[bool] = mapped_column(Boolean)
    n: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_desk_case_count_key", "kind", "prefix"),)


# emptied after the cases (tests' clear_data deletes tables in reverse dependency order): deleting a case adds a delta
Case.__table__.add_is_dependent_on(CaseCount.__table__)


class Cell(NamedTuple):
    """How many cases have this state, category and overdue flag."""

    state: str
    category: str
    overdue: bool
    n: int


def countable_prefix(code: str | None) -> bool:
    """True when ``LIKE '<code>%'`` is exactly "one of the case's prefixes is ``code``" (digits, a kept length)."""
    return code is not None and (code == "" or code.isdigit()) and len(code) in PREFIX_LENGTHS


def scope_prefix(principal: Principal) -> str | None:
    """The prefix under which kind 0 counts the region part of the principal's scope: '' for national roles, the
    region of an authority (whose scope is then that region plus its liaisons' cases), None when the scope is not
    of that form (enterprises, an authority without a region or with an enterprise of its own: count with a query)."""
    if principal.is_national:
        return ""
    if not principal.roles & AUTHORITY_ROLES or not principal.region_code:
        return None
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        return None
    return principal.region_code if countable_prefix(principal.region_code) else None


_TOTAL = func.sum(CaseCount.n)
_KEY = (CaseCount.kind == bindparam("kind"), CaseCount.prefix == bindparam("prefix"))
CELLS = (select(CaseCount.state, CaseCount.category, CaseCount.overdue, _TOTAL).where(*_KEY)
         .group_by(CaseCount.state, CaseCount.category, CaseCount.overdue).having(_TOTAL != 0))
STATE_TOTALS = (select(CaseCount.state, CaseCount.overdue, _TOTAL).where(*_KEY)
                .group_by(CaseCount.state, CaseCount.overdue).having(_TOTAL != 0))
"""The counters' statements, built once (issue 15, sprint 12: building them was half the CPU of reading the counts
for a queue page read again after a filing); :data:`STATE_TOTALS` is the tabs' narrow form (a row per state and
overdue flag, not per category as well)."""


def cells(session: Session, kind: int, prefix: str) -> list[Cell]:
    """The cases counted under ``prefix`` by state, category and overdue flag (keys whose sum is 0 left out)."""
    rows = session.connection().execute(CELLS, {"kind": kind, "prefix": prefix})
    return [Cell(state, category, bool(overdue), int(n)) for state, category, overdue, n in rows]


def state_totals(session: Session, prefix: str) -> list[tuple[str, bool, int]]:
    """The cases counted under the scope prefix ``prefix`` by state and overdue flag (keys whose sum is 0 left out):
    the sums of :func:`cells` over the categories, read as such."""
    rows = session.connection().execute(STATE_TOTALS, {"kind": SCOPE, "prefix": prefix})
    return [(state, bool(overdue), int(n)) for state, overdue, n in rows]


def cells_query(conditions, by_state_and_overdue: bool = False) -> Select:
    """The cases matching ``conditions`` by state, category and overdue flag (by state and overdue flag only when
    asked): a plain query for what the counters do not cover, to build once and run with :func:`cells_of` or
    :func:`states_of`."""
    keys = (Case.state, Case.overdue) if by_state_and_overdue else (Case.state, Case.category, Case.overdue)
    return select(*keys, func.count()).where(*conditions).group_by(*keys)


def cells_of(session: Session, query: Select) -> list[Cell]:
    """The rows of a :func:`cells_query` as cells."""
    return [Cell(_value(state), _value(category), bool(overdue), n) for state, category, overdue, n
            in session.connection().execute(query)]


def states_of(session: Session, query: Select) -> list[tuple[str, bool, int]]:
    """The rows of a :func:`cells_query` by state and overdue flag, as (state, overdue, count)."""
    return [(_value(state), bool(overdue), n) for state, overdue, n in session.connection().execute(query)]


def _value(member) -> str:
    return getattr(member, "value", member)


def compact(session: Session) -> int:
    """Fold the deltas of every key that has more than one row into one row (keys summing to 0 disappear); the
    counts stay exact while cases change concurrently. Returns the rows removed. Run by the desk's job."""
    key = "kind, prefix, state, category, overdue"

    def repeated(among: str) -> str:  # the rows (of ``among``) whose key has more than one row there
        return f"({key}) IN (SELECT {key} FROM desk_case_count WHERE {among} GROUP BY {key} HAVING count(*) > 1)"

    if session.get_bind().dialect.name == "postgresql":
        # one statement: it deletes and re-inserts exactly the rows its snapshot saw (rows committed meanwhile stay)
        result = session.execute(text(
            f"WITH gone AS (DELETE FROM desk_case_count WHERE {repeated('TRUE')} RETURNING {key}, n), "
            f"kept AS (INSERT INTO desk_case_count ({key}, n) SELECT {key}, sum(n) FROM gone GROUP BY {key} "
            f"HAVING sum(n) <> 0 RETURNING 1) SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM kept)"))
        return int(result.scalar() or 0)
    # SQLite: the caller holds the write lock (one writer at a time): the rows up to the last id now are folded
    last = int(session.scalar(text("SELECT max(id) FROM desk_case_count")) or 0)
    folded = f"id <= {last} AND {repeated(f'id <= {last}')}"
    session.execute(text(f"INSERT INTO desk_case_count ({key}, n) SELECT {key}, sum(n) FROM desk_case_count "
                         f"WHERE {folded} GROUP BY {key} HAVING sum(n) <> 0"))
    return session.execute(text(f"DELETE FROM desk_case_count WHERE {folded}")).rowcount

def compact_counts(engine: Engine) -> int:
    """:func:`compact` in its own transaction (SQLite: holding the write lock from the start)."""
    with unit_of_work(engine, immediate=True) as session:
        return compact(session)
