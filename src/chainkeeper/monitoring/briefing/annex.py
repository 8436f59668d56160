"""The briefing's XLSX annex: one sheet per section (its figures, then each table), every cell through the export
neutraliser (:func:`chainkeeper.exporting.safe_row`), so a name that looks like a formula stays text."""

from __future__ import annotations

import io
import re


from chainkeeper.exporting import safe_row
from chainkeeper.i18n import translate
from chainkeeper.monitoring.briefing.content import localise

SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = SHEET_FORBIDDEN.sub(" ", title).strip()[:28] or "sheet"
    name, number = base, 2
    while name in used:
        name, number = f"{base[:26]} {number}", number + 1
    used.add(name)
    return name


def annex_xlsx(content: dict, language: str) -> bytes:
    """The annex of the briefing ``content`` in ``language``."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    found = localise(content, language)
    book = Workbook(write_only=True)
    used: set[str] = set()
    cover = book.create_sheet(sheet_name(translate("Briefing", language), used))
    cover.append(safe_row([found["title"]]))
    cover.append(safe_row([found["first_day"], found["last_day"]]))
    for part in found["sections"]:
        sheet = book.create_sheet(sheet_name(part["title"], used))
        sheet.append(safe_row([part["title"]]))
        for item in part["figures"]:
            sheet.append(safe_row([item["label"], item["value"], item.get("unit") or ""]))
        for table in part["tables"]:
            sheet.append([])
            sheet.append(safe_row([table["title"]]))
            sheet.append(safe_row(table["columns"]))
            for row in table["rows"]:
                sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
