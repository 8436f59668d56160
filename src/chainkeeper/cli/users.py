"""``chainkeeper users``: create the first administrator, list accounts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from chainkeeper.audit.actor import cli_actor
from chainkeeper.audit.service import record
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.cli.common import console, error_console, open_engine
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed

users_app = typer.Typer(help="User accounts.")


@users_app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="Login name.")] = "admin",
    display_name: Annotated[str, typer.Option(help="Name shown in the UI.")] = "Administrator",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          envvar="CHAINKEEPER_ADMIN_PASSWORD", help="Password (prompted).")] = "",
) -> None:
    """Create an administrator account (the first one, or another)."""
    try:
        with unit_of_work(open_engine()) as session:
            user = create_user(session=session, username=username, password=password, display_name=display_name,
                               roles={Role.admin})
            record(session=session, actor=cli_actor(), action="user.create", object_type="user", object_id=user.id,
                   after={"username": username, "roles": ["admin"]})
    except ValidationFailed as error:
        error_console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from None
    console.print(f"administrator {username} created")


@users_app.command("list")
def list_users() -> None:
    """Every account with its roles and binding."""
    with unit_of_work(open_engine()) as session:
        table = Table("username", "name", "roles", "region", "enterprise", "active")
        for user in session.scalars(select(User).order_by(User.username)):
            table.add_row(user.username, user.display_name, ", ".join(sorted(r.value for r in user.role_set)),
                          user.region_code or "", str(user.enterprise_id or ""), "yes" if user.is_active else "no")
    console.print(table)
