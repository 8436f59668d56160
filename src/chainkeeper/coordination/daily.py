"""The daily picture: new, open, resolved and overdue cases by province, category and key chain — on a page with
charts, as an XLSX ledger (台账) and as a printable report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case as when, func, select
from sqlalchemy.orm import Session, aliased

from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.labels import CATEGORY_LABELS, LEVEL_LABELS, STATE_LABELS
from chainkeeper.coordination.models import OPEN_STATES, Case
from chainkeeper.coordination.queries import CaseFilter, filtered
from chainkeeper.coordination.scope import case_scope
from chainkeeper.exporting import safe_row
from chainkeeper.i18n import _, sentence_start, translate
from chainkeeper.reference import cache
from chainkeeper.reference.pickers import all_names, region_path
from chainkeeper.registry.models import Enterprise

ZONE = ZoneInfo("Asia/Shanghai")
MAX_LEDGER_ROWS = 200_000


@dataclass
class Tally:
    """Counts for one group (a province, a category or a chain)."""

    key: str
    label: str
    new: int = 0
    open: int = 0
    resolved: int = 0
    overdue: int = 0


@dataclass
class DailyPicture:
    """The day's figures in the principal's scope."""

    day: date
    totals: Tally
    by_province: list[Tally] = field(default_factory=list)
    by_category: list[Tally] = field(default_factory=list)
    by_chain: list[Tally] = field(default_factory=list)


def today() -> date:
    """Today in Asia/Shanghai (the desk's day, whatever the server's zone)."""
    return datetime.now(ZONE).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day in Shanghai as a UTC interval [start, end)."""
    start = datetime.combine(day, time(0), ZONE)
    return start, start + timedelta(days=1)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(when((condition, 1), else_=0))


def _measures(day: date) -> dict[str, ColumnElement]:
    start, end = day_bounds(day)
    return {
        "new": _count(Case.submitted_at.between(start, end - timedelta(microseconds=1))),
        "open": _count(Case.state.in_(OPEN_STATES)),
        "resolved": _count(Case.resolved_at.between(start, end - timedelta(microseconds=1))),
        "overdue": _count(Case.overdue.is_(True) & Case.state.in_(OPEN_STATES)),
    }


def _tallies(session: Session, principal: Principal, day: date, key: ColumnElement) -> list[tuple]:
    return list(session.execute(_tallies_query(principal, day, key)))


def _tallies_query(principal: Principal, day: date, key: ColumnElement) -> Select:
    return select(key, *_measures(day).values()).where(case_scope(principal)).group_by(key).order_by(key)


def _tally(row, label: str) -> Tally:
    key, *counts = row
    key = getattr(key, "value", key)  # an enum's plain value ("logistics"), never "CaseCategory.logistics"
    return Tally(str(key or ""), label, *(int(value or 0) for value in counts))


def daily_picture(*, session: Session, principal: Principal, day: date, language: str = "zh_CN") -> DailyPicture:
    """New, open, resolved and overdue cases on ``day`` (Shanghai time) in the principal's scope."""
    by_province = province_tallies(session=session, principal=principal, day=day)
    totals = _tally(("", *session.execute(select(*_measures(day).values()).where(case_scope(principal))).one()),
                    translate(_("all"), language))
    by_category = [_tally(row, sentence_start(translate(CATEGORY_LABELS[row[0]], language)))
                   for row in _tallies(session, principal, day, Case.category)]
    chains = {code: name_en if language == "en" else name_zh for code, name_zh, name_en in cache.chains(session)}
    by_chain = [_tally(row, chains.get(row[0], row[0]) if row[0] else translate(_("no key chain"), language))
                for row in _tallies(session, principal, day, Case.chain_code)]
    return DailyPicture(day, totals, by_province, by_category, by_chain)


def province_tallies(*, session: Session, principal: Principal, day: date) -> list[Tally]:
    """:func:`daily_picture`'s cases per province of the blocking party (named from the reference cache), alone:
    one statement, built once per principal and day."""
    names = cache.province_names(session)
    return [_tally(row, names.get(row[0], row[0])) for row in session.execute(_province_query(principal, day))]


@lru_cache(maxsize=64)
def _province_query(principal: Principal, day: date) -> Select:
    """:func:`province_tallies`' statement (issue 15: built on every first view of the ministry's home, with a
    statement for the provinces' names)."""
    return _tallies_query(principal, day, func.substr(Case.blocking_region_code, 1, 2))


LEDGER_HEADINGS = (_("Ledger no."), _("Submitted"), _("Requester"), _("Requester region"), _("Category"), _("Title"),
                   _("Blocking party"), _("Blocking region"), _("Handling level"), _("Handling region"), _("State"),
                   _("Accept by"), _("Resolve by"), _("Overdue"), _("Resolved"), _("Closed"), _("Measures"))


def _local(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")


def export_cells(values: tuple) -> list:
    """THE one place every exported desk cell passes through (ledger XLSX, queue CSV/XLSX): text a spreadsheet
    would run as a formula is neutralised (:func:`chainkeeper.exporting.safe_row`)."""
    return safe_row(values)


def ledger_rows(*, session: Session, principal: Principal, language: str, since: date | None = None,
                where: CaseFilter | None = None):
    """The ledger's rows (oldest first) in the principal's scope, narrowed by the queue's filters ``where``;
    regions by name (a municipality's prefecture as the city itself)."""
    requester = aliased(Enterprise)
    query = (select(Case, requester.name).join(requester, requester.id == Case.requester_id)
             .where(case_scope(principal), *(filtered(where) if where else ())).order_by(Case.id)
             .limit(MAX_LEDGER_ROWS))
    if since is not None:
        query = query.where(Case.submitted_at >= day_bounds(since)[0])
    def label(text: str) -> str:  # a cell's label, starting with a capital as the queue's cells do
        return sentence_start(translate(text, language))

    yes, no = label(_("yes")), label(_("no"))
    names = all_names(session)
    for case, requester_name in session.execute(query):
        yield export_cells((
            case.ledger_no, _local(case.submitted_at), requester_name, region_path(case.requester_region_code, names),
            label(CATEGORY_LABELS[case.category]), case.title, case.blocking_name,
            region_path(case.blocking_region_code, names), label(LEVEL_LABELS[case.level]),
            region_path(case.handling_region_code, names) or label(_("the ministry")),
            label(STATE_LABELS[case.state]), _local(case.accept_due_at), _local(case.resolve_due_at),
            yes if case.overdue else no, _local(case.resolved_at), _local(case.closed_at), case.measures))


def ledger_csv(*, session: Session, principal: Principal, language: str, where: CaseFilter | None = None) -> bytes:
    """The ledger as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([translate(heading, language) for heading in LEDGER_HEADINGS])
    writer.writerows(ledger_rows(session=session, principal=principal, language=language, where=where))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def ledger_xlsx(*, session: Session, principal: Principal, language: str, since: date | None = None,
                where: CaseFilter | None = None) -> bytes:
    """The ledger as an XLSX workbook (write-only: memory stays flat for large ledgers)."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    book = Workbook(write_only=True)
    sheet = book.create_sheet(translate(_("Case ledger"), language)[:31])
    sheet.append([translate(heading, language) for heading in LEDGER_HEADINGS])
    for row in ledger_rows(session=session, principal=principal, language=language, since=since, where=where):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

