"""The import of a published monthly series: read the file (the registry's readers and limits), parse its shape,
check the caller's region, store every figure or none, audited.

Problems come as :class:`chainkeeper.registry.importing.issues.ImportIssue` (file, row, column, message in the
user's language), the registry importer's style.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.indicators.catalogue import BY_CODE
from chainkeeper.monitoring.indicators.models import IndicatorValue
from chainkeeper.monitoring.indicators.parsing import Names, Observation, Parsed, Problem, parse_grid
from chainkeeper.monitoring.indicators.service import ensure_catalogue, may_write
from chainkeeper.reference.cache import reference_names
from chainkeeper.reference.models import Industry, Region
from chainkeeper.registry.importing.issues import BadRecord, ImportIssue, ImportReport, UnreadableFile
from chainkeeper.registry.importing.limits import ImportLimits
from chainkeeper.registry.importing.readers import read_table

KIND = "indicators"
OUTSIDE_REGION = _("region {region} is outside your region; you may import only your own region's figures")
UNKNOWN_INDICATOR = _("unknown indicator {code}; known: {known}")
UNKNOWN_REGION = _("unknown region {region}")


def names(session: Session) -> Names:
    """Region and industry names of the reference tables, for reading labels."""
    return Names.build(reference_names(session, Region) or {}, reference_names(session, Industry) or {})


def _issue(source: str, problem: Problem, language: str) -> ImportIssue:
    return ImportIssue(source, problem.row, problem.column, problem.code,
                       translate(problem.message, language, **problem.params))


def _grid(table) -> list[tuple[int, list[str]]]:
    """The file's rows, header included (row 1); unreadable rows become problems."""
    rows: list[tuple[int, list[str]]] = [(1, list(table.header))]
    for number, cells in table.rows:
        if isinstance(cells, BadRecord):
            raise _BadRow(number, cells)
        rows.append((number, cells))
    return rows


class _BadRow(Exception):
    def __init__(self, row: int, record: BadRecord):
        super().__init__(record.code)
        self.row, self.record = row, record


def _scope_problems(parsed: Parsed, caller: Caller | None, known: Names) -> list[Problem]:
    problems, codes = [], set(known.regions.values())
    for obs in parsed.observations:
        if obs.region_code not in codes:
            problems.append(Problem(obs.row, obs.column, "unknown_region", UNKNOWN_REGION,
                                    {"region": obs.region_code}))
        elif not may_write(caller, obs.region_code):
            problems.append(Problem(obs.row, obs.column, "outside_region", OUTSIDE_REGION,
                                    {"region": obs.region_code}))
    return problems


def store(session: Session, indicator: str, observations: list[Observation], source: str) -> tuple[int, int]:
    """Insert or replace the figures (one per indicator, region, industry, month); (created, updated)."""
    row = ensure_catalogue(session)[indicator]
    existing = {(v.region_code, v.industry_code, v.period): v for v in session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == row.id))}
    now, created, updated = datetime.now(timezone.utc), 0, 0
    for obs in observations:
        value = existing.get((obs.region_code, obs.industry_code, obs.period))
        if value is None:
            session.add(IndicatorValue(indicator_id=row.id, region_code=obs.region_code,
                                       industry_code=obs.industry_code, period=obs.period, value=obs.value,
                                       combined_months=obs.combined_months, source=source[:200], imported_at=now))
            created += 1
        else:
            value.value, value.combined_months, value.source, value.imported_at = (
                obs.value, obs.combined_months, source[:200], now)
            updated += 1
    session.flush()
    return created, updated


def _audit(session: Session, actor: Actor | None, indicator: str, report: ImportReport,
           observations: list[Observation]) -> None:
    if actor is None:
        return
    from chainkeeper.audit.service import record

    record(session=session, actor=actor, action="indicator.import", object_type="indicator",
           object_id=indicator, after={"file": report.file[:128], "rows": report.rows, "created": report.created,
                                       "updated": report.updated,
                                       "regions": sorted({o.region_code for o in observations}),
                                       "periods": sorted({o.period for o in observations})})


def import_indicator_file(
    engine: Engine, path: Path | str, *, indicator: str, data: bytes | IO[bytes] | None = None,
    region: str | None = None, industry: str = "", caller: Caller | None = None, language: str = "zh_CN",
    limits: ImportLimits | None = None, dry_run: bool = False, source: str | None = None, actor: Actor | None = None,
) -> ImportReport:
    """Import one published file of ``indicator`` (CSV or XLSX; from disk or ``data`` uploaded under ``path``).

    ``region``/``industry``: what a single series is for when the file does not say. All figures are stored in one
    transaction, or none when any problem is found. ``caller`` None is the operator (no region limit), audited as
    ``actor`` (the caller's actor otherwise).
    """
    name = Path(path).name
    report = ImportReport(kind=KIND, file=name, dry_run=dry_run)
    spec = BY_CODE.get(indicator)
    if spec is None:
        report.issues.append(ImportIssue(name, None, None, "unknown_indicator", translate(
            UNKNOWN_INDICATOR, language, code=indicator, known=", ".join(BY_CODE))))
        return report
    try:
        table = read_table(path, data, limits=limits)
        grid = _grid(table)
    except UnreadableFile as error:
        report.issues.append(ImportIssue(name, None, None, error.code,
                                         translate(error.message, language, **error.params)))
        return report
    except _BadRow as bad:
        column = None if bad.record.column is None else str(bad.record.column + 1)
        report.issues.append(ImportIssue(name, bad.row, column, bad.record.code,
                                         translate(bad.record.message, language, **bad.record.params)))
        return report
    with unit_of_work(engine, exclusive=None if dry_run else "import") as session:
        known = names(session)
        region = None if region is None else (known.region(region) or region)
        parsed = parse_grid(grid, spec, known, region=region, industry=industry)
        problems = parsed.problems or _scope_problems(parsed, caller, known)
        report.issues = [_issue(name, p, language) for p in problems]
        report.warnings = [_issue(name, p, language) for p in parsed.warnings]
        report.rows = len(parsed.observations)
        if report.issues or dry_run:
            session.rollback()
            return report
        report.created, report.updated = store(session, indicator, parsed.observations, source or name)
        _audit(session, caller.actor if caller else actor, indicator, report, parsed.observations)
    return report
