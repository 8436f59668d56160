"""``chainkeeper notifications``: deliver the due e-mails and webhooks of the outbox, list and requeue them.

Run ``chainkeeper notifications deliver`` every minute (cron, a systemd timer); several at once are safe.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from chainkeeper.cli.common import console, error_console, open_engine

notifications_app = typer.Typer(help="E-mail and webhook notifications (the outbox).")


def _recipient(channel: str, recipient: str) -> str:
    if channel != "webhook":
        return recipient
    parts = urlsplit(recipient)  # a webhook URL's query may carry a token: show scheme, host and path only
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


@notifications_app.command("deliver")
def deliver(limit: Annotated[int, typer.Option(min=1, help="Send at most this many.")] = 100) -> None:
    """Send every due notification once; failures are retried later with back-off."""
    from chainkeeper.notifications.service import deliver_due

    report = deliver_due(open_engine(), limit=limit)
    if report.outcomes:
        table = Table("id", "channel", "event", "outcome", "tries", "next attempt (UTC)", "error")
        for outcome in report.outcomes:
            table.add_row(str(outcome.id), outcome.channel, outcome.event, outcome.status, str(outcome.attempts),
                          _when(outcome.next_attempt_at), outcome.error or "")
        console.print(table)
    console.print(f"{report.claimed} due: {report.sent} sent, {report.retried} to retry, {report.failed} failed",
                  highlight=False)


@notifications_app.command("list")
def list_command(
    status: Annotated[str | None, typer.Option(help="pending, sent or failed.")] = None,
    channel: Annotated[str | None, typer.Option(help="email or webhook.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
) -> None:
    """The newest notifications."""
    from chainkeeper.db import unit_of_work
    from chainkeeper.notifications.models import Channel, NotificationStatus
    from chainkeeper.notifications.service import list_notifications

    try:
        chosen_status = NotificationStatus(status) if status else None
        chosen_channel = Channel(channel) if channel else None
    except ValueError as error:
        error_console.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(code=2) from None
    table = Table("id", "channel", "event", "object", "to", "status", "tries", "created", "sent / next",
                  "last error", caption="times in UTC")
    with unit_of_work(open_engine()) as session:
        for row in list_notifications(session, status=chosen_status, channel=chosen_channel, limit=limit):
            target = f"{row.object_type}:{row.object_id}" if row.object_type else ""
            later = row.sent_at if row.status == NotificationStatus.sent else (
                row.next_attempt_at if row.status == NotificationStatus.pending else None)
            table.add_row(str(row.id), row.channel.value, row.event, target,
                          _recipient(row.channel.value, row.recipient), row.status.value, str(row.attempts),
                          _when(row.created_at), _when(later), row.last_error or "")
    console.print(table)


@notifications_app.command("retry")
def retry(ids: Annotated[list[int] | None, typer.Argument(help="Notification ids (default: every failed one).")]
          = None) -> None:
    """Make failed notifications pending again (e.g. after fixing the SMTP settings)."""
    from chainkeeper.db import unit_of_work
    from chainkeeper.notifications.service import requeue_failed

    with unit_of_work(open_engine(), immediate=True) as session:
        count = requeue_failed(session, ids=ids or None)
    console.print(f"{count} failed notifications are pending again")
