"""``chainkeeper registry``: look into the registry from the shell."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from chainkeeper.cli.common import console, language, open_engine
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import _, translate
from chainkeeper.registry.service import probable_duplicates, registry_counts

registry_app = typer.Typer(help="The enterprise and supply-link registry.")
Lang = Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")]


@registry_app.command("duplicates")
def duplicates(lang: Lang = None) -> None:
    """List probable duplicates: different codes, same normalised name and county."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        groups = probable_duplicates(session=session)
        table = Table(title=translate("{count} groups of probable duplicates", chosen, count=len(groups)))
        for heading in (_("county"), _("name"), _("unified social credit code")):
            table.add_column(translate(heading, chosen))
        for group in groups:
            for enterprise in group:
                table.add_row(enterprise.county_code, enterprise.name, enterprise.uscc)
    console.print(table)


@registry_app.command("stats")
def stats(lang: Lang = None) -> None:
    """How many enterprises and links the registry holds."""
    chosen = language(lang)
    with unit_of_work(open_engine()) as session:
        counts = registry_counts(session=session)
    console.print(translate("{enterprises} enterprises, {links} supply links", chosen, **counts))
