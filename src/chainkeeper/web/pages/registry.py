"""The enterprise registry pages: search with filters, sort and pages; one enterprise with its network and history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Response
from markupsafe import Markup, escape

from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _
from chainkeeper.registry import link_rows
from chainkeeper.registry import service as registry
from chainkeeper.registry.models import Label, SizeClass
from chainkeeper.web.deps import DbSession
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.audit_trail import changes, object_history
from chainkeeper.web.pages.kept_parts import kept_macro
from chainkeeper.web.pages.network import PER_TIER, chart_data, neighbourhood
from chainkeeper.web.pages.rendering import environment, is_htmx, render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import scope_key
from chainkeeper.web.pages.tables import Listing

router = page_router()
Reader = Annotated[Principal, guard(policies.REGISTRY_READ)]
FILTERS = ("q", "region", "industry", "chain", "label", "size")
REGION_CODE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
PARTS = "enterprises/_table_parts.html"
KEPT_TTL = 10.0
"""Seconds the registry pages' blocks are kept per scope and query (:func:`render_kept`; any write ends them)."""


def _choice(value: str | None, allowed) -> str | None:
    return value if value in allowed else None


def enterprise_filter(listing: Listing, chains: dict[str, str]) -> registry.EnterpriseFilter:
    """The search filter from the query string; malformed values are ignored."""
    region = listing.value("region")
    industry = listing.value("industry")
    return registry.EnterpriseFilter(
        q=(listing.value("q") or "")[:200] or None,
        region=region if region and REGION_CODE.match(region) else None,
        industry=industry if industry and industry.isalnum() and len(industry) <= 4 else None,
        chain=_choice(listing.value("chain"), chains),
        label=Label(listing.value("label")) if _choice(listing.value("label"), {x.value for x in Label}) else None,
        size=_choice(listing.value("size"), {x.value for x in SizeClass}),
    )


TAG = Markup('<span class="tag">%s</span>')
ROW = ('      <tr>\n        <td><a href="/enterprises/{0}">{1}</a></td>\n        <td class="mono">{0}</td>\n'
       '        <td>{2}</td>\n        <td><span class="mono">{3}</span> {4}</td>\n        <td>{5}</td>\n'
       '        <td>{6}</td>\n        <td>{7}</td>\n      </tr>')
"""One row of the registry list as ``enterprises/_table.html`` wrote it per row: USCC, name, county, industry code,
industry, size, chain and labels (escaped before they are put in)."""


def table_rows(session, items, chains: dict[str, str], language: str) -> list[Markup]:
    """The list's rows' markup from the search's rows: region, industry and chain names, size and labels in
    ``language`` (the HTML the template made per row, without its attribute look-ups and escaping per cell)."""
    regions = queries.region_names(session, (e.county_code for e in items))
    industries = queries.industry_names(session, (e.industry_code for e in items))
    sizes, label_names = queries.shown_names("sizes", language), queries.shown_names("labels", language)
    return [Markup(ROW.format(escape(e.uscc), escape(e.name), escape(regions.get(e.county_code, e.county_code)),
                              escape(e.industry_code), escape(industries.get(e.industry_code, "")), sizes[e.size],
                              escape(chains.get(e.chain_code, "")), _label_tags(e.labels, label_names)))
            for e in items]


def table_parts(language: str, listing: Listing, pager) -> dict[str, Markup]:
    """The table's head (hidden state, sortable headings) and foot (pagination), kept per listing and language:
    the listing is a function of its path and non-empty query values."""
    key = (listing.path, tuple(listing.all_params.items()))
    return {"table_head": kept_macro(language, PARTS, "registry_head", key, listing),
            "table_foot": kept_macro(language, PARTS, "registry_foot", (key, pager), listing, pager)}


def _label_tags(codes: str | None, label_names: dict) -> Markup:
    """The row's label tags from its aggregated label codes, in the order of :attr:`Enterprise.labels` (by code)."""
    if not codes:
        return Markup("")
    return Markup("").join([TAG % label_names[Label[code]] for code in sorted(codes.split(","))])


def filter_select(language: str, name: str, label: str, options: tuple, current: str | None) -> Markup:
    """The ``select`` macro of macros.html for one filter (label and "All" translated as the template's ``_()``
    does), kept per language, options and chosen value (:func:`kept_macro`): the options' markup was most of the
    filter form's cost on every request."""
    if not any(value == current for value, _text in options):
        current = None  # chooses nothing, like any value that is not an option's (bounded keys)
    return kept_macro(language, "macros.html", "select", (name, label, options, current), name,
                      queries.shown_text(label, language), options, current, queries.shown_text(_("All"), language))


def _filter_selects(language: str, chains: dict[str, str], provinces: dict[str, str], listing: Listing) -> dict:
    labels, sizes = queries.filter_options("labels", language), queries.filter_options("sizes", language)
    return {name: filter_select(language, name, label, options, listing.filters.get(name))
            for name, label, options in (("region", _("Province"), tuple(provinces.items())),
                                         ("chain", _("Key chain"), tuple(chains.items())),
                                         ("label", _("Label"), labels), ("size", _("Size"), sizes))}


@router.get("/enterprises")
def enterprises(request: Request, session: DbSession, principal: Reader) -> Response:
    """Search the registry (name simplified/traditional-insensitive, or USCC) inside the caller's scope."""
    if is_htmx(request):
        return render(request, session, "enterprises/_table.html", **_search(request, session, principal))
    return render_kept(request, session, "enterprises/list.html", _kept_key(request, principal), KEPT_TTL,
                       lambda: _search(request, session, principal, selects=True))


def _kept_key(request: Request, principal: Principal) -> tuple:
    """What a registry page's blocks depend on besides template, language and path: the caller's scope and the
    query string (filters, sort, pages)."""
    return scope_key(principal), request.url.query


def _search(request: Request, session, principal: Principal, selects: bool = False) -> dict:
    """The registry list's values: the listing, the page of rows and its pager (and the filters' selects)."""
    language = request_language(request)
    listing = Listing(request, filters=FILTERS, sorts=tuple(queries.ENTERPRISE_SORTS), default_sort="name",
                      target="enterprise-table")
    chains = queries.chain_names(session, language)
    found = queries.search_enterprises(session, principal, enterprise_filter(listing, chains), sort=listing.sort,
                                       descending=listing.descending, page=listing.page,
                                       page_size=listing.page_size)
    pager = listing.pager(found.total)
    values = {"listing": listing, "found": found, "pager": pager, **table_parts(language, listing, pager),
              "rows": table_rows(session, found.items, chains, language)}
    if selects:
        values["selects"] = _filter_selects(language, chains, queries.provinces(session), listing)
    return values


def _tier_one(session, request: Request, principal: Principal, enterprise, upstream: bool) -> dict:
    """One page of direct suppliers (upstream) or customers, with which counterparts may be opened."""
    prefix = "sup_" if upstream else "cus_"
    listing = Listing(request, target="suppliers" if upstream else "customers", prefix=prefix)
    found = link_rows.link_page(session, enterprise.id, upstream=upstream, principal=principal,
                                page=listing.page, page_size=listing.page_size)
    others = [link.supplier if upstream else link.customer for link in found.items]
    openable = queries.visible_ids(session, principal, (o.id for o in others))
    return {"listing": listing, "found": found, "pager": listing.pager(found.total), "upstream": upstream,
            "rows": link_table_rows(found.items, others, openable, request_language(request))}


@dataclass(frozen=True, slots=True)
class LinkShown:
    """One row of an enterprise's suppliers or customers, its values ready to show (the value formatted, the
    missing ones as a dash, "yes"/"no" translated once)."""

    other: link_rows.End
    openable: bool
    product: str | None
    value: str
    lead: float | str
    inventory: float | str
    essential: Markup


def link_table_rows(links, others, openable: set[int], language: str) -> list[LinkShown]:
    """The tier's table rows: the HTML the template made per link, without its per-row formatting and ``_()``."""
    yes, no = queries.shown_text(_("yes"), language), queries.shown_text(_("no"), language)
    return [LinkShown(other, other.id in openable, link.product.name if link.product else "—",
                      f"{link.annual_value:,.0f}", _dash(link.lead_time_days), _dash(link.inventory_days),
                      yes if link.essential else no) for link, other in zip(links, others)]


def _dash(value):
    return value if value is not None else "—"


def _history(session, enterprise) -> list[dict]:
    events = object_history(session, "enterprise", enterprise.uscc, enterprise.id)
    return [{"event": event, "changes": changes(event.before, event.after)} for event in reversed(events)]


@router.get("/enterprises/{uscc}")
def enterprise_page(request: Request, session: DbSession, principal: Reader, uscc: str) -> Response:
    """One enterprise: its record, direct suppliers and customers, a two-tier network picture and its history."""
    target = request.headers.get("hx-target")
    if is_htmx(request) and target in ("suppliers", "customers"):
        enterprise = queries.enterprise_record(session, principal, uscc)
        tier = _tier_one(session, request, principal, enterprise, upstream=target == "suppliers")
        return render(request, session, "enterprises/_links.html", tier=tier)
    return render_kept(request, session, "enterprises/detail.html", _kept_key(request, principal), KEPT_TTL,
                       lambda: _enterprise_values(request, session, principal, uscc))


def _enterprise_values(request: Request, session, principal: Principal, uscc: str) -> dict:
    """The enterprise page's values: record, both tiers of direct links, names, history and network picture."""
    language = request_language(request)
    enterprise = queries.enterprise_record(session, principal, uscc)
    suppliers = _tier_one(session, request, principal, enterprise, upstream=True)
    customers = _tier_one(session, request, principal, enterprise, upstream=False)
    codes = [enterprise.county_code, enterprise.city_code, enterprise.province_code]
    return dict(enterprise=enterprise, suppliers=suppliers, customers=customers,
                regions=queries.region_names(session, codes),
                industries=queries.industry_names(session, [enterprise.industry_code]),
                chains=queries.chain_names(session, language), labels=queries.LABEL_NAMES,
                sizes=queries.SIZE_NAMES, history=_history(session, enterprise),
                graph=chart_data(session, principal, neighbourhood(session, principal, enterprise, first={
                    -1: _first_links(suppliers), 1: _first_links(customers)}), language))


def _first_links(tier: dict) -> list | None:
    """The largest direct links when the tier's listing shows them (its first page, as many as the picture
    takes, or all there are), else None (the picture reads them itself)."""
    found = tier["found"]
    if found.page != 1 or (len(found.items) < PER_TIER and found.total > len(found.items)):
        return None
    return found.items
