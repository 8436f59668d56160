"""The import service: read a table, validate every row, then write all rows in one transaction or none."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import translate
from chainkeeper.registry.importing import columns as cols
from chainkeeper.registry.importing.enterprises import EnterpriseChecker, store_enterprises
from chainkeeper.registry.importing.issues import ImportIssue, ImportReport
from chainkeeper.registry.importing.links import LinkChecker, store_links
from chainkeeper.registry.importing.lookups import Lookups, load_enterprise_ids, load_product_ids, load_reference
from chainkeeper.registry.importing.products import ProductChecker, store_products
from chainkeeper.registry.importing.readers import RawTable, UnreadableFile, read_table
from chainkeeper.registry.importing.rows import validate_rows

KINDS = tuple(cols.TABLE_COLUMNS)
Progress = Callable[[str, int], None]


def _header_issues(table: RawTable, header: cols.HeaderMap, language: str) -> tuple[list, list]:
    errors = [
        ImportIssue(table.source, 1, column.key, "missing_column", translate(
            cols.MISSING_COLUMN, language, column=column.key, aliases=" / ".join(column.aliases)))
        for column in header.missing
    ]
    warnings = [
        ImportIssue(table.source, 1, name, "unknown_column", translate(cols.UNKNOWN_COLUMN, language, column=name))
        for name in header.unknown
    ]
    return errors, warnings


def _load_lookups(session: Session, kind: str) -> Lookups:
    lookups = Lookups()
    load_reference(session, lookups)
    if kind in ("enterprises", "links"):
        load_enterprise_ids(session, lookups)
    if kind in ("products", "links"):
        load_product_ids(session, lookups)
    return lookups


_CHECKERS = {"enterprises": EnterpriseChecker, "products": ProductChecker, "links": LinkChecker}


def _store(session: Session, kind: str, records: list[dict], lookups: Lookups) -> tuple[int, int]:
    if kind == "enterprises":
        return store_enterprises(session, records, lookups)
    if kind == "products":
        return store_products(session, records, lookups)
    return store_links(session, records)


def _audit(session: Session, actor: Actor | None, report: ImportReport, records: list[dict]) -> None:
    """A summary event per import; for enterprises also one event each, so every enterprise page has its history."""
    if actor is None:
        return
    from chainkeeper.audit.service import Change, record, record_many

    record(session=session, actor=actor, action=f"import.{report.kind}", object_type="import",
           object_id=report.file[:128], after={"rows": report.rows, "created": report.created,
                                                "updated": report.updated})
    if report.kind == "enterprises":
        changes = (Change("enterprise.import", "enterprise", r["uscc"], after=_enterprise_snapshot(r)) for r in records)
        record_many(session=session, actor=actor, changes=changes)


def _enterprise_snapshot(record: dict) -> dict:
    return {key: value for key, value in record.items() if key not in ("contact_phone", "normalized_name")}


def import_table(
    engine: Engine, kind: str, table: RawTable, *, language: str = "zh_CN", dry_run: bool = False,
    progress: Progress | None = None, actor: Actor | None = None,
) -> ImportReport:
    """Validate every row of ``table`` as ``kind``; store all of them in one transaction if none is bad.

    With an ``actor``, the import leaves an audit event (file, counts) in the same transaction.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {KINDS}")
    report = ImportReport(kind=kind, file=table.source, dry_run=dry_run)
    header = cols.map_header(kind, table.header)
    report.issues, report.warnings = _header_issues(table, header, language)
    if report.issues:
        return report
    # one import at a time, holding the write lock from its first read: a second import (or any writer) waits its
    # turn, and the lookups cannot go stale between validation and writing
    with unit_of_work(engine, exclusive=None if dry_run else "import") as session:
        lookups = _load_lookups(session, kind)
        notify = (lambda n: progress("validate", n)) if progress else None
        records, report.rows = validate_rows(
            table.source, header, table.rows, _CHECKERS[kind](lookups), language, report.issues, notify
        )
        if report.issues or dry_run:
            session.rollback()
            return report
        if progress:
            progress("write", report.rows)
        report.created, report.updated = _store(session, kind, records, lookups)
        _audit(session, actor, report, records)
    return report


def import_file(
    engine: Engine, kind: str, path: Path | str, *, data: bytes | None = None, language: str = "zh_CN",
    dry_run: bool = False, progress: Progress | None = None, actor: Actor | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file (from disk, or ``data`` uploaded under the name ``path``)."""
    try:
        table = read_table(path, data)
    except UnreadableFile as error:
        report = ImportReport(kind=kind, file=Path(path).name, dry_run=dry_run)
        message = translate(error.message, language, **error.params)
        report.issues.append(ImportIssue(Path(path).name, None, None, error.code, message))
        return report
    return import_table(engine, kind, table, language=language, dry_run=dry_run, progress=progress, actor=actor)


def import_rows(
    engine: Engine, kind: str, rows: Iterable[dict[str, str]], *, source: str = "<rows>",
    language: str = "zh_CN", dry_run: bool = False, progress: Progress | None = None, actor: Actor | None = None,
) -> ImportReport:
    """Import rows given as dicts keyed by the canonical column names (used by the demo and the web layer)."""
    keys = [column.key for column in cols.TABLE_COLUMNS[kind]]
    numbered = ((number, [str(row.get(k, "") or "") for k in keys]) for number, row in enumerate(rows, start=2))
    table = RawTable(source, keys, numbered)
    return import_table(engine, kind, table, language=language, dry_run=dry_run, progress=progress, actor=actor)
