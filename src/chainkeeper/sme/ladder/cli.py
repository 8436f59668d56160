"""``chainkeeper ladder``: the ladder's daily job (labels off lapsed recognitions), audited as the operating-system
user."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from chainkeeper.audit.actor import cli_actor
from chainkeeper.cli.common import console, language, open_engine
from chainkeeper.db import unit_of_work
from chainkeeper.i18n import _, translate
from chainkeeper.sme.ladder import service

ladder_app = typer.Typer(help="The 专精特新 cultivation ladder.")


@ladder_app.command("expire")
def expire(day: Annotated[str | None, typer.Option("--day", help="China date YYYY-MM-DD (default: today).")] = None,
           lang: Annotated[str | None, typer.Option("--lang", help="zh_CN or en.")] = None) -> None:
    """Take the 专精特新 / 小巨人 labels off enterprises whose recognitions lapsed or were revoked."""
    with unit_of_work(open_engine()) as session:
        changed = service.expire(session=session, actor=cli_actor(), day=date.fromisoformat(day) if day else None)
    console.print(translate(_("{count} enterprises' ladder labels updated"), language(lang), count=changed))
