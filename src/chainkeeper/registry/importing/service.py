"""The import service: read a table, validate every row, then write all rows in one transaction or none."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import translate
from chainkeeper.registry.importing import columns as cols
from chainkeeper.registry.importing.access import WriteAccess
from chainkeeper.registry.importing.bulk_write import import_bind
from chainkeeper.registry.importing.enterprises import EnterpriseChecker, store_enterprises
from chainkeeper.registry.importing.issues import ImportIssue, ImportReport, UnreadableFile
from chainkeeper.registry.importing.limits import ImportLimits
from chainkeeper.registry.importing.link_columns import validate_links
from chainkeeper.registry.importing.links import LinkChecker, store_all_links
from chainkeeper.registry.importing.lookups import Lookups, load_enterprise_ids, load_product_ids, load_reference
from chainkeeper.registry.importing.products import ProductChecker, store_products
from chainkeeper.registry.importing.readers import RawTable, read_table
from chainkeeper.registry.importing.rows import Spool, gc_paused, validate_rows

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


def _load_lookups(session: Session, kind: str, principal: Principal | None, language: str) -> Lookups:
    lookups = Lookups()
    load_reference(session, lookups)
    lookups.access = WriteAccess(session, principal, language)
    if kind in ("enterprises", "links"):
        load_enterprise_ids(session, lookups)
    if kind in ("products", "links"):
        load_product_ids(session, lookups, values=kind == "products" and not lookups.access.products)
    return lookups


_CHECKERS = {"enterprises": EnterpriseChecker, "products": ProductChecker, "links": LinkChecker}


def _validate(kind: str, table: RawTable, header: cols.HeaderMap, lookups: Lookups, language: str,
              issues: list[ImportIssue], notify: Callable[[int], None] | None, spool: Spool) -> int:
    """Check every row, keeping the valid records in ``spool``; links a chunk at a time (:mod:`.link_columns`)."""
    checker = _CHECKERS[kind](lookups)
    if kind == "links":
        return validate_links(table.source, header, table.rows, checker, language, issues, notify,
                              keep=spool.extend, columns=table.header)
    return validate_rows(table.source, header, table.rows, checker, language, issues, notify, keep=spool.add,
                         columns=table.header)


def _store(session: Session, kind: str, spool: Spool, lookups: Lookups, actor: Actor | None) -> tuple[int, int]:
    """Write the kept records batch by batch (one transaction); enterprises are audited one by one."""
    if kind == "links":
        return store_all_links(session, spool, lookups)
    created = updated = 0
    for batch in spool.batches():
        if kind == "enterprises":
            new, old = store_enterprises(session, batch, lookups)
            _audit_enterprises(session, actor, batch)
        else:
            new, old = store_products(session, batch, lookups)
        created, updated = created + new, updated + old
    return created, updated


def _audit_enterprises(session: Session, actor: Actor | None, records: list[dict]) -> None:
    """One event per enterprise, so every enterprise page has its history."""
    if actor is None:
        return
    from chainkeeper.audit.service import Change, record_many

    changes = (Change("enterprise.import", "enterprise", r["uscc"], after=_enterprise_snapshot(r)) for r in records)
    record_many(session=session, actor=actor, changes=changes)


def _audit(session: Session, actor: Actor | None, report: ImportReport) -> None:
    """A summary event per import."""
    if actor is None:
        return
    from chainkeeper.audit.service import record

    record(session=session, actor=actor, action=f"import.{report.kind}", object_type="import",
           object_id=report.file[:128], after={"rows": report.rows, "created": report.created,
                                                "updated": report.updated})


def _enterprise_snapshot(record: dict) -> dict:
    return {key: value for key, value in record.items() if key not in ("contact_phone", "normalized_name")}


def _file_issue(report: ImportReport, error: UnreadableFile, language: str) -> ImportReport:
    report.issues.append(ImportIssue(report.file, None, None, error.code,
                                     translate(error.message, language, **error.params)))
    return report


def import_table(
    engine: Engine, kind: str, table: RawTable, *, language: str = "zh_CN", dry_run: bool = False,
    progress: Progress | None = None, actor: Actor | None = None, principal: Principal | None = None,
) -> ImportReport:
    """Validate every row of ``table`` as ``kind``; store all of them in one transaction if none is bad.

    Rows are streamed: the valid records wait in a temporary file, not in memory. Every row must lie within what
    ``principal`` may change (see :mod:`.access`; None is the operator, with full rights). With an ``actor``, the
    import leaves audit events in the same transaction.
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
    with (import_bind(engine, kind, dry_run) as bind,
          unit_of_work(bind, exclusive=None if dry_run else "import") as session, Spool() as spool, gc_paused()):
        lookups = _load_lookups(session, kind, principal, language)
        notify = (lambda n: progress("validate", n)) if progress else None
        try:
            report.rows = _validate(kind, table, header, lookups, language, report.issues, notify, spool)
        except UnreadableFile as error:
            _file_issue(report, error, language)
        if report.issues or dry_run:
            session.rollback()
            return report
        if progress:
            progress("write", report.rows)
        report.created, report.updated = _store(session, kind, spool, lookups, actor)
        _audit(session, actor, report)
    return report


def import_file(
    engine: Engine, kind: str, path: Path | str, *, data: bytes | IO[bytes] | None = None, language: str = "zh_CN",
    dry_run: bool = False, progress: Progress | None = None, actor: Actor | None = None,
    principal: Principal | None = None, limits: ImportLimits | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file (from disk, or ``data`` uploaded under the name ``path``: bytes or a seekable
    binary file) within ``limits`` (default: those of ``chainkeeper import``) and ``principal``'s write scope."""
    try:
        table = read_table(path, data, limits=limits)
    except UnreadableFile as error:
        return _file_issue(ImportReport(kind=kind, file=Path(path).name, dry_run=dry_run), error, language)
    return import_table(engine, kind, table, language=language, dry_run=dry_run, progress=progress, actor=actor,
                        principal=principal)


def import_rows(
    engine: Engine, kind: str, rows: Iterable[dict[str, str]], *, source: str = "<rows>",
    language: str = "zh_CN", dry_run: bool = False, progress: Progress | None = None, actor: Actor | None = None,
    principal: Principal | None = None,
) -> ImportReport:
    """Import rows given as dicts keyed by the canonical column names (used by the demo and the web layer)."""
    keys = [column.key for column in cols.TABLE_COLUMNS[kind]]
    numbered = ((number, [str(row.get(k, "") or "") for k in keys]) for number, row in enumerate(rows, start=2))
    table = RawTable(source, keys, numbered)
    return import_table(engine, kind, table, language=language, dry_run=dry_run, progress=progress, actor=actor,
                        principal=principal)
