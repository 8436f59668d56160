"""The enterprise registry pages: search with filters, sort and pages; one enterprise with its network and history."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Request, Response

from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope, link_scope
from chainkeeper.registry import service as registry
from chainkeeper.registry.models import Label, SizeClass
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.audit_trail import changes, object_history
from chainkeeper.web.pages.network import PER_TIER, chart_data, neighbourhood
from chainkeeper.web.pages.rendering import is_htmx, render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.tables import Listing

router = page_router()
Reader = Annotated[Principal, guard(policies.REGISTRY_READ)]
FILTERS = ("q", "region", "industry", "chain", "label", "size")
REGION_CODE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")


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


def _row_names(session, items) -> dict:
    return {"regions": queries.region_names(session, (e.county_code for e in items)),
            "industries": queries.industry_names(session, (e.industry_code for e in items))}


@router.get("/enterprises")
def enterprises(request: Request, session: DbSession, principal: Reader) -> Response:
    """Search the registry (name simplified/traditional-insensitive, or USCC) inside the caller's scope."""
    language = request_language(request)
    listing = Listing(request, filters=FILTERS, sorts=tuple(queries.ENTERPRISE_SORTS), default_sort="name",
                      target="enterprise-table")
    chains = queries.chain_names(session, language)
    found = queries.search_enterprises(session, principal, enterprise_filter(listing, chains), sort=listing.sort,
                                       descending=listing.descending, page=listing.page,
                                       page_size=listing.page_size)
    template = "enterprises/_table.html" if is_htmx(request) else "enterprises/list.html"
    return render(request, session, template, listing=listing, found=found, pager=listing.pager(found.total),
                  chains=chains, provinces=queries.provinces(session), labels=queries.LABEL_NAMES,
                  sizes=queries.SIZE_NAMES, **_row_names(session, found.items))


def _tier_one(session, request: Request, principal: Principal, enterprise, upstream: bool) -> dict:
    """One page of direct suppliers (upstream) or customers, with which counterparts may be opened."""
    prefix = "sup_" if upstream else "cus_"
    listing = Listing(request, target="suppliers" if upstream else "customers", prefix=prefix)
    side = {"customer": enterprise.uscc} if upstream else {"supplier": enterprise.uscc}
    found = registry.list_links(session=session, scope=link_scope(principal), page=listing.page,
                                page_size=listing.page_size, **side)
    others = [link.supplier if upstream else link.customer for link in found.items]
    return {"listing": listing, "found": found, "pager": listing.pager(found.total), "upstream": upstream,
            "others": others, "openable": queries.visible_ids(session, principal, (o.id for o in others))}


def _history(session, enterprise) -> list[dict]:
    events = object_history(session, "enterprise", enterprise.uscc, enterprise.id)
    return [{"event": event, "changes": changes(event.before, event.after)} for event in reversed(events)]


@router.get("/enterprises/{uscc}")
def enterprise_page(request: Request, session: DbSession, principal: Reader, uscc: str) -> Response:
    """One enterprise: its record, direct suppliers and customers, a two-tier network picture and its history."""
    language = request_language(request)
    enterprise = registry.get_enterprise(session=session, uscc=uscc, scope=enterprise_scope(principal))
    suppliers = _tier_one(session, request, principal, enterprise, upstream=True)
    customers = _tier_one(session, request, principal, enterprise, upstream=False)
    target = request.headers.get("hx-target")
    if is_htmx(request) and target in ("suppliers", "customers"):
        return render(request, session, "enterprises/_links.html", tier=suppliers if target == "suppliers"
                      else customers)
    codes = [enterprise.county_code, enterprise.city_code, enterprise.province_code]
    return render(request, session, "enterprises/detail.html", enterprise=enterprise, suppliers=suppliers,
                  customers=customers, regions=queries.region_names(session, codes),
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
