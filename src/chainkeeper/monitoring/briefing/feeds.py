"""The briefing's sections fed by daily scheduling (the key groups' output), the stoppage forecast and early warning, each read
through its feature's service as the national reader sees it, then narrowed to the briefing's region (the briefing's
own service decides who may read which region's briefing)."""

from __future__ import annotations

from datetime import timedelta
from types import ModuleType

from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.core.caller import Caller
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.briefing.content import bars, both, figure, note, section, table
from chainkeeper.monitoring.briefing.models import NATIONAL
from chainkeeper.monitoring.briefing.sections import Period, region_names

READER = Principal(user_id=0, username="briefing", display_name="briefing", roles=frozenset({Role.analyst}))
"""The national read-only view the sections are drawn from."""
MAX_LINES = 30
LEVELS = {"red": both("红", "red"), "yellow": both("黄", "yellow")}


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def key_groups_section(session: Session, service: ModuleType, period: Period, region_code: str) -> dict:
    """The key groups on the month's last report day: output index (baseline 100), resumption, capacity attainment
    and staff return; the output index over the days before it; each group's index."""
    caller = Caller(READER, Actor(None, "briefing"))
    day = service.latest_day(session=session, principal=READER, up_to=period.last)
    if day < period.first:
        return section("key_groups", _("Key groups' output"),
                       notes=[_("No daily report of the key groups in this month.")])
    view = service.picture(session=session, caller=caller, day=day,
                           region_code=None if region_code == NATIONAL else region_code)
    figures = view.figures
    days = [d.isoformat()[5:] for d in view.days]
    groups = [[view.group_names.get(int(part.key), part.key), _round(part.figures.output_index),
               _percent(part.figures.resumption_rate), _percent(part.figures.attainment_rate)]
              for part in view.by_group]
    return section(
        "key_groups", _("Key groups' output"),
        figures=[figure(_("Output index (pre-shock baseline = 100)"), _round(figures.output_index)),
                 figure(_("Resumption rate"), _percent(figures.resumption_rate), "%"),
                 figure(_("Capacity attainment rate"), _percent(figures.attainment_rate), "%"),
                 figure(_("Staff return rate"), _percent(figures.staff_return_rate), "%"),
                 figure(_("Reporting enterprises"), figures.reported)],
        charts=[bars("output_index", _("Output index of the key groups, day by day"), days,
                     [(_("Output index"), [_round(v) for v in view.total_series])], integer=False)],
        tables=[table("key_groups", _("Key groups on the last report day"),
                      [_("Group"), _("Output index"), _("Resumption rate (%)"), _("Capacity attainment rate (%)")],
                      groups)],
        notes=[note(_("The month's last day with daily reports: {day}."), day=day.isoformat())])


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def forecast_section(session: Session, service: ModuleType, period: Period, region_code: str) -> dict:
    """The month's latest stoppage forecast: red (stops within 3 days) and yellow (within 7) key enterprises of the
    region, the first lines, and the count per province."""
    run = None
    for candidate in service.recent_runs(session=session, limit=200):
        if period.first <= candidate.made_on <= period.last:
            run = candidate
            break
    if run is None:
        return section("forecast", _("Stoppage forecasts"), notes=[_("No stoppage forecast was made this month.")])
    lines = service.list_lines(session=session, principal=READER, run_id=run.id,
                               region_code=None if region_code == NATIONAL else region_code)
    counts = service.level_counts(lines)
    names = region_names(session, 1)
    rows = [[view.enterprise.name, names.get(view.line.province_code, view.line.province_code),
             (run.made_on + timedelta(days=view.line.day_below_90)).isoformat(), view.line.day_below_90,
             view.line.day_below_50, LEVELS.get(view.line.level, "—")] for view in lines[:MAX_LINES]]
    per_province: dict[str, int] = {}
    for view in lines:
        name = names.get(view.line.province_code, view.line.province_code)
        per_province[name] = per_province.get(name, 0) + 1
    ordered = sorted(per_province.items(), key=lambda item: -item[1])[:15]
    return section(
        "forecast", _("Stoppage forecasts"),
        figures=[figure(_("Key enterprises below 90% of normal output within the horizon"), len(lines)),
                 figure(_("Red: stop within 3 days"), counts["red"]),
                 figure(_("Yellow: stop within 7 days"), counts["yellow"])],
        charts=[bars("forecast_by_province", _("Key enterprises forecast below 90% by province"),
                     [name for name, _n in ordered], [(_("Enterprises"), [n for _name, n in ordered])])],
        tables=[table("forecast_lines", _("Key enterprises forecast to fall first"),
                      [_("Enterprise"), _("Province"), _("Below 90% on"), _("Days to below 90%"),
                       _("Days to below 50%"), _("Level")], rows)],
        notes=[note(_("Forecast made on {day} from the daily reports."), day=run.made_on.isoformat())])


WARNING_LEVELS = {"red": _("Red"), "yellow": _("Yellow"), "blue": _("Blue")}
ALL_WARNINGS = 100_000
"""More than a month's warnings of any region: the counts take them all, the table the first :data:`MAX_LINES`."""


def _in_both(message: str) -> dict:
    """A message of the catalog as data in both languages (a table's cells other than the first are data)."""
    return both(translate(message, "zh_CN"), translate(message, "en"))


def _subject(warning) -> dict | str:
    """What the warning is about, as the warning's own label (a national one prefixed with "National")."""
    label = warning.explanation.get("subject") or warning.subject_key
    if warning.region_code:
        return label
    return both(f"{translate('National', 'zh_CN')} · {label}", f"{translate('National', 'en')} · {label}")


def warnings_section(session: Session, service: ModuleType, period: Period, region_code: str) -> dict:
    """The warnings raised for the month (their period lies in it) in the region and the regions inside it (the
    national briefing: all, the national ones included): the count by level, how many are acknowledged, and the
    list, most severe first."""
    where = service.WarningFilter(period=period.month, region=None if region_code == NATIONAL else region_code)
    rows = service.list_warnings(session=session, principal=READER, where=where, limit=ALL_WARNINGS)
    if not rows:
        return section("warnings", _("Early warnings"), notes=[_("No warning was raised for this month.")])
    counts = {level: sum(1 for w in rows if w.level.value == level) for level in WARNING_LEVELS}
    acknowledged = sum(1 for w in rows if w.acknowledged_at is not None)
    lines = [[_subject(w), _in_both(WARNING_LEVELS[w.level.value]), round(w.value, 2),
              _in_both("Acknowledged" if w.acknowledged_at is not None else "Not yet")] for w in rows[:MAX_LINES]]
    return section(
        "warnings", _("Early warnings"),
        figures=[figure(_("Warnings raised"), len(rows)), figure(_("Red"), counts["red"]),
                 figure(_("Yellow"), counts["yellow"]), figure(_("Blue"), counts["blue"]),
                 figure(_("Acknowledged"), acknowledged)],
        charts=[bars("warnings_by_level", _("Warnings by level"), list(WARNING_LEVELS.values()),
                     [(_("Early warnings"), list(counts.values()))], categories_kind="message")],
        tables=[table("warnings", _("The month's warnings, most severe first"),
                      [_("Subject"), _("Level"), _("Value"), _("Acknowledged")], lines)],
        notes=[note(_("{shown} of {count} warnings listed."), shown=len(lines), count=len(rows))])
