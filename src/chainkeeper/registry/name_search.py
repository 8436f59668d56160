"""Substring search of normalised enterprise names through the trigram index (migration 0008).

On SQLite the FTS5 table ``enterprise_name_fts`` answers needles of 3 characters or more from its index; shorter
needles, and databases without the table, scan ``normalized_name`` with ``LIKE``. On PostgreSQL the ``LIKE`` itself
uses the pg_trgm index. The results are the same either way: the rows whose normalised name contains the needle.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, literal_column, select, table, text
from sqlalchemy.orm import Session

from chainkeeper.registry.models import Enterprise

FTS_TABLE = "enterprise_name_fts"
TRIGRAM = 3
"""Needles shorter than this have no trigram: they are scanned."""
_has_fts: WeakKeyDictionary = WeakKeyDictionary()


def has_fts(session: Session) -> bool:
    """Whether the session's database has the FTS5 name index (looked up once per engine)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    engine = getattr(bind, "engine", bind)
    if engine not in _has_fts:
        found = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                                {"name": FTS_TABLE}).first()
        _has_fts[engine] = found is not None
    return _has_fts[engine]


def fts_phrase(needle: str) -> str:
    """``needle`` as an FTS5 phrase (a substring match under the trigram tokenizer)."""
    return '"' + needle.replace('"', '""') + '"'


def name_contains(session: Session, needle: str) -> ColumnElement[bool]:
    """The condition 'the enterprise's normalised name contains ``needle``' (``needle`` already normalised)."""
    like = Enterprise.normalized_name.contains(needle, autoescape=True)
    if session.get_bind().dialect.name != "sqlite":
        return like
    if len(needle) >= TRIGRAM and has_fts(session):
        matches = (select(literal_column("rowid")).select_from(table(FTS_TABLE))
                   .where(literal_column(FTS_TABLE).op("MATCH")(fts_phrase(needle))))
        return Enterprise.id.in_(matches)
    # one pass over the (narrow) name index, not a walk of the sort order that reads every row until a page is full
    return Enterprise.id.in_(select(Enterprise.id).where(like).correlate(None))
