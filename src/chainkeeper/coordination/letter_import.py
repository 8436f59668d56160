"""A letter's list of problems from a spreadsheet (CSV or XLSX, Chinese or English headers): every row becomes a
case filed by the sending province on the requester's behalf, accepted and put on the letter. All rows or none."""

from __future__ import annotations

from typing import IO

from sqlalchemy.orm import Session

from chainkeeper.coordination.labels import CATEGORY_ALIASES, CATEGORY_LABELS, URGENCY_LABELS, parse_choice
from chainkeeper.coordination.letters import add_cases
from chainkeeper.coordination.models import Letter, LetterState, Urgency
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.coordination.transitions import Step, apply
from chainkeeper.coordination.workflow import Action
from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import translate
from chainkeeper.registry.importing.columns import Column, map_header
from chainkeeper.registry.importing.issues import BadRecord
from chainkeeper.registry.importing.limits import web_limits
from chainkeeper.registry.importing.readers import UnreadableFile, read_table
from chainkeeper.registry.importing.rows import column_name
from chainkeeper.registry.models import Enterprise
from chainkeeper.core.caller import Caller

LETTER_COLUMNS = (
    Column("requester_uscc", ("诉求企业统一社会信用代码", "诉求企业信用代码", "requester_uscc", "requester"), required=True),
    Column("blocking_uscc", ("堵点企业统一社会信用代码", "供应商统一社会信用代码", "blocking_uscc", "supplier_uscc")),
    Column("blocking_name", ("堵点企业名称", "供应商名称", "堵点", "blocking_name", "supplier_name")),
    Column("blocking_region", ("堵点所在区县代码", "供应商区县代码", "blocking_region", "blocking_county")),
    Column("category", ("问题类别", "类别", "category"), required=True),
    Column("title", ("问题概述", "标题", "title"), required=True),
    Column("blocked", ("具体堵点", "问题描述", "blocked", "description")),
    Column("help_wanted", ("诉求", "需协调事项", "help_wanted", "request")),
    Column("products", ("涉及产品", "products")),
    Column("urgency", ("紧急程度", "urgency")),
)
MAX_ROWS = 5000


def _issue(source: str, row: int | None, column: str | None, message: str) -> dict:
    return {"file": source, "row": row, "column": column, "message": message}


def _new_case(session: Session, cells: dict[str, str]) -> NewCase:
    requester = session.query(Enterprise).filter_by(uscc=cells["requester_uscc"].strip().upper()).one_or_none()
    if requester is None:
        raise ValidationFailed("unknown requester", [{"field": "requester_uscc", "message": "no such enterprise"}])
    category = parse_choice(cells["category"], CATEGORY_LABELS, CATEGORY_ALIASES)
    if category is None:
        raise ValidationFailed("unknown category", [{"field": "category", "message": cells["category"]}])
    urgency = parse_choice(cells.get("urgency") or "normal", URGENCY_LABELS) or Urgency.normal
    return NewCase(category=category, title=cells["title"], blocked=cells.get("blocked", ""),
                   help_wanted=cells.get("help_wanted", ""), requester_id=requester.id,
                   blocking_uscc=cells.get("blocking_uscc") or None, blocking_name=cells.get("blocking_name", ""),
                   blocking_region_code=cells.get("blocking_region") or None, products=cells.get("products", ""),
                   urgency=urgency)


def _one_row(session: Session, caller: Caller, letter: Letter, cells: dict[str, str]) -> int:
    case = file_case(session=session, caller=caller, data=_new_case(session, cells), notify=False)
    apply(session=session, case=case, step=Step(Action.accept), principal=caller.principal, actor=caller.actor)
    add_cases(session=session, caller=caller, letter=letter, case_ids=[case.id])
    return case.id


def _unreadable(error: UnreadableFile, language: str) -> str:
    return translate(error.message, language, **error.params)


def import_letter_rows(*, session: Session, caller: Caller, letter: Letter, filename: str,
                       data: bytes | IO[bytes]) -> list[int]:
    """File every row's case on ``letter``; raises :class:`ValidationFailed` listing every bad row (nothing kept).

    ``data`` (bytes or a seekable binary file) is read within the upload limits and at most :data:`MAX_ROWS` rows.
    """
    if letter.state is not LetterState.draft:
        raise ValidationFailed("rows can be added only to a draft letter")
    language = caller.principal.language
    try:
        table = read_table(filename, data, limits=web_limits(rows=MAX_ROWS))
    except UnreadableFile as error:
        message = _unreadable(error, language)
        raise ValidationFailed(message, [_issue(filename, None, None, message)]) from error
    header = map_header(LETTER_COLUMNS, table.header)
    if header.missing:
        raise ValidationFailed("required columns are missing",
                               [_issue(filename, 1, c.aliases[0], "required column is missing") for c in header.missing])
    issues, created = [], []
    try:
        _file_rows(session, caller, letter, table, header, issues, created)
    except UnreadableFile as error:  # damaged after the header
        issues.append(_issue(filename, None, None, _unreadable(error, language)))
    if issues:
        raise ValidationFailed(f"{len(issues)} problem(s) in {filename}; nothing was imported", issues)
    return created


def _file_rows(session: Session, caller: Caller, letter: Letter, table, header, issues: list, created: list) -> None:
    filename = table.source
    for number, row in table.rows:
        if isinstance(row, BadRecord):
            issues.append(_issue(filename, number, column_name(table.header, row.column),
                                 translate(row.message, caller.principal.language, **row.params)))
            continue
        cells = {key: (row[i].strip() if i < len(row) else "") for key, i in header.positions.items()}
        try:
            with session.begin_nested():
                created.append(_one_row(session, caller, letter, cells))
        except ChainkeeperError as error:
            for detail in getattr(error, "details", None) or [{"field": None, "message": str(error)}]:
                column = header.names.get(str(detail.get("field", "")).replace("blocking_region_code", "blocking_region"))
                issues.append(_issue(filename, number, column or detail.get("field"), f"{error}: {detail['message']}"))
