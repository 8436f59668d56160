"""The ``chainkeeper`` application: registers every command group."""

from __future__ import annotations

from typing import Annotated

import typer

from chainkeeper.cli.audit import audit_app
from chainkeeper.cli.briefing import briefing_app
from chainkeeper.cli.backup import backup, db_current, db_downgrade, restore
from chainkeeper.cli.chains import chains_app
from chainkeeper.cli.common import console, open_engine, report_database_problem
from chainkeeper.cli.credentials import credentials_app, keys_app, passes_app, verify
from chainkeeper.cli.demo import demo
from chainkeeper.cli.desk import desk_app
from chainkeeper.cli.imports import import_app
from chainkeeper.cli.monitoring import monitoring_app
from chainkeeper.cli.notifications import notifications_app
from chainkeeper.cli.registry import registry_app
from chainkeeper.cli.tokens import tokens_app
from chainkeeper.cli.users import users_app
from chainkeeper.cli.whitelist import whitelist_app
from chainkeeper.sme.ladder.cli import ladder_app
from chainkeeper.config import get_settings
from chainkeeper.db_faults import classify

app = typer.Typer(help="chainkeeper: keep industrial chains and supply chains running.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.")
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(registry_app, name="registry")
app.add_typer(chains_app, name="chains")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
app.command("demo")(demo)
app.add_typer(keys_app, name="keys")
app.add_typer(credentials_app, name="credentials")
app.add_typer(passes_app, name="passes")
app.add_typer(ladder_app, name="ladder")  # the 专精特新 ladder (lane ladder)
app.add_typer(whitelist_app, name="whitelist")
app.add_typer(notifications_app, name="notifications")
app.add_typer(briefing_app, name="briefing")
app.add_typer(desk_app, name="desk")
app.add_typer(monitoring_app, name="monitoring")
app.command("verify")(verify)
app.command("backup")(backup)
app.command("restore")(restore)
db_app.command("downgrade")(db_downgrade)
db_app.command("current")(db_current)

try:  # the engine's commands; absent only in a partial checkout
    from chainkeeper.cli.analyze import analyze_app
except ImportError:  # pragma: no cover
    analyze_app = None
if analyze_app is not None:
    app.add_typer(analyze_app, name="analyze")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    open_engine(migrate=True)
    console.print(f"database is up to date: {get_settings().resolved_database_url.split('@')[-1]}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: CHAINKEEPER_WORKERS or 1).")] = None,
) -> None:
    """Start the web application (migrates the database first)."""
    import uvicorn

    from chainkeeper.web.app import create_app

    settings = get_settings()
    engine = open_engine()
    count = workers or settings.workers
    # uvicorn would believe X-Forwarded-* from loopback; the app's TrustedProxies decides (CHAINKEEPER_TRUSTED_PROXIES)
    address = dict(host=host or settings.host, port=port or settings.port, proxy_headers=False)
    if count > 1:  # each worker process builds its own app and engine from the settings
        engine.dispose()
        uvicorn.run("chainkeeper.web.app:create_served_app", factory=True, workers=count, **address)
    else:
        uvicorn.run(create_app(engine=engine, clock_seconds=settings.desk_tick_seconds,
                               checkpoint_seconds=settings.audit_checkpoint_seconds), **address)


def run() -> None:
    """The console entry point: every command, with database faults (busy, disk full, database down, a conflict)
    told in one translated line and exit code 75 instead of a traceback."""
    try:
        app(prog_name="chainkeeper")
    except Exception as error:
        problem = classify(error)
        if problem is None:
            raise
        raise SystemExit(report_database_problem(problem)) from None
