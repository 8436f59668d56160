"""Chinese full-text search of policies by character bigrams (the way the registry's name index reads Chinese).

Text is normalised like enterprise names (NFKC, lower case, traditional → simplified, no spaces). A query word of
Chinese text matches a policy whose text holds the word itself, or at least :data:`SHARE` of its character
bigrams (so 研发补贴 finds 研发费用…补贴); other words (ASCII, document numbers) must appear as they are.
Policies are ranked by how much of the query they hold.

>>> round(score("研发补贴", normalize_text("研发费用加计扣除与科技补贴")), 2)  # 2 of 3 bigrams
0.67
>>> score("研发补贴", normalize_text("稳岗补贴")) == 0
True
"""

from __future__ import annotations

import math
import re
import unicodedata

from sqlalchemy import ColumnElement, and_, false, or_

from chainkeeper.registry.names import to_simplified
from chainkeeper.sme.policies.models import Policy

SHARE = 0.6
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """The searchable form of ``text``.

    >>> normalize_text("專精特新 ＡＢＣ")
    '专精特新abc'
    """
    return to_simplified(_SPACE.sub("", unicodedata.normalize("NFKC", text)).lower())


def words(query: str) -> list[str]:
    """The normalised words of a query (split at spaces)."""
    return [w for w in (normalize_text(part) for part in _SPACE.split(query.strip())) if w]


def bigrams(word: str) -> list[str]:
    """The distinct character bigrams of ``word`` (the word itself when it has one or two characters)."""
    if len(word) <= 2:
        return [word]
    return list(dict.fromkeys(word[i:i + 2] for i in range(len(word) - 1)))


def _word_score(word: str, text: str) -> float:
    if word in text:
        return 1.0
    if word.isascii():
        return 0.0
    grams = bigrams(word)
    held = sum(g in text for g in grams) / len(grams)
    return held if held >= SHARE else 0.0


def score(query: str, text: str) -> float:
    """How well ``text`` (normalised) answers ``query``: 0 when some word is missing, else the mean word score."""
    found = [_word_score(w, text) for w in words(query)]
    return 0.0 if not found or min(found) == 0 else math.fsum(found) / len(found)


def search_condition(query: str) -> ColumnElement[bool]:
    """A cheap SQL pre-filter: the policies holding at least one bigram of every query word (ranked by
    :func:`score` afterwards)."""
    clauses = []
    for word in words(query):
        grams = bigrams(word) if not word.isascii() else [word]
        clauses.append(or_(*(Policy.search_text.contains(g, autoescape=True) for g in grams)))
    return and_(*clauses) if clauses else false()
