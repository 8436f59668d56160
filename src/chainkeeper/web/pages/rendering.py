"""Rendering of pages: one Jinja2 environment per language, the request language, local times, the page chrome."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_compact_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from chainkeeper.analysis.policies import ANALYSIS
from chainkeeper.monitoring.scheduling.policies import PICTURE as SCHEDULING_PICTURE
from chainkeeper.auth import policies
from chainkeeper.auth.roles import ROLE_LABELS, Principal
from chainkeeper.monitoring.forecast.policies import READ as FORECAST_READ
from chainkeeper.config import get_settings
from chainkeeper.core.request import READ_REQUEST
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.briefing.policies import READ as BRIEFINGS
from chainkeeper.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, sentence_start, translate, translations
from chainkeeper.monitoring.indicators.policies import INDICATORS_READ
from chainkeeper.monitoring.warnings.policies import READ as WARNINGS_READ
from chainkeeper.reference.cache import reference_names
from chainkeeper.reference.models import Region
from chainkeeper.reporting.policies import NAVIGATION as REPORTS
from chainkeeper.registry.models import Enterprise

LANGUAGE_COOKIE = "ck_lang"
TEMPLATES = resources.files("chainkeeper.web") / "templates"
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
SECURITY_HEADERS = {  # scripts only from /static; ECharts and htmx set inline styles; no framing (clickjacking)
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Vary": "Cookie, Accept-Language, HX-Request",
}
_SECURITY_RAW = tuple((name.lower().encode("latin-1"), value.encode("latin-1"))
                      for name, value in SECURITY_HEADERS.items())


class PageResponse(HTMLResponse):
    """A page with :data:`SECURITY_HEADERS`, encoded once at start-up rather than on every response (issue 15); the
    same headers in the same order as ``HTMLResponse(..., headers=SECURITY_HEADERS)``."""

    def init_headers(self, headers: Any = None) -> None:
        super().init_headers(headers)  # content-length and content-type
        self.raw_headers[:0] = _SECURITY_RAW
NAVIGATION = (  # (path, label, policy)
    ("/", _("Home"), policies.REGISTRY_READ),
    ("/enterprises", _("Enterprise registry"), policies.REGISTRY_READ),
    ("/import", _("Import"), policies.REGISTRY_WRITE),
    ("/whitelists", _("White lists"), policies.SIGNED_IN),
    ("/passes", _("Vehicle passes"), policies.SIGNED_IN),
    ("/desk", _("Coordination desk"), policies.SIGNED_IN),
    ("/reports", _("Reports"), REPORTS),
    ("/analysis", _("Analysis"), ANALYSIS),
    ("/monitoring/indicators", _("Monthly indicators"), INDICATORS_READ),
    ("/monitoring/forecast", _("Stoppage forecast"), FORECAST_READ),
    ("/monitoring/picture", _("Daily scheduling"), SCHEDULING_PICTURE),
    ("/monitoring/warnings", _("Early warning"), WARNINGS_READ),
    ("/monitoring/briefings", _("Monthly briefings"), BRIEFINGS),
    ("/docking", _("Supply–demand docking"), policies.SIGNED_IN),
    ("/docking/board", _("Matching board"), policies.SIGNED_IN),
    ("/sme", _("SME services"), policies.SIGNED_IN),
    ("/verify", _("Verify a certificate or pass"), policies.SIGNED_IN),
    ("/admin/users", _("Users and roles"), policies.ADMIN),
    ("/admin/audit", _("Audit log"), policies.AUDIT_READ),
    ("/account", _("My account"), policies.SIGNED_IN),
)


def _accepted(header: str) -> str | None:
    """The first supported language of an Accept-Language header, by quality."""
    choices = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        choices.append((-quality, position, tag.strip().lower()))
    for _q, _p, tag in sorted(choices):
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return None


def request_language(request: Request) -> str:
    """The ``ck_lang`` cookie, else the user's language, else Accept-Language, else zh_CN."""
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    principal = getattr(request.state, "principal", None)
    if principal is not None and principal.language in LANGUAGES:
        return principal.language
    return _accepted(request.headers.get("accept-language", "")) or DEFAULT_LANGUAGE


def local_zone() -> ZoneInfo:
    """The configured display time zone (Asia/Shanghai unless set otherwise)."""
    try:
        return ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def local_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` (naive = UTC) as local wall-clock text, to the minute as people read times (audit trails pass a
    pattern with seconds)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(local_zone()).strftime(pattern)


def money(amount: float | None, language: str) -> str:
    """An amount of yuan, compact in the reader's language: 21亿元 / 2.1B CNY."""
    if amount is None:
        return ""
    compact = format_compact_decimal(amount, locale=language, fraction_digits=1)
    return translate(_("{amount} CNY"), language, amount=compact)


MEMO_LIMIT = 8192  # translated template strings kept per language (dynamic labels could otherwise grow it)


def memo_gettext(lookup) -> Any:
    """Jinja's new-style ``gettext`` for ``lookup`` (the catalog's), each result without variables kept.

    The same answer as ``jinja2.ext``'s own (the translation, as ``Markup`` when autoescaping, ``%``-formatted with
    the keyword variables, so ``%%`` is ``%`` and the variables are escaped) but a string seen before costs one
    dictionary lookup instead of three ``Context.call`` s, a catalog lookup, a ``Markup`` and a ``%`` per ``_()``.
    Only the catalog's text is kept: nothing of a request or a user.
    """
    memo: dict[tuple[str, bool], str] = {}

    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        autoescape = __context.eval_ctx.autoescape
        if not variables and type(__string) is str:
            found = memo.get((__string, autoescape))
            if found is not None:
                return found
        text = lookup(__string)
        if autoescape:
            text = Markup(text)
        text = text % variables
        if not variables and type(__string) is str and len(memo) < MEMO_LIMIT:
            memo[(__string, autoescape)] = text
        return text

    return gettext


@lru_cache
def environment(language: str) -> Environment:
    """The template environment of ``language`` (gettext from the chainkeeper catalogs)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)  # packaged templates: compiled once, no stat() per page
    catalog = translations(language)
    env.install_gettext_translations(catalog, newstyle=True)
    gettext = memo_gettext(catalog.gettext)  # ``_`` straight to it, not through jinja2.ext's alias
    env.globals.update(_=gettext, gettext=gettext)
    env.filters["local_time"] = local_time
    env.filters["cny"] = lambda amount: money(amount, language)
    env.filters["sentence"] = sentence_start
    env.globals.update(language=language, language_names=LANGUAGE_NAMES,
                       options=lambda names: [(code.value, catalog.gettext(name)) for code, name in names.items()])
    return env


def _scope_label(session: Session, principal: Principal, language: str) -> str:
    """Where the principal's view reaches: the country, a region's name, or an enterprise's name."""
    if principal.is_national:
        return translate(_("Nationwide"), language)
    if principal.region_code:
        return reference_names(session, Region).get(principal.region_code, principal.region_code)
    if principal.enterprise_id is not None:
        return _enterprise_name(session, principal.enterprise_id)
    return ""


def _enterprise_name(session: Session, enterprise_id: int) -> str:
    """The enterprise's name: from the session when the page loaded it, else its name alone (not the entity with
    its labels: two statements on every page of an enterprise user)."""
    if identity_key(Enterprise, enterprise_id) in session.identity_map:
        enterprise = session.get(Enterprise, enterprise_id)
        return enterprise.name if enterprise else ""
    row = session.execute(select(Enterprise.name).where(Enterprise.id == enterprise_id)).first()
    return row[0] if row else ""


SIDEBARS_KEPT = 4096  # (language, entries, active entries): a few role sets × ~20 entries × 2 languages


def sidebar(language: str, principal: Principal, path: str) -> Markup:
    """The main navigation (``_sidebar.html``) of the entries the principal may open, an entry marked active when
    ``path`` is it or below it (not for ``/``). Its markup depends on nothing else, so it is rendered once per
    language, entries and active entries and then reused: its ~20 links' ``_()`` and escaping were a good part of
    every page's chrome."""
    items = tuple((href, label, path == href or (href != "/" and path.startswith(href)))
                  for href, label, policy in NAVIGATION if policy.allows(principal))
    return _rendered_sidebar(language, items)


@lru_cache(maxsize=SIDEBARS_KEPT)
def _rendered_sidebar(language: str, items: tuple) -> Markup:
    return Markup(environment(language).get_template("_sidebar.html").render(items=items))


def chrome(request: Request, session: Session | None) -> dict[str, Any]:
    """What every page shows around its content: user, role, scope, navigation, CSRF token, language."""
    language = request_language(request)
    principal: Principal | None = getattr(request.state, "principal", None)
    context: dict[str, Any] = {"request": request, "principal": principal, "path": request.url.path,
                               "csrf_token": getattr(request.state, "csrf_token", None) or "",
                               "sidebar": "", "role_label": "", "scope_label": ""}
    if principal is not None:
        context["sidebar"] = sidebar(language, principal, request.url.path)
        context["role_label"] = sentence_start(translate(ROLE_LABELS[principal.main_role], language))
        if session is None:  # an error page rendered outside the request's transaction
            with unit_of_work(request.app.state.engine) as own:
                context["scope_label"] = _scope_label(own, principal, language)
        else:
            context["scope_label"] = _scope_label(session, principal, language)
    return context


def is_htmx(request: Request) -> bool:
    """True for a request htmx sent (it wants a fragment, not a whole page)."""
    return request.headers.get("hx-request") == "true"


def render(request: Request, session: Session | None, name: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """Render template ``name`` in the request language with the page chrome."""
    template = environment(request_language(request)).get_template(name)
    html = template.render(**chrome(request, session), **context)
    if session is not None and session.info.get(READ_REQUEST) and session.in_transaction():
        session.commit()  # a read page's transaction ends here, in the route's thread: one trip to the pool fewer
    return PageResponse(html, status_code=status_code)
