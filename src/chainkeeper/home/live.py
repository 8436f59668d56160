"""The live picture on the ministry's and a province's home page: open and overdue blocking points, the resumption
of listed enterprises in the region, and — fed by each monitoring feature's service — stoppage
forecasts, warnings and the key groups' output, with the latest monthly briefing.

Each feature's panel is one hook (:func:`forecast_panel`, :func:`warnings_panel`, :func:`key_groups_panel`) that
returns None when it has nothing to show; the page shows the panels it gets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, Select, bindparam, func, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.core.caller import Caller
from chainkeeper.home.work import CaseItems, Item
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.entries import active_on
from chainkeeper.whitelist.models import Entry, EntryPeriod, Resumption

log = logging.getLogger(__name__)
WARNING_LEVELS = {"red": _("Red"), "yellow": _("Yellow"), "blue": _("Blue")}


@dataclass(frozen=True)
class Figure:
    """One figure of a panel: a label (message id, or data when ``data``), its value as text, its page."""

    key: str
    label: str
    value: str
    url: str = ""
    level: str = ""  # red / yellow / blue, or ''
    data: bool = False


@dataclass(frozen=True)
class Panel:
    """A panel of the live picture."""

    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # desk counts, linked to the queue that shows them
    url: str = ""
    note: str = ""
    note_params: dict = field(default_factory=dict)



def province_of(principal: Principal) -> str:
    """The province a provincial authority works for ('' for national roles)."""
    return "" if principal.is_national else (principal.region_code or "")[:2]


def blocking_points_panel(session: Session, principal: Principal, cases: CaseItems | None = None) -> Panel:
    """Open and overdue cases in the caller's scope, each linked to the queue that lists them (``cases``: the
    request's counters, when read)."""
    cases = cases or CaseItems(session, principal)
    return Panel("blocking-points", _("Blocking points"), items=[
        cases.item("live-open", _("Open cases"), state="open"),
        cases.item("live-overdue", _("Overdue open cases"), state="open", overdue="1")])


def resumption_panel(session: Session, principal: Principal, day: date) -> Panel:
    """Listed enterprises active today (located in the caller's province) and the share resumed."""
    query = _resumption_query(province_of(principal))
    counts = {status.value: count for status, count in session.execute(query, {"day": day})}
    total = sum(counts.values())
    resumed = counts.get(Resumption.partly.value, 0) + counts.get(Resumption.fully.value, 0)
    rate = f"{100 * resumed / total:.0f}%" if total else "—"
    return Panel("resumption", _("Resumption of listed enterprises"), url="/whitelists", figures=[
        Figure("resumption-rate", _("Resumption rate"), rate, "/whitelists"),
        Figure("resumed", _("Resumed enterprises"), f"{resumed:,}"),
        Figure("listed", _("Listed enterprises"), f"{total:,}")])


@lru_cache(maxsize=64)
def _resumption_query(province: str) -> Select:
    """:func:`resumption_panel`'s statement for a province ('' for all), the day a parameter: built once per province
    (issue 15: built on every first view)."""
    query = (select(Entry.resumption, func.count(func.distinct(Entry.enterprise_id)))
             .join(EntryPeriod, EntryPeriod.entry_id == Entry.id).join(Enterprise, Enterprise.id == Entry.enterprise_id)
             .where(active_on(bindparam("day", type_=Date))).group_by(Entry.resumption))
    return query.where(Enterprise.province_code == province) if province else query


def forecast_panel(session: Session, caller: Caller, day: date) -> Panel | None:
    """Key enterprises of the caller's region in the newest stoppage forecast: red (stop within 3 days), yellow
    (within 7) and all below 90% (``monitoring.forecast.service``)."""
    from chainkeeper.monitoring.forecast import service as service
    run = service.latest_run(session=session)
    if run is None:
        return None
    counts, total = service.level_totals(session=session, principal=caller.principal, run_id=run.id)
    url = "/monitoring/forecast"
    return Panel("forecast", _("Stoppage forecast"), url=url, figures=[
        Figure("forecast-red", _("Red: stop within 3 days"), f"{counts['red']:,}", url, "red"),
        Figure("forecast-yellow", _("Yellow: stop within 7 days"), f"{counts['yellow']:,}", url, "yellow"),
        Figure("forecast-all", _("Key enterprises below 90% of normal output within the horizon"),
               f"{total:,}", url)],
        note=_("Forecast made on {day} from the daily reports."), note_params={"day": run.made_on.isoformat()})


def warnings_panel(session: Session, caller: Caller, day: date, language: str = "zh_CN") -> Panel | None:
    """Open (unacknowledged) warnings in the caller's scope by level, each count linked to the list at that level,
    and the newest ones linked to their pages (``monitoring.warnings.service.home_panel``)."""
    from chainkeeper.monitoring.warnings import service as service
    found = service.home_panel(session=session, principal=caller.principal)
    counts = found["open"]
    url = "/monitoring/warnings"
    figures = [Figure(f"warnings-{level}", label, f"{counts.get(level, 0):,}", f"{url}?level={level}&acknowledged=no",
                      level) for level, label in WARNING_LEVELS.items()]
    subjects = _warning_subjects(session, found["newest"], language)
    figures += [Figure(f"warning-{w.id}", subjects[w.id], w.period, f"{url}/{w.id}", w.level.value, data=True)
                for w in found["newest"]]
    return Panel("warnings", _("Open warnings"), url=url, figures=figures,
                 note=_("Warnings not yet acknowledged; the newest listed below the counts."))


def _warning_subjects(session: Session, warnings: list, language: str) -> dict[int, str]:
    """What each warning is about, as its list names it: an enterprise's subject as raised, a region's indicator by
    its name in ``language`` (the home page showed codes such as ``iva_yoy``)."""
    from chainkeeper.i18n import translate
    from chainkeeper.monitoring.warnings.labels import INDICATOR_NAMES
    from chainkeeper.monitoring.warnings.pages import series_names
    from chainkeeper.reference.pickers import display_names

    regions = display_names(session, [w.region_code for w in warnings if w.region_code])
    series = series_names(session, language) if any(not w.enterprise_id for w in warnings) else {}

    def subject(w) -> str:
        if w.enterprise_id or not w.indicator:
            return w.explanation.get("subject") or w.subject_key
        place = regions.get(w.region_code, w.region_code) if w.region_code else translate(_("National"), language)
        name = translate(INDICATOR_NAMES[w.indicator], language) if w.indicator in INDICATOR_NAMES else \
            series.get(w.indicator, w.indicator)
        return f"{place} · {name}"
    return {w.id: subject(w) for w in warnings}


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.0f}%"


def key_groups_panel(session: Session, caller: Caller, day: date) -> Panel | None:
    """The key groups' output against baseline on the newest report day
    (``monitoring.scheduling.service.home_panel``); None when nothing is monitored in the caller's region."""
    from chainkeeper.monitoring.scheduling import service as service
    found = service.home_panel(session=session, caller=caller, day=day)
    figures = found.get("figures") or {}
    if not figures.get("members"):
        return None
    index = figures.get("output_index")
    url = found.get("url", "")
    return Panel("key-groups", _("Key groups' output"), url=url, figures=[
        Figure("output-index", _("Output index (pre-shock baseline = 100)"), "—" if index is None else f"{index:.0f}",
               url),
        Figure("group-resumption", _("Resumption rate"), _percent(figures.get("resumption_rate"))),
        Figure("group-attainment", _("Capacity attainment rate"), _percent(figures.get("attainment_rate"))),
        Figure("group-staff", _("Staff return rate"), _percent(figures.get("staff_return_rate")))],
        note=_("The month's last day with daily reports: {day}."), note_params={"day": found.get("day", "")})


def briefing_panel(session: Session, principal: Principal) -> Panel | None:
    """The newest monthly briefing the caller may read."""
    from chainkeeper.monitoring.briefing.service import list_briefings

    found = list_briefings(session=session, principal=principal, limit=1)
    if not found:
        return None
    latest = found[0]
    return Panel("briefing", _("Monthly briefing"), url="/monitoring/briefings", figures=[
        Figure("briefing-latest", latest.content.get("region_name", ""), latest.month,
               f"/monitoring/briefings/{latest.id}", data=True)])


def desk_panels(session: Session, principal: Principal, day: date, cases: CaseItems | None = None) -> list[Panel]:
    """The live picture's panels that read the desk's cases (a province's: the ministry's national picture shows
    these already; ``cases``: the request's counters, when read)."""
    if principal.has(Role.ministry):
        return []
    return [blocking_points_panel(session, principal, cases), resumption_panel(session, principal, day)]


def monitoring_panels(session: Session, caller: Caller, day: date, language: str = "zh_CN") -> list[Panel]:
    """The live picture's panels fed by the monitoring features (a failing feature's panel is left out): they read
    no desk table, so the desk's narrow writes leave them current (``data_epoch.sees_nothing``). The features run
    under one savepoint; when one fails, the work rolls back to it and each runs again under its own (issue 15: a
    savepoint per feature on every view)."""
    try:
        with session.begin_nested():  # a failed query rolls back to here, not the request
            found = [_panel(hook, session, caller, day, language) for hook in MONITORING_HOOKS]
    except Exception:  # noqa: BLE001 - one feature's failure must not take the home page down
        found = [_isolated(hook, session, caller, day, language) for hook in MONITORING_HOOKS]
    briefing = briefing_panel(session, caller.principal)
    return [panel for panel in (*found, briefing) if panel is not None]


def _panel(hook, session: Session, caller: Caller, day: date, language: str) -> Panel | None:
    return hook(session, caller, day, language) if hook is warnings_panel else hook(session, caller, day)


def _isolated(hook, session: Session, caller: Caller, day: date, language: str) -> Panel | None:
    """``hook``'s panel under its own savepoint; None (logged) when it fails."""
    try:
        with session.begin_nested():
            return _panel(hook, session, caller, day, language)
    except Exception:  # noqa: BLE001 - one feature's failure must not take the home page down
        log.exception("home panel %s failed", hook.__name__)
        return None


MONITORING_HOOKS = (forecast_panel, warnings_panel, key_groups_panel)


def live_panels(session: Session, caller: Caller, day: date, language: str = "zh_CN") -> list[Panel]:
    """The panels of the live picture for a ministry or provincial caller."""
    return desk_panels(session, caller.principal, day) + monitoring_panels(session, caller, day, language)
