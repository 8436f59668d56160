"""The registry overview (``/overview``): what the principal may see of the registry, by province, key chain and
label. The home page (:mod:`chainkeeper.home.pages`) links to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Response

from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key

router = page_router()
Reader = Annotated[Principal, guard(policies.REGISTRY_READ)]
NUMBERS_TTL = 30.0
"""Seconds the dashboard's aggregates (a scan of every link) are reused for callers with the same scope."""


def cached_numbers(request: Request, session, principal: Principal) -> dict:
    """:func:`queries.dashboard_numbers`, reused for :data:`NUMBERS_TTL` seconds per scope by this application
    until anything is written (:mod:`chainkeeper.web.pages.scoped_cache`)."""
    return page_cache(request.app).get(session, ("dashboard-numbers", scope_key(principal)), NUMBERS_TTL,
                                       lambda: queries.dashboard_numbers(session, principal))


def forget_numbers(app) -> None:
    """Drop the application's cached aggregates (after the registry changed)."""
    page_cache(app).clear()


def province_chart(numbers: dict, names: dict[str, str], language: str) -> dict:
    """Bar chart data: enterprises and supply links (by the supplier's province) per province, largest first (ties by
    code: the same page for the same data, whatever the process's string hashing)."""
    codes = sorted(set(numbers["firms"]) | set(numbers["supplied"]), key=lambda c: (-numbers["firms"].get(c, 0), c))
    return {
        "kind": "bars",
        "categories": [names.get(code, code) for code in codes],
        "codes": codes,
        "series": [
            {"name": translate(_("Enterprises"), language), "data": [numbers["firms"].get(c, 0) for c in codes]},
            {"name": translate(_("Supply links (supplier's province)"), language),
             "data": [numbers["supplied"].get(c, 0) for c in codes]},
        ],
    }


def chain_rows(numbers: dict, chain_names: dict[str, str], language: str) -> list[tuple[str, str, int]]:
    """(code, name, enterprises) per key chain in display order, then those in no key chain."""
    rows = [(code, name, numbers["chains"].get(code, 0)) for code, name in chain_names.items()]
    if numbers["chains"].get(None):
        rows.append(("", translate(_("In no key chain"), language), numbers["chains"][None]))
    return rows


def label_rows(numbers: dict, language: str) -> list[tuple[str, str, int]]:
    """(code, name, enterprises) per label."""
    return [(label.value, translate(name, language), numbers["labels"].get(label, 0))
            for label, name in queries.LABEL_NAMES.items()]


@router.get("/overview")
def dashboard(request: Request, session: DbSession, principal: Reader) -> Response:
    """Counts and charts of the registry in the principal's scope."""
    language = request_language(request)
    numbers = cached_numbers(request, session, principal)
    chains = chain_rows(numbers, queries.chain_names(session, language), language)
    chain_chart = {"kind": "bars", "horizontal": True, "categories": [name for _c, name, _n in chains],
                   "series": [{"name": translate(_("Enterprises"), language), "data": [n for _c, _m, n in chains]}]}
    return render(request, session, "dashboard.html", totals=numbers["totals"],
                  province_chart=province_chart(numbers, queries.provinces(session), language),
                  chain_chart=chain_chart, chains=chains, labels=label_rows(numbers, language))
