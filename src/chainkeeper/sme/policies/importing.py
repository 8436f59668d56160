"""Policies from an XLSX (or CSV) file: all or nothing, every problem named by its cell (``F7``).

The file is read by the registry importer's reader within the same limits (rows, bytes, unpacked size, cell
length, zip bombs refused up front). The header row names the columns in Chinese or English (see :data:`HEADERS`);
a row whose code exists already changes that policy. Nothing is written unless every row is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.registry.importing.issues import BadRecord, UnreadableFile
from chainkeeper.registry.importing.limits import ImportLimits, web_limits
from chainkeeper.registry.importing.readers import read_table
from chainkeeper.sme.policies.fields import FIELDS, from_text
from chainkeeper.sme.policies.models import Policy
from chainkeeper.sme.policies.service import editable_region, save_policy

HEADERS = {  # header text (lower case) → field
    **{name: name for name in FIELDS},
    "编号": "code", "政策编号": "code", "标题": "title", "政策名称": "title", "发文机关": "issuer",
    "发布机关": "issuer", "文号": "document_number", "发文字号": "document_number", "原文链接": "source_url",
    "适用地区": "region_scope", "地区代码": "region_scope", "行业": "industries", "适用行业": "industries",
    "企业规模": "size_classes", "规模": "size_classes", "企业标签": "labels_any", "标签": "labels_any",
    "最低成立年限": "min_age_years", "最高成立年限": "max_age_years", "其他条件": "rules", "条件": "rules",
    "生效日期": "valid_from", "起始日期": "valid_from", "截止日期": "valid_to", "失效日期": "valid_to",
    "支持内容": "benefit", "扶持内容": "benefit", "申报方式": "how_to_apply", "申报指南": "how_to_apply",
    "示例": "illustrative",
}
REQUIRED = ("code", "title", "issuer")
MAX_PROBLEMS = 200


@dataclass
class ImportResult:
    """What an import wrote."""

    created: int
    updated: int


def _problem(row: int | None, column: int | None, field: str, message: str, params: dict, language: str) -> dict:
    from openpyxl.utils import get_column_letter  # openpyxl on first use, not at start-up
    cell = f"{get_column_letter(column + 1)}{row}" if column is not None and row is not None else ""
    where = cell or (translate(_("row {row}"), language, row=row) if row else "")
    text = translate(message, language, **params)
    return {"row": row, "column": column, "cell": cell, "field": field,
            "message": f"{where}: {text}" if where else text}


def import_policies(*, session: Session, caller: Caller, filename: str, data: bytes | IO[bytes],
                    language: str = "zh_CN", limits: ImportLimits | None = None) -> ImportResult:
    """Check every row of the file, then store them all (in the caller's transaction) or none.

    Raises :class:`ValidationFailed` whose ``details`` name each problem's cell, in ``language``.
    """
    try:
        table = read_table(filename, data, limits=limits or web_limits())
    except UnreadableFile as error:
        raise ValidationFailed(translate(error.message, language, **error.params),
                               [{"field": "file", "message": translate(error.message, language, **error.params)}])
    columns, problems = _columns(table.header, language)
    own = editable_region(caller.principal)
    seen: set[str] = set()
    rows: list = []
    for number, cells in table.rows:
        if isinstance(cells, BadRecord):
            problems.append(_problem(number, cells.column, "", cells.message, cells.params, language))
            if cells.stop:
                break
            continue
        values = {field: (cells[i] if i < len(cells) else "") for field, i in columns.items()}
        found, wrong = from_text(values)
        problems += [_problem(number, columns.get(f), f, m, p, language) for f, m, p in wrong]
        if found is not None:
            problems += _row_rights(number, columns, found, own, seen, language)
        rows.append((number, found))
        if len(problems) >= MAX_PROBLEMS:
            break
    if not problems and not rows:
        problems.append(_problem(None, None, "file", _("the file has no data rows"), {}, language))
    if problems:
        head = translate(_("{count} problems in the file; nothing was stored"), language, count=len(problems))
        raise ValidationFailed(head, problems)
    return _store(session, caller, [found for _n, found in rows])


def _row_rights(number: int, columns: dict[str, int], found, own: str | None, seen: set[str],
                language: str) -> list[dict]:
    """A row's code given twice, or a region the caller may not edit, as problems at their cells."""
    problems = []
    if found.code in seen:
        problems.append(_problem(number, columns["code"], "code", _("the code {code} is given twice in the file"),
                                 {"code": found.code}, language))
    seen.add(found.code)
    if own is None or not found.region_scope.startswith(own) or (own and not found.region_scope):
        problems.append(_problem(number, columns.get("region_scope"), "region_scope",
                                 _("you may not publish policies for region {region}"),
                                 {"region": found.region_scope or "—"}, language))
    return problems


def _columns(header: list[str], language: str) -> tuple[dict[str, int], list[dict]]:
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        field = HEADERS.get((text or "").strip().lower()) or HEADERS.get((text or "").strip())
        if field and field not in columns:
            columns[field] = index
    problems = [_problem(1, None, name, _("the header lacks the column {column}"), {"column": name}, language)
                for name in REQUIRED if name not in columns]
    return columns, problems


def _store(session: Session, caller: Caller, items: list) -> ImportResult:
    existing = dict(session.execute(select(Policy.code, Policy.id).where(
        Policy.code.in_([item.code for item in items]))).all())
    created = updated = 0
    for item in items:
        save_policy(session=session, caller=caller, data=item, policy_id=existing.get(item.code))
        created, updated = (created + 1, updated) if item.code not in existing else (created, updated + 1)
    return ImportResult(created, updated)
