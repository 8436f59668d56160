"""The registry pages' first views, sprint 10 (issue 15, lane regfresh2): one way to keep prebuilt statements, the
bounds of a page public, ..."""

from __future__ import annotations

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.registry import service as registry
from chainkeeper.web.pages import queries

COUNTY = Principal(user_id=99, username="t_county", display_name="t", roles=frozenset({Role.county}),
                   region_code="320583")


def test_the_pages_keep_their_statements_in_memos():
    """Before: the record and visibility statements were kept by ``functools.lru_cache``, the searches by a Memo."""
    for build in (queries._record_statement, queries._visible_statement):
        assert not hasattr(build, "cache_clear"), build
        assert build(COUNTY) is build(COUNTY)
    assert queries._record_statement(COUNTY) is not queries._visible_statement(COUNTY)


def test_the_bounds_of_a_page_are_public():
    """Before: only the private ``_bounds``, which the pages called with a ``noqa``."""
    assert registry.page_bounds(0, 0) == (1, 1)
    assert registry.page_bounds(3, 10_000) == (3, registry.MAX_PAGE_SIZE)
    assert registry.page_bounds(2, 50) == (2, 50)
