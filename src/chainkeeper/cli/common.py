"""What every command shares: the console, the engine from settings, and printing of import reports."""

from __future__ import annotations

from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from chainkeeper.config import get_settings
from chainkeeper.db import configured_engine
from chainkeeper.db_faults import DISK_FULL, DatabaseProblem
from chainkeeper.i18n import normalize_language, translate
from chainkeeper.registry.importing import ImportReport

console = Console()
error_console = Console(stderr=True)


def language(choice: str | None) -> str:
    """The language asked for, else the configured one."""
    return normalize_language(choice or get_settings().language)


def open_engine(*, migrate: bool = True) -> Engine:
    """The configured database, migrated to the newest schema."""
    return configured_engine(migrate=migrate)


@contextmanager
def progress_bar():
    """A Rich progress display for steps that take more than a second."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}"),
               TimeElapsedColumn())
    with Progress(*columns, console=error_console, transient=True) as progress:
        yield progress


def print_report(report: ImportReport, lang: str) -> None:
    """The outcome of an import: counts, or a table of every bad row."""
    for warning in report.warnings:
        error_console.print(f"[yellow]{warning.describe(lang)}[/yellow]")
    if report.issues:
        for issue in report.issues:
            error_console.print(issue.describe(lang), markup=False, highlight=False, soft_wrap=True)
        error_console.print(translate("problems found: {count}; nothing was written", lang, count=len(report.issues)))
        return
    if report.dry_run:
        console.print(translate("{rows} rows are valid (dry run, nothing written)", lang, rows=report.rows))
        return
    console.print(translate("{file}: {rows} rows, {created} created, {updated} updated", lang,
                            file=report.file, rows=report.rows, created=report.created, updated=report.updated))


def report_database_problem(problem: DatabaseProblem) -> int:
    """Print the fault as one clear line (no traceback); returns the exit code: 75 (try again later)."""
    error_console.print(translate("error: {problem}", language(None), problem=problem.describe(language(None))),
                        markup=False, highlight=False)
    if problem is DISK_FULL:
        _release_wal()
    return 75


def _release_wal() -> None:
    """After a disk-full failure the WAL holds only the failed transaction's pages: give the space back."""
    from chainkeeper.db import checkpoint

    try:
        engine = configured_engine(migrate=False)
        checkpoint(engine)
        engine.dispose()
    except Exception:  # noqa: BLE001 - best effort; the clear message was printed already
        pass
