"""Server-side tables: filters, sort and page read from the query string, and the links that change them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request

PAGE_SIZES = (20, 50, 100)


def _positive(text: str | None, default: int) -> int:
    try:
        value = int(text or default)
    except ValueError:
        return default
    return value if value >= 1 else default


@dataclass(frozen=True)
class Pager:
    """Where a page lies in the result: numbers for the pagination bar."""

    page: int
    page_size: int
    total: int
    cap: int | None = None  # the count stopped at cap + 1 rows: show "cap+"

    @property
    def total_text(self) -> str:
        """The total for people: exact, or "10,000+" when the count was capped."""
        if self.cap is not None and self.total > self.cap:
            return f"{self.cap:,}+"
        return f"{self.total:,}"

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.page_size))

    @property
    def first(self) -> int:
        """The number of the first item shown (0 when there is none)."""
        return 0 if self.total == 0 else (self.page - 1) * self.page_size + 1

    @property
    def last(self) -> int:
        """The number of the last item shown."""
        return min(self.total, self.page * self.page_size)

    def window(self, width: int = 2) -> list[int | None]:
        """Page numbers around the current one, with the first and last; None marks a gap."""
        shown = {1, self.pages, *range(max(1, self.page - width), min(self.pages, self.page + width) + 1)}
        numbers: list[int | None] = []
        for number in sorted(shown):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


class Listing:
    """The state of one table in the query string: its filters, sort column and direction, page and page size.

    ``prefix`` keeps the parameters of several tables on one page apart (``sup_page``, ``cus_page`` …).
    """

    def __init__(self, request: Request, *, filters: tuple[str, ...] = (), sorts: tuple[str, ...] = (),
                 default_sort: str = "", target: str = "table", prefix: str = ""):
        query = request.query_params
        self.path, self.prefix, self.target = request.url.path, prefix, target
        self.all_params = {k: v for k, v in query.items() if v != ""}
        self.filters = {name: query.get(name, "").strip() for name in filters}
        sort = query.get(self._key("sort"), default_sort)
        self.sort = sort if sort in sorts else default_sort
        self.descending = query.get(self._key("dir")) == "desc"
        self.page = _positive(query.get(self._key("page")), 1)
        size = _positive(query.get(self._key("size")), PAGE_SIZES[0])
        self.page_size = size if size in PAGE_SIZES else PAGE_SIZES[0]

    def _key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def value(self, name: str) -> str | None:
        """A filter's value, None when empty."""
        return self.filters.get(name) or None

    def url(self, **changes: object) -> str:
        """This page's URL with some of this table's parameters changed (None or '' removes one)."""
        params = dict(self.all_params)
        for name, value in changes.items():
            key = name if name in self.filters else self._key(name)
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = str(value)
        return self.path + ("?" + urlencode(params) if params else "")

    def page_url(self, page: int) -> str:
        """The URL of page ``page``."""
        return self.url(page=page if page > 1 else None)

    def sort_url(self, column: str) -> str:
        """The URL that sorts by ``column`` (toggling the direction when it is the current sort)."""
        descending = column == self.sort and not self.descending
        return self.url(sort=column, dir="desc" if descending else None, page=None)

    def sort_state(self, column: str) -> str:
        """'ascending', 'descending' or 'none' (for ``aria-sort``)."""
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    def pager(self, total: int, cap: int | None = None) -> Pager:
        """The pager of a result with ``total`` items (counted up to ``cap`` + 1 when a cap is given)."""
        return Pager(self.page, self.page_size, total, cap)
