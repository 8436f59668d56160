"""The home page (``/``): for each role the caller holds, its work — an enterprise's cases, white-list status,
certificates and passes; an authority's queue of things to do; the ministry's national picture; the ministry's and
a province's live picture (:mod:`.live`); the analyst's national figures; the administrator's shortcuts."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Response
from sqlalchemy import func, select

from chainkeeper.auth import policies
from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.labels import STATE_LABELS
from chainkeeper.coordination.scope import sees_touches
from chainkeeper.core.data_epoch import sees_nothing
from chainkeeper.credentials.service import local_today
from chainkeeper.home import live, picture, work
from chainkeeper.i18n import _, translate
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages import queries
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages.rendering import request_language, sentence_start
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import Sees, page_cache, scope_key
from chainkeeper.whitelist.labels import LABELS

router = page_router()
Anyone = Annotated[Principal, guard(policies.SIGNED_IN)]
ENTRY_LABELS = {**LABELS, "not_listed_yet": _("not listed yet")}
PANELS_TTL = 10.0
"""Seconds the home page's counts, national picture and live panels are reused (a write ends them at once)."""
CREDENTIAL_LABELS = {"valid": _("valid"), "expiring": _("expiring soon"), "expired": _("expired"),
                     "not_yet": _("not yet valid"), "revoked": _("revoked")}


def enterprise_part(session, principal: Principal) -> dict:
    """An enterprise's cases, white-list entries and applications, certificates and passes."""
    today = local_today()
    certificates = work.certificates_of(session, principal.enterprise_id)
    return {"items": work.enterprise_items(session, principal),
            "cases": work.open_cases(session, principal),
            "entries": work.entries_of(session, principal.enterprise_id, today),
            "applications": work.application_items(session, principal),
            "certificates": [(c, work.credential_state(c, today)) for c in certificates],
            "passes": work.pass_items(session, principal),
            "expiring_passes": work.expiring_passes(session, principal, today)}


def authority_part(request: Request, session, principal: Principal, cases: work.CaseItems) -> dict:
    """What waits for an authority: counts with their lists (cached, see :func:`cached`), letters to answer, its
    most urgent open cases."""
    items = cached(request, session, principal, "authority-items", lambda: work.authority_items(
        session, principal, cases), personal=True)
    return {"items": items, "letters": work.letters_waiting(session, principal),
            "writes_letters": principal.has(Role.province), "cases": work.open_cases(session, principal)}


def bars(title: str, rows: list[tuple[str, int]], language: str, series: str) -> dict:
    """A bar chart's data (its table is printed next to it)."""
    return {"kind": "bars", "title": translate(title, language), "categories": [name for name, _n in rows],
            "series": [{"name": translate(series, language), "data": [count for _name, count in rows]}]}


def cached(request: Request, session, principal: Principal, part: str, compute, *key, personal: bool = False,
           sees: Sees | None = None):
    """``compute()`` reused for :data:`PANELS_TTL` seconds by callers with the principal's scope (the user's own
    when ``personal``) until anything is written (``sees``: but the narrow writes it cannot see;
    :mod:`chainkeeper.web.pages.scoped_cache`)."""
    scope = (scope_key(principal), principal.user_id if personal else None)
    return page_cache(request.app).get(session, (part, scope, *key), PANELS_TTL, compute, sees)


def national_part(session, principal: Principal, language: str, cases: work.CaseItems) -> dict:
    """The national picture: cases by state and province, resumption, letters, the registry in figures."""
    today = local_today()
    states = picture.state_items(session, principal)
    provinces = picture.province_rows(session, principal, today, language)
    overall, rates = picture.resumption(session, today)
    flows = picture.letter_flows(session, principal)
    return {"headline": picture.headline_items(session, principal, cases), "states": states, "provinces": provinces,
            "overall": overall, "rates": rates, "flows": flows, "day": today,
            "region_names": queries.provinces(session), "enterprises": queries.enterprise_total(session, principal),
            "state_chart": bars(_("Cases by state"), [(sentence_start(translate(item.label, language)), item.count)
                                                      for item in states], language, _("Cases")),
            "province_chart": bars(_("Open cases by province of the blocking party"),
                                   [(row.name, row.open) for row in provinces if row.open], language,
                                   _("Open cases"))}


def admin_part(session) -> dict:
    """How many accounts there are, for the administrator's shortcuts."""
    active = session.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))) or 0
    return {"active_users": active}


@router.get("/")
def home(request: Request, session: DbSession, principal: Anyone) -> Response:
    """The caller's work, by the roles it holds; its blocks kept per user and day for :data:`PANELS_TTL` seconds
    (:func:`render_kept`; any write ends them but a desk write of cases the caller cannot see: the parts show the
    caller's own cases and counts, read in the desk's scope, ``sees_touches``)."""
    key = (scope_key(principal), principal.user_id, local_today())
    return render_kept(request, session, "home/home.html", key, PANELS_TTL,
                       lambda: home_values(request, session, principal), sees=sees_touches(principal))


def home_values(request: Request, session, principal: Principal) -> dict:
    """The home page's values: a part per role the caller holds, and the labels its tables use."""
    language = request_language(request)
    cases = work.CaseItems(session, principal)  # the desk's counters, read once for every part that counts cases
    parts: dict[str, dict] = {}
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        parts["enterprise"] = enterprise_part(session, principal)
    if principal.has(Role.county, Role.city, Role.province, Role.ministry):
        parts["authority"] = authority_part(request, session, principal, cases)
    if principal.has(Role.ministry, Role.analyst):
        parts["national"] = cached(request, session, principal, "national", lambda: national_part(
            session, principal, language, cases), language, local_today())
    if principal.has(Role.ministry, Role.province):
        day = local_today()
        panels = cached(request, session, principal, "live-desk", lambda: live.desk_panels(
            session, principal, day, cases), day, language) + cached(request, session, principal, "live", lambda: (
                live.monitoring_panels(session, caller_of(principal, request), day, language)), day, language,
                sees=sees_nothing)
        parts["live"] = {"panels": panels, "text": lambda message, **params: translate(message, language, **params)}
    if principal.has(Role.admin):
        parts["admin"] = admin_part(session)
    return dict(parts=parts, wl_labels=ENTRY_LABELS, state_labels=STATE_LABELS, credential_labels=CREDENTIAL_LABELS,
                is_ministry=principal.has(Role.ministry))
