"""``chainkeeper tokens``: create, list and revoke a user's API tokens (audited as the operating-system user)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from chainkeeper.audit.actor import cli_actor
from chainkeeper.auth import tokens
from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.cli.common import console, error_console, language, open_engine
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate
from chainkeeper.web.pages.rendering import local_time

tokens_app = typer.Typer(help="API tokens (Authorization: Bearer …).")
UserOption = Annotated[str, typer.Option("--user", help="The account the token belongs to (its username).")]
LangOption = Annotated[str | None, typer.Option("--lang", help="zh_CN or en (default: the configured language).")]


def _user(session, username: str, lang: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        error_console.print(translate(_("No user named {name}."), lang, name=username))
        raise typer.Exit(code=1)
    return user


@tokens_app.command("create")
def create(user: UserOption, name: Annotated[str, typer.Option("--name", help="What the token is for.")],
           days: Annotated[int, typer.Option("--days", min=1, max=366, help="Days it is valid.")] = 90,
           lang: LangOption = None) -> None:
    """Create a token and print its secret (shown only this once)."""
    lang = language(lang)
    try:
        with unit_of_work(open_engine()) as session:
            new = tokens.issue_token(session=session, actor=cli_actor(), user=_user(session, user, lang),
                                     name=name.strip(), days=days)
            secret, expires = new.plaintext, local_time(new.record.expires_at, "%Y-%m-%d %H:%M")
    except ChainkeeperError as error:
        error_console.print(str(error))
        raise typer.Exit(code=1) from None
    console.print(translate(_("Token {name} created for {user}, valid until {expires}. Its secret (shown only "
                              "this once):"), lang, name=name, user=user, expires=expires))
    typer.echo(secret)


@tokens_app.command("list")
def list_(user: UserOption, lang: LangOption = None) -> None:
    """A user's tokens (without secrets)."""
    lang = language(lang)
    with unit_of_work(open_engine()) as session:
        rows = tokens.list_tokens(session=session, user_id=_user(session, user, lang).id)
        table = Table("id", translate(_("Name"), lang), translate(_("Begins with"), lang),
                      translate(_("Expires"), lang), translate(_("Status"), lang))
        for token in rows:
            state = _("Revoked") if token.revoked_at else _("Active")
            table.add_row(str(token.id), token.name, token.prefix + "…",
                          local_time(token.expires_at, "%Y-%m-%d %H:%M"), translate(state, lang))
    console.print(table)


@tokens_app.command("revoke")
def revoke(user: UserOption, token_id: Annotated[int, typer.Argument(help="The token's id (see list).")],
           lang: LangOption = None) -> None:
    """Revoke a user's token at once."""
    lang = language(lang)
    try:
        with unit_of_work(open_engine()) as session:
            owner = principal_of(_user(session, user, lang))
            token = tokens.withdraw_token(session=session, actor=cli_actor(), token_id=token_id, owner=owner)
            name = token.name
    except ChainkeeperError:
        error_console.print(translate(_("{user} has no token {id}."), lang, user=user, id=token_id))
        raise typer.Exit(code=1) from None
    console.print(translate(_("Token {name} revoked."), lang, name=name))
