"""Parts of pages whose markup depends only on their arguments (a table's head and foot, a filter's select):
rendered once per language, macro and key, then reused (issue 15)."""

from __future__ import annotations

from collections.abc import Hashable

from markupsafe import Markup

from chainkeeper.core.rows import Memo
from chainkeeper.web.pages.rendering import environment

PARTS_KEPT = 8192
"""(language, template, macro, key) entries kept (the registry's and the desk's heads, feet, tabs and selects), the
least recently used dropped first."""
_PARTS = Memo(PARTS_KEPT)


def kept_macro(language: str, template: str, name: str, key: Hashable, *args) -> Markup:
    """The macro ``name`` of ``template`` called with ``args`` in ``language``, rendered once per language,
    template, macro and ``key`` (which must determine ``args``), then reused."""
    return _PARTS.get((language, template, name, key), lambda: Markup(
        getattr(environment(language).get_template(template).module, name)(*args)))
