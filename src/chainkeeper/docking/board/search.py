"""Full-text search of board posts: the registry's name normalisation (full-width → half-width, traditional →
simplified, no whitespace, lower case) and an index of character bigrams (``board_gram``) kept by the service on
every write — the same on SQLite and PostgreSQL. A query term of two characters or more is answered by the posts
holding all its bigrams whose text contains the term; a single character scans the text."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, delete, func, select, true
from sqlalchemy.orm import Session

from chainkeeper.docking.board.models import Gram
from chainkeeper.registry.names import normalize_name

MAX_TERMS = 8


def normalise(text: str) -> str:
    """The searchable form of ``text`` (the registry's name normalisation)."""
    return normalize_name(text or "")


def bigrams(text: str) -> set[str]:
    """The distinct 2-character substrings of normalised ``text``."""
    return {text[i:i + 2] for i in range(len(text) - 1)}


def terms(query: str) -> list[str]:
    """The normalised terms of a query (split on whitespace), at most :data:`MAX_TERMS`."""
    return [t for t in (normalise(part) for part in (query or "").split()) if t][:MAX_TERMS]


def index(session: Session, kind: str, post_id: int, text: str) -> None:
    """(Re)index a post's normalised ``text``."""
    session.execute(delete(Gram).where(Gram.kind == kind, Gram.post_id == post_id))
    grams = bigrams(text)
    if grams:
        session.add_all(Gram(kind=kind, gram=gram, post_id=post_id) for gram in sorted(grams))
    session.flush()


def matches(model, kind: str, query: str) -> ColumnElement[bool]:
    """The condition 'the post's text contains every term of ``query``' (true for an empty query)."""
    conditions = []
    for term in terms(query):
        conditions.append(model.search_text.contains(term, autoescape=True))
        for gram in sorted(bigrams(term)):
            conditions.append(model.id.in_(select(Gram.post_id).where(Gram.kind == kind, Gram.gram == gram)))
    return and_(*conditions) if conditions else true()


def shared_grams(session: Session, kind: str, text: str, limit: int = 200) -> dict[int, int]:
    """Posts of ``kind`` sharing bigrams with ``text``: post id → how many shared, the most first."""
    grams = bigrams(text)
    if not grams:
        return {}
    query = (select(Gram.post_id, func.count()).where(Gram.kind == kind, Gram.gram.in_(sorted(grams)))
             .group_by(Gram.post_id).order_by(func.count().desc()).limit(limit))
    return dict(session.execute(query).all())
