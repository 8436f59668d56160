"""Reports as a workbook: the template of a type (one row per enterprise on the first sheet, one sheet per table
field) and the bulk upload of many enterprises' reports for one day — all rows or none, every bad cell named by
sheet, row, column and field. The registry importer's limits and archive checks guard the upload."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.exporting import safe_row
from chainkeeper.i18n import _, translate
from chainkeeper.registry.importing.issues import UnreadableFile
from chainkeeper.registry.importing.limits import ImportLimits, web_limits
from chainkeeper.registry.importing.xlsx import NOT_A_WORKBOOK, check_archive
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import service
from chainkeeper.reporting.fields import FieldSpec
from chainkeeper.reporting.models import ReportType

MAX_ROWS = 20_000
USCC = ("uscc", _("unified social credit code"))
NAME = ("name", _("enterprise name"))
REASON = ("reason", _("correction reason"))


@dataclass(frozen=True)
class CellProblem:
    """A bad cell: where (sheet, row, column letter, field path) and what (a message key and its values)."""

    sheet: str
    row: int | None
    column: str | None
    field: str | None
    message: str
    params: dict = field(default_factory=dict)

    def describe(self, language: str | None) -> str:
        """``sheet …, row …, column …, field …: message`` in ``language``."""
        parts = [translate("sheet {sheet}", language, sheet=self.sheet)]
        if self.row is not None:
            parts.append(translate("row {row}", language, row=self.row))
        if self.column:
            parts.append(translate("column {column}", language, column=self.column))
        if self.field:
            parts.append(translate("field {field}", language, field=self.field))
        return ", ".join(parts) + ": " + translate(self.message, language, **self.params)

    def detail(self, language: str | None) -> dict:
        """The problem as an entry of the API's error ``details``."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "field": self.field,
                "message": translate(self.message, language, **self.params)}


class UploadInvalid(ValidationFailed):
    """The workbook was refused; ``problems`` names every bad cell and nothing was stored."""

    def __init__(self, problems: list[CellProblem], language: str | None):
        self.problems = problems
        self.template, self.params = _("{count} problems in the workbook; nothing was stored"), {
            "count": len(problems)}
        super().__init__(translate(self.template, "en", **self.params),
                         [problem.detail(language) for problem in problems])


@dataclass
class UploadResult:
    """What an upload stored."""

    report_ids: list[int]
    created: int
    corrected: int


# --- the template -------------------------------------------------------------------------------------------------

def caption(spec: FieldSpec, language: str | None) -> str:
    """A column's header: the label with its unit."""
    label = spec.label(language)
    return f"{label} ({spec.unit})" if spec.unit else label


def _fixed(pair: tuple[str, str], language: str | None) -> str:
    return translate(pair[1], language)


def template(*, session: Session, caller: Caller, type_code: str, day: date, language: str | None) -> bytes:
    """The type's workbook: a row per assigned enterprise the caller may report for, one sheet per table field
    and a sheet explaining each field."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    report_type = service.get_type(session=session, code=type_code)
    fields = service.type_fields(report_type)
    scalars = [spec for spec in fields if spec.kind != "table"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = translate("reports", language)
    sheet.append([_fixed(USCC, language), _fixed(NAME, language), *(caption(s, language) for s in scalars),
                  _fixed(REASON, language)])
    for assignment in service.assignments(session=session, caller=caller, type_code=type_code, day=day):
        enterprise = session.get(Enterprise, assignment.enterprise_id)
        sheet.append(safe_row([enterprise.uscc, enterprise.name]))
    for spec in fields:
        if spec.kind == "table":
            table = workbook.create_sheet(spec.key)
            table.append([_fixed(USCC, language), *(caption(c, language) for c in spec.columns)])
    _explain(workbook.create_sheet(translate("instructions", language)), fields, language)
    for each in workbook.worksheets:
        for cell in each[1]:
            cell.font = Font(bold=True)
        for index in range(1, each.max_column + 1):
            each.column_dimensions[get_column_letter(index)].width = 20
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _explain(sheet, fields: tuple[FieldSpec, ...], language: str | None) -> None:
    sheet.append([translate(word, language) for word in (_("field"), _("kind"), _("unit"), _("required"),
                                                        _("minimum"), _("maximum"), _("choices"))])
    for spec in fields:
        for item, prefix in [(spec, "")] + [(column, f"{spec.key}.") for column in spec.columns]:
            choices = " / ".join(item.choice_label(value, language) for value, _zh, _en in item.choices)
            sheet.append(safe_row([prefix + caption(item, language), item.kind, item.unit,
                                   translate("yes", language) if item.required else "",
                                   item.min, item.max, choices]))


# --- reading an upload --------------------------------------------------------------------------------------------

def _norm(text: object) -> str:
    return "".join(str(text or "").split()).lower().replace("（", "(").replace("）", ")")


def _names(key: str, spec: FieldSpec | None = None, pair: tuple[str, str] | None = None) -> set[str]:
    names = {key}
    if spec is not None:
        names |= {spec.label_zh, spec.label_en, caption(spec, "zh_CN"), caption(spec, "en")}
    if pair is not None:
        names |= {translate(pair[1], "zh_CN"), translate(pair[1], "en")}
    return {_norm(name) for name in names}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


@dataclass
class _Sheet:
    title: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the sheet, cells)


def _read_workbook(data: IO[bytes], limits: ImportLimits) -> list[_Sheet]:
    check_archive(data, limits)
    data.seek(0)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(data, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=error) from None
    sheets, total = [], 0
    try:
        for sheet in workbook.worksheets:
            total += sheet.max_row or 0
            if total > limits.rows + len(workbook.worksheets):
                raise UnreadableFile("too_many_rows", _("the sheet has {rows} rows, more than the {limit} allowed; "
                                                        "split the file"), rows=f"{total:,}", limit=f"{limits.rows:,}")
            rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if rows:
                body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(row)]
                sheets.append(_Sheet(sheet.title, rows[0], body))
    except UnreadableFile:
        raise
    except Exception as error:  # a part damaged after the header
        raise UnreadableFile("xlsx", NOT_A_WORKBOOK, error=error) from None
    finally:
        workbook.close()
    return sheets


def _columns(header: list[str], wanted: dict[str, set[str]]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        for key, names in wanted.items():
            if _norm(name) in names and key not in found:
                found[key] = index
    return found


class _Collector:
    """The reports being built from the sheets, and where each value came from (for naming bad cells)."""

    def __init__(self):
        self.values: dict[int, dict] = {}
        self.reasons: dict[int, str] = {}
        self.where: dict[int, dict[str, tuple[str, int, str]]] = {}  # enterprise → path → (sheet, row, column)
        self.problems: list[CellProblem] = []

    def place(self, enterprise_id: int, path: str, sheet: str, row: int, column_index: int | None) -> None:
        from openpyxl.utils import get_column_letter  # openpyxl on first use, not at start-up
        column = get_column_letter(column_index + 1) if column_index is not None else None
        self.where.setdefault(enterprise_id, {})[path] = (sheet, row, column)

    def problem(self, enterprise_id: int | None, path: str, message: str, params: dict) -> None:
        places = self.where.get(enterprise_id, {}) if enterprise_id is not None else {}
        sheet, row, column = places.get(path) or places.get(path.split("[")[0]) or places.get("uscc") or ("", None, None)
        self.problems.append(CellProblem(sheet, row, column, path, message, params))


def _main_sheet(session: Session, sheet: _Sheet, scalars: list[FieldSpec], found: _Collector) -> dict[str, int]:
    from openpyxl.utils import get_column_letter  # openpyxl on first use, not at start-up
    wanted = {"uscc": _names("uscc", pair=USCC), "reason": _names("reason", pair=REASON)}
    wanted |= {spec.key: _names(spec.key, spec) for spec in scalars}
    columns = _columns(sheet.header, wanted)
    if "uscc" not in columns:
        found.problems.append(CellProblem(sheet.title, 1, None, "uscc", _("the column {column} is missing"),
                                          {"column": translate(USCC[1], "zh_CN")}))
        return {}
    usccs = {}
    rows = [(number, {key: (row[index] if index < len(row) else "") for key, index in columns.items()})
            for number, row in sheet.rows]
    known = _enterprise_ids(session, [cells["uscc"].upper() for _number, cells in rows])
    for number, cells in rows:
        uscc = cells["uscc"].upper()
        enterprise_id = known.get(uscc)
        if enterprise_id is None or uscc in usccs:
            message = (_("no enterprise has this code") if enterprise_id is None
                       else _("this enterprise is listed twice"))
            found.problems.append(CellProblem(sheet.title, number, get_column_letter(columns["uscc"] + 1), "uscc",
                                              message, {}))
            continue
        usccs[uscc] = enterprise_id
        found.place(enterprise_id, "uscc", sheet.title, number, columns["uscc"])
        found.values[enterprise_id] = {spec.key: cells.get(spec.key) for spec in scalars if spec.key in columns}
        found.reasons[enterprise_id] = cells.get("reason", "")
        for spec in scalars:
            found.place(enterprise_id, spec.key, sheet.title, number, columns.get(spec.key))
        found.place(enterprise_id, "reason", sheet.title, number, columns.get("reason"))
    return usccs


def _enterprise_ids(session: Session, usccs: list[str]) -> dict[str, int]:
    """The registry's enterprise id of each code found (one query per 5,000 codes)."""
    known, unique = {}, sorted(set(usccs))
    for start in range(0, len(unique), service.CHUNK):
        known |= dict(session.execute(select(Enterprise.uscc, Enterprise.id).where(
            Enterprise.uscc.in_(unique[start:start + service.CHUNK]))).all())
    return known


def _table_sheet(sheet: _Sheet, spec: FieldSpec, usccs: dict[str, int], found: _Collector) -> None:
    from openpyxl.utils import get_column_letter  # openpyxl on first use, not at start-up
    wanted = {"uscc": _names("uscc", pair=USCC)} | {column.key: _names(column.key, column) for column in spec.columns}
    columns = _columns(sheet.header, wanted)
    if "uscc" not in columns:
        found.problems.append(CellProblem(sheet.title, 1, None, "uscc", _("the column {column} is missing"),
                                          {"column": translate(USCC[1], "zh_CN")}))
        return
    for number, row in sheet.rows:
        cells = {key: (row[index] if index < len(row) else "") for key, index in columns.items()}
        enterprise_id = usccs.get(cells["uscc"].upper())
        if enterprise_id is None:
            found.problems.append(CellProblem(sheet.title, number, get_column_letter(columns["uscc"] + 1), "uscc",
                                              _("this enterprise has no row on the first sheet"), {}))
            continue
        rows = found.values[enterprise_id].setdefault(spec.key, [])
        path = f"{spec.key}[{len(rows)}]"
        rows.append({column.key: cells.get(column.key) for column in spec.columns if column.key in columns})
        found.place(enterprise_id, path, sheet.title, number, columns["uscc"])
        for column in spec.columns:
            found.place(enterprise_id, f"{path}.{column.key}", sheet.title, number, columns.get(column.key))


def _table_for(sheet: _Sheet, tables: list[FieldSpec]) -> FieldSpec | None:
    name = _norm(sheet.title)
    return next((spec for spec in tables if name in {_norm(spec.key), _norm(spec.label_zh), _norm(spec.label_en)}),
                None)


def upload(*, session: Session, caller: Caller, type_code: str, report_date: date, data: bytes | IO[bytes],
           now: datetime | None = None, language: str | None = None) -> UploadResult:
    """Store every enterprise's report for ``report_date`` from the workbook, or nothing: raises
    :class:`UploadInvalid` naming every bad cell. Rows already reported that day are corrections (a reason is
    needed in the reason column). The rows go through :func:`service.submit_many`: the rules of ``submit``."""
    language = language or caller.principal.language
    report_type = service.get_type(session=session, code=type_code)
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        sheets = _read_workbook(stream, web_limits(rows=MAX_ROWS))
    except UnreadableFile as error:
        raise UploadInvalid([CellProblem("-", None, None, None, error.message, error.params)], language) from None
    found = _collect(session, report_type, sheets)
    result = UploadResult([], 0, 0)
    _submit_all(session, caller, report_type, report_date, found, now, result)  # every row checked, even after a
    if found.problems:  # problem: the caller's transaction rolls back on the raise, so nothing is kept
        raise UploadInvalid(found.problems, language)
    return result


def _collect(session: Session, report_type: ReportType, sheets: list[_Sheet]) -> _Collector:
    fields = service.type_fields(report_type)
    found = _Collector()
    if not sheets:
        found.problems.append(CellProblem("-", None, None, None, _("the file is empty"), {}))
        return found
    usccs = _main_sheet(session, sheets[0], [s for s in fields if s.kind != "table"], found)
    tables = [spec for spec in fields if spec.kind == "table"]
    for sheet in sheets[1:]:
        spec = _table_for(sheet, tables)
        if spec is not None:
            _table_sheet(sheet, spec, usccs, found)
    return found


def _submit_all(session: Session, caller: Caller, report_type: ReportType, day: date, found: _Collector,
                now: datetime | None, result: UploadResult) -> None:
    """Every collected report through :func:`service.submit_many` (one bulk write); its problems become cells'.
    With problems found while reading, the reports are still checked so that every bad cell is named."""
    try:
        with session.begin_nested():
            batch = service.submit_many(session=session, caller=caller, type_code=report_type.code,
                                        report_date=day, reports=found.values, channel="xlsx", now=now,
                                        reasons=found.reasons)
            if found.problems:  # undo the write: the caller's transaction also rolls back on the raise
                raise _Undo()
    except _Undo:
        return
    except service.BatchInvalid as error:
        for enterprise_id, problems in error.errors.items():
            for problem in problems:
                path = "uscc" if problem.path == "enterprise_id" else problem.path
                found.problem(enterprise_id, path, problem.message, problem.params)
        return
    except ChainkeeperError as error:  # the whole day refused (type not in use, date in the future)
        found.problems.append(CellProblem("-", None, None, None, getattr(error, "template", str(error)),
                                          getattr(error, "params", {})))
        return
    result.report_ids, result.created, result.corrected = batch.report_ids, batch.created, batch.corrected


class _Undo(Exception):
    """Rolls the savepoint of a batch back when the workbook had problems of its own."""
