"""``chainkeeper import enterprises|products|links FILE [--as USER]``.

The command line is the operator's tool: without ``--as`` it imports with full rights (audited as ``cli:<os
user>``). With ``--as USER`` it acts as that account: the account must be active and allowed to write the registry,
every row must lie within its write scope, and the audit names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from chainkeeper.audit.actor import Actor, cli_actor
from chainkeeper.auth import policies
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.service import principal_of
from chainkeeper.cli.common import error_console, language, open_engine, print_report, progress_bar
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import _, translate
from chainkeeper.registry.importing import import_file
from chainkeeper.registry.importing.limits import cli_limits

import_app = typer.Typer(help="Import enterprises, products or supply links from CSV or XLSX (all rows or none).")

FileArgument = Annotated[Path, typer.Argument(help="A .csv (UTF-8 or GBK) or .xlsx file.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Validate only; write nothing.")]
Lang = Annotated[str | None, typer.Option("--lang", help="Language of messages: zh_CN or en.")]
AsUser = Annotated[str | None, typer.Option(
    "--as", help="Act as this account: only rows within its write scope are accepted (default: the operator, "
                 "full rights).")]


def _acting(engine, username: str | None, lang: str) -> tuple[Principal | None, Actor]:
    """The principal and audit actor of the command: the operator, or the account named by ``--as``."""
    if username is None:
        return None, cli_actor()
    with unit_of_work(engine) as session:
        user = session.scalar(select(User).where(User.username == username))
        principal = principal_of(user) if user is not None and user.is_active else None
    if principal is None or not policies.REGISTRY_WRITE.allows(principal):
        reason = _("no active account {user}") if principal is None else _("{user} may not change the registry")
        error_console.print(translate(reason, lang, user=username), highlight=False)
        raise typer.Exit(code=2)
    operator = cli_actor().name  # the operating-system user, recorded where a web event has the client address
    return principal, Actor(principal.user_id, principal.username, principal.main_role.value, operator)


def _run(kind: str, path: Path, dry_run: bool, lang: str | None, username: str | None) -> None:
    chosen = language(lang)
    engine = open_engine()
    principal, actor = _acting(engine, username, chosen)
    with progress_bar() as progress:
        task = progress.add_task(kind, total=None)

        def advance(stage: str, count: int) -> None:
            progress.update(task, description=f"{kind}: {stage}", completed=count)

        report = import_file(engine, kind, path, language=chosen, dry_run=dry_run, progress=advance,
                             actor=actor, principal=principal, limits=cli_limits())
    print_report(report, chosen)
    if not report.ok:
        raise typer.Exit(code=1)


@import_app.command("enterprises")
def import_enterprises(file: FileArgument, dry_run: DryRun = False, lang: Lang = None, as_user: AsUser = None) -> None:
    """Import enterprises (upsert by unified social credit code)."""
    _run("enterprises", file, dry_run, lang, as_user)


@import_app.command("products")
def import_products(file: FileArgument, dry_run: DryRun = False, lang: Lang = None, as_user: AsUser = None) -> None:
    """Import products (upsert by product code)."""
    _run("products", file, dry_run, lang, as_user)


@import_app.command("links")
def import_links(file: FileArgument, dry_run: DryRun = False, lang: Lang = None, as_user: AsUser = None) -> None:
    """Import supply links (upsert by supplier, customer and product)."""
    _run("links", file, dry_run, lang, as_user)
