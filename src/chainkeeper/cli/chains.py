"""``chainkeeper chains``: list and edit the key industrial chains (administrators)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from chainkeeper.audit.actor import cli_actor
from chainkeeper.audit.service import record
from chainkeeper.cli.common import console, open_engine
from chainkeeper.db import unit_of_work
from chainkeeper.reference.chain_admin import delete_chain, save_chain
from chainkeeper.reference.service import list_chains

chains_app = typer.Typer(help="Key industrial chains as sets of GB/T 4754-2017 codes.")


@chains_app.command("list")
def list_command() -> None:
    """Show every key chain with its industry codes."""
    with unit_of_work(open_engine()) as session:
        table = Table("code", "名称", "name", "industries")
        for chain in list_chains(session=session):
            table.add_row(chain.code, chain.name_zh, chain.name_en,
                          ", ".join(item.industry_code for item in chain.industries))
    console.print(table)


@chains_app.command("set")
def set_command(
    code: Annotated[str, typer.Argument(help="Chain code, e.g. auto.")],
    industries: Annotated[str, typer.Option(help="Comma-separated industry codes (any level), e.g. 36,3985.")],
    name_zh: Annotated[str, typer.Option(help="Chinese name.")],
    name_en: Annotated[str, typer.Option(help="English name.")],
) -> None:
    """Create or replace a chain; enterprises whose chain is derived follow the change."""
    codes = [c.strip() for c in industries.split(",") if c.strip()]
    with unit_of_work(open_engine()) as session:
        save_chain(session=session, code=code, name_zh=name_zh, name_en=name_en, industry_codes=codes)
        record(session=session, actor=cli_actor(), action="key_chain.save", object_type="key_chain", object_id=code,
               after={"name_zh": name_zh, "name_en": name_en, "industry_codes": codes})
    console.print(f"saved key chain {code}")


@chains_app.command("remove")
def remove_command(code: Annotated[str, typer.Argument(help="Chain code.")]) -> None:
    """Remove a chain."""
    with unit_of_work(open_engine()) as session:
        delete_chain(session=session, code=code)
        record(session=session, actor=cli_actor(), action="key_chain.remove", object_type="key_chain", object_id=code)
    console.print(f"removed key chain {code}")
