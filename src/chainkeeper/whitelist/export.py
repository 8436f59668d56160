"""Everything recognised in a region on a date, for traffic police and checkpoints (CSV or XLSX)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from chainkeeper.exporting import safe_row
from chainkeeper.i18n import _, translate
from chainkeeper.reference.service import get_region
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.entries import active_on, pool_on
from chainkeeper.whitelist.models import Batch, Entry, EntryPeriod, PoolMember, WhiteList
from chainkeeper.whitelist.recognition import _agreements, _contains

HEADINGS = (_("USCC"), _("Enterprise"), _("County"), _("List"), _("Batch"), _("Category"), _("Through pool of"),
            _("Agreement"))


@dataclass(frozen=True)
class RecognizedRow:
    """One recognised enterprise and its basis."""

    uscc: str
    name: str
    county_code: str
    list_name: str
    batch: int
    category: str
    via_pool_of: str
    agreement: str

    def values(self) -> tuple:
        """The row's cells."""
        return (self.uscc, self.name, self.county_code, self.list_name, self.batch, self.category,
                self.via_pool_of, self.agreement)


def _active_entries(session: Session, day: date):
    return (select(Entry.id, Entry.scope_code, Entry.category, WhiteList.name, Batch.number, Enterprise.uscc,
                   Enterprise.name, Enterprise.county_code)
            .join(EntryPeriod, EntryPeriod.entry_id == Entry.id).join(WhiteList, WhiteList.id == Entry.list_id)
            .join(Batch, Batch.id == Entry.batch_id).join(Enterprise, Enterprise.id == Entry.enterprise_id)
            .where(active_on(day)))


def recognized_in_region(*, session: Session, region_code: str, day: date) -> list[RecognizedRow]:
    """Every enterprise recognised in the region on the day (listed ones, then their pools), with the basis."""
    region = get_region(session=session, code=region_code)
    agreements = _agreements(session, region, day)
    local = [WhiteList.scope_code == ""] + [WhiteList.scope_code == c for c in
                                            {region.province_code, region.city_code} - {None}]
    remote = [Entry.scope_code.startswith(p) for a in agreements for p in a[2]]
    rows: dict[tuple, RecognizedRow] = {}
    hosts: dict[int, RecognizedRow] = {}
    for r in session.execute(_active_entries(session, day).where(or_(*local, *remote))):
        agreement = "" if _contains(r[1], region) else next(
            (a[1] for a in agreements if r[2] in a[3] and any(r[1].startswith(p) for p in a[2])), None)
        if agreement is None:
            continue
        row = RecognizedRow(r[5], r[6], r[7], r[3], r[4], r[2], "", agreement)
        rows.setdefault((row.uscc, row.list_name, row.batch, ""), row)
        hosts[r[0]] = row
    _add_pools(session, day, hosts, rows)
    return sorted(rows.values(), key=lambda row: (row.county_code, row.uscc, row.list_name))


def _add_pools(session: Session, day: date, hosts: dict[int, RecognizedRow], rows: dict) -> None:
    member = aliased(Enterprise)
    ids = list(hosts)
    for start in range(0, len(ids), 5000):
        query = (select(PoolMember.entry_id, member.uscc, member.name, member.county_code)
                 .join(member, member.id == PoolMember.enterprise_id)
                 .where(PoolMember.entry_id.in_(ids[start:start + 5000]), pool_on(day)))
        for entry_id, uscc, name, county in session.execute(query):
            host = hosts[entry_id]
            row = RecognizedRow(uscc, name, county, host.list_name, host.batch, host.category, host.uscc,
                                host.agreement)
            rows.setdefault((uscc, host.list_name, host.batch, host.uscc), row)


def to_csv(rows: list[RecognizedRow], language: str) -> bytes:
    """CSV with a header in ``language`` (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([translate(h, language) for h in HEADINGS])
    writer.writerows(safe_row(row.values()) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[RecognizedRow], language: str) -> bytes:
    """An XLSX workbook with one sheet."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    book = Workbook(write_only=True)
    sheet = book.create_sheet("whitelist")
    sheet.append([translate(h, language) for h in HEADINGS])
    for row in rows:
        sheet.append(safe_row(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
