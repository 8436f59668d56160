"""Substring search of normalised enterprise names through the trigram index (migration 0008).

On SQLite the FTS5 table ``enterprise_name_fts`` answers needles of 3 characters or more, ``enterprise_name_bigram``
needles of 2; single characters (and databases without those tables) scan ``normalized_name`` with ``LIKE``. On
PostgreSQL the ``LIKE`` itself uses the pg_trgm index. The results are the same either way: the rows whose
normalised name contains the needle.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, column, literal_column, select, table, text
from sqlalchemy.orm import Session

from chainkeeper.registry.models import Enterprise

FTS_TABLE, BIGRAM_TABLE = "enterprise_name_fts", "enterprise_name_bigram"
TRIGRAM = 3
"""Needles shorter than this have no trigram."""
_indexes: WeakKeyDictionary = WeakKeyDictionary()


def name_indexes(session: Session) -> frozenset[str]:
    """Which of the name-index tables the session's SQLite database has (looked up once per engine)."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    if engine not in _indexes:
        query = text("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (:fts, :bigram)")
        _indexes[engine] = frozenset(session.scalars(query, {"fts": FTS_TABLE, "bigram": BIGRAM_TABLE}))
    return _indexes[engine]


def name_index_kind(session: Session) -> tuple[str, frozenset[str]]:
    """What :func:`name_contains` builds its condition from besides the needle: the database's dialect and, on
    SQLite, its name-index tables (a statement built for one kind is valid for every database of that kind)."""
    dialect = session.get_bind().dialect.name
    return dialect, name_indexes(session) if dialect == "sqlite" else frozenset()


def fts_phrase(needle: str) -> str:
    """``needle`` as an FTS5 phrase (a substring match under the trigram tokenizer)."""
    return '"' + needle.replace('"', '""') + '"'


def name_contains(session: Session, needle: str) -> ColumnElement[bool]:
    """The condition 'the enterprise's normalised name contains ``needle``' (``needle`` already normalised)."""
    like = Enterprise.normalized_name.contains(needle, autoescape=True)
    if session.get_bind().dialect.name != "sqlite":
        return like
    indexes = name_indexes(session)
    if len(needle) >= TRIGRAM and FTS_TABLE in indexes:
        matches = (select(literal_column("rowid")).select_from(table(FTS_TABLE))
                   .where(literal_column(FTS_TABLE).op("MATCH")(fts_phrase(needle))))
        return Enterprise.id.in_(matches)
    if len(needle) == 2 and BIGRAM_TABLE in indexes:
        grams = table(BIGRAM_TABLE, column("gram"), column("enterprise_id"))
        return Enterprise.id.in_(select(grams.c.enterprise_id).where(grams.c.gram == needle))
    # one pass over the (narrow) name index, not a walk of the sort order that reads every row until a page is full
    return Enterprise.id.in_(select(Enterprise.id).where(like).correlate(None))
