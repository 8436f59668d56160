"""``chainkeeper import enterprises|products|links FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chainkeeper.audit.actor import cli_actor
from chainkeeper.cli.common import language, open_engine, print_report, progress_bar
from chainkeeper.registry.importing import import_file

import_app = typer.Typer(help="Import enterprises, products or supply links from CSV or XLSX (all rows or none).")

FileArgument = Annotated[Path, typer.Argument(help="A .csv (UTF-8 or GBK) or .xlsx file.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")]
Lang = Annotated[str | None, typer.Option("--lang", help="Language of messages: zh_CN or en.")]


def _run(kind: str, path: Path, dry_run: bool, lang: str | None) -> None:
    chosen = language(lang)
    engine = open_engine()
    with progress_bar() as progress:
        task = progress.add_task(kind, total=None)

        def advance(stage: str, count: int) -> None:
            progress.update(task, description=f"{kind}: {stage}", completed=count)

        report = import_file(engine, kind, path, language=chosen, dry_run=dry_run, progress=advance,
                             actor=cli_actor())
    print_report(report, chosen)
    if not report.ok:
        raise typer.Exit(code=1)


@import_app.command("enterprises")
def import_enterprises(file: FileArgument, dry_run: DryRun = False, lang: Lang = None) -> None:
    """Import enterprises (upsert by unified social credit code)."""
    _run("enterprises", file, dry_run, lang)


@import_app.command("products")
def import_products(file: FileArgument, dry_run: DryRun = False, lang: Lang = None) -> None:
    """Import products (upsert by product code)."""
    _run("products", file, dry_run, lang)


@import_app.command("links")
def import_links(file: FileArgument, dry_run: DryRun = False, lang: Lang = None) -> None:
    """Import supply links (upsert by supplier, customer and product)."""
    _run("links", file, dry_run, lang)
