"""The queue page's parts that depend only on their arguments, rendered once per arguments and language and then
reused (issue 15): its rows, filter form, tabs, table head and pagination (used by :mod:`.pages`)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import tzinfo
from functools import lru_cache
from types import SimpleNamespace

from markupsafe import Markup

from chainkeeper.coordination import labels, queries
from chainkeeper.i18n import _, translations
from chainkeeper.web.pages.kept_parts import kept_macro
from chainkeeper.web.pages.rendering import environment, money, sentence_start
from chainkeeper.web.pages.tables import Listing

FILTERS = ("state", "category", "region", "overdue", "q", "mine")
QUEUE_TARGET = "case-table"
COLUMNS = {"select": _("Select"), "ledger": _("Ledger no."), "title": _("Title"), "requester": _("Requester"),
           "category": _("Category"), "blocking": _("Blocking party"), "handled": _("Handled by"),
           "state": _("State"), "due": _("Due"), "risk": _("Output at risk")}  # the table's headings, each cell's label


@lru_cache(maxsize=8)
def row_labels(language: str) -> dict[str, dict]:
    """The queue rows' labels in ``language``, exactly as the templates' ``_()`` gives them (HTML-safe text),
    looked up once per language instead of once per row (issue 15); ``column``: each cell's heading, which labels
    it when the table shows one card per case on a phone (``table.cards``)."""
    catalog = translations(language)

    def shown(text: str) -> Markup:
        return Markup(catalog.gettext(text)) % {}

    def first(text: str) -> Markup:  # a cell's value starts with a capital, as the tabs and choices do
        return Markup(sentence_start(catalog.gettext(text))) % {}

    return {"urgency": {k: first(v) for k, v in labels.URGENCY_LABELS.items()},
            "category": {k: first(v) for k, v in labels.CATEGORY_LABELS.items()},
            "level": {k: first(v) for k, v in labels.LEVEL_LABELS.items()},
            "state": {k: first(v) for k, v in labels.STATE_LABELS.items()},
            "overdue": first(_("overdue")), "pending": first(_("pending")),
            "column": {k: shown(v) for k, v in COLUMNS.items()}}


@lru_cache(maxsize=4096)
def risk_text(amount: float, language: str) -> str:
    """An amount at risk as the ``cny`` filter writes it (babel's compact format is slow: memoised; the queue's
    first pages show the same cases to every user of a scope)."""
    return money(amount, language)


FORMS_KEPT = 1024  # (language, filter values): the usual filters × 2 languages; long typed searches are not kept
KEPT_TEXT = 200  # filter values longer than this together are rendered each time, not kept


def filter_form(language: str, listing: Listing) -> Markup:
    """The queue's filter form (``desk/_queue_filters.html``) for the listing's filter values. Its markup depends
    on nothing else (the choices' labels are constants), so it is rendered once per language and values and then
    reused (issue 15: its selects and region picker were a sixth of the queue page's CPU)."""
    values = tuple(listing.filters[name] for name in FILTERS)
    if sum(map(len, values)) > KEPT_TEXT:
        return _rendered_filter_form.__wrapped__(language, values)
    return _rendered_filter_form(language, values)


@lru_cache(maxsize=FORMS_KEPT)
def _rendered_filter_form(language: str, values: tuple[str, ...]) -> Markup:
    listing = SimpleNamespace(target=QUEUE_TARGET, filters=dict(zip(FILTERS, values)))
    return Markup(environment(language).get_template("desk/_queue_filters.html").render(
        listing=listing, state_options=_choices(language, labels.STATE_LABELS),
        category_options=_choices(language, labels.CATEGORY_LABELS)))


def _choices(language: str, choice_labels: dict) -> list[tuple[str, str]]:
    """A select's (value, label) options, each label starting with a capital, as the tabs above them do."""
    catalog = translations(language)
    return [(choice.value, sentence_start(catalog.gettext(label))) for choice, label in choice_labels.items()]


ROWS_KEPT = 8192  # rendered queue rows: a few pages of each scope's queue × 2 languages


@lru_cache(maxsize=ROWS_KEPT)
def queue_row(language: str, zone: tzinfo, row: queries.QueueRow, may_assign: bool, firm: str,
              blocking_region: str, handling_region: str, risk: str | None) -> Markup:
    """One row of the queue (the macro of ``desk/_queue_row.html``). Its markup depends on nothing but these
    arguments (``zone``: the display time zone its due time is written in; ``row`` without its impact JSON, which
    ``risk`` stands for), so each is rendered once and then reused: the views of a scope show the same first rows
    (issue 15: the rows' escaping and lookups were the largest part of the queue page)."""
    macro = environment(language).get_template("desk/_queue_row.html").module.queue_row
    return macro(row, may_assign, firm, blocking_region, handling_region, risk, row_labels(language))


def kept_part(language: str, name: str, key: Hashable, *args) -> Markup:
    """The macro ``name`` of ``desk/_queue_parts.html`` called with ``args``, rendered once per language, name and
    ``key`` (which must determine ``args``) and then reused: the queue's tabs, its table's head (orders, exports,
    column headings) and foot (pagination) were a fifth of the page's own CPU (issue 15, lane deskq)."""
    return kept_macro(language, "desk/_queue_parts.html", name, key, *args)


def table_parts(language: str, listing: Listing, pager, may_assign: bool) -> tuple[Markup, Markup]:
    """The queue table's head and foot; the listing is a function of its path and non-empty query values."""
    key = (listing.path, tuple(listing.all_params.items()))
    return (kept_part(language, "queue_head", (key, may_assign), listing, may_assign),
            kept_part(language, "queue_foot", (key, pager), listing, pager))
