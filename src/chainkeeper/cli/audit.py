"""``chainkeeper audit``: verify the hash chain of the audit log and search it."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select

from chainkeeper.audit import chain
from chainkeeper.audit.anchor import AnchorBroken, check_anchors, write_checkpoint
from chainkeeper.audit.models import AuditEvent
from chainkeeper.audit.service import search as search_events
from chainkeeper.cli.common import console, error_console, language, open_engine, progress_bar
from chainkeeper.config import get_settings
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate

audit_app = typer.Typer(help="The tamper-evident audit log.")
Lang = Annotated[str | None, typer.Option("--lang", help="Language: zh_CN or en.")]
When = Annotated[datetime | None, typer.Option(help="Local time (the configured time zone) or with an offset.")]

REASON_TEXT = {
    chain.EDITED: _("the event was altered after it was written"),
    chain.MISSING: _("the event is missing (deleted)"),
    chain.REORDERED: _("events were reordered"),
    chain.BROKEN_LINK: _("the event does not link to the event before it"),
    chain.HEAD_MISMATCH: _("the log does not end where its head says (events deleted or added at the end)"),
}
HEADINGS = (_("seq"), _("time"), _("actor"), _("role"), _("action"), _("object"), _("client address"))


def _zone():
    try:
        return ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def _aware(moment: datetime | None) -> datetime | None:
    """A naive option value is local time in the configured zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=_zone())


@audit_app.command("verify")
def verify(
    chunk_size: Annotated[int, typer.Option(min=1, help="Events read per query.")] = 10_000,
    expect_head: Annotated[list[str] | None, typer.Option(
        "--expect-head", help="A head hash kept outside the database; the log must still hold it (repeatable).")
    ] = None,
    checkpoints: Annotated[Path | None, typer.Option(
        help="Signed checkpoints file (default: <data dir>/audit-checkpoints.jsonl, when it exists).")] = None,
    lang: Lang = None,
) -> None:
    """Check the hash chain of the whole log and its anchors (signed checkpoints, expected heads); exit code 1
    names the first bad event or the anchor that no longer holds."""
    chosen = language(lang)
    try:
        with unit_of_work(open_engine()) as session, progress_bar() as progress:
            total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
            task = progress.add_task(translate(_("verifying the audit log"), chosen), total=total)
            check = check_anchors(session=session, path=checkpoints, expect_heads=tuple(expect_head or ()),
                                  chunk_size=chunk_size, progress=lambda done: progress.update(task, completed=done))
    except AnchorBroken as error:
        _broken_anchor(str(error), chosen)
    if not check.chain.ok:
        reason = translate(REASON_TEXT.get(check.chain.reason, check.chain.reason), chosen)
        error_console.print(translate(_("audit log broken at event {seq}: {reason}"), chosen,
                                      seq=check.chain.first_bad_seq, reason=reason), markup=False)
        error_console.print(translate(_("intact events before it: {count}"), chosen,
                                      count=check.chain.events_checked))
        raise typer.Exit(1)
    if check.problem:
        _broken_anchor(check.problem, chosen)
    console.print(translate(_("audit log intact: {count} events, head hash {hash}"), chosen,
                            count=check.chain.events_checked, hash=check.chain.last_hash))
    console.print(translate(_("signed checkpoints checked: {count}"), chosen, count=check.checkpoints))


def _broken_anchor(problem: str, chosen: str) -> None:
    error_console.print(translate(_("audit log rewritten: {problem}"), chosen, problem=problem), markup=False)
    raise typer.Exit(1)


@audit_app.command("checkpoint")
def checkpoint(
    checkpoints: Annotated[Path | None, typer.Option(
        help="Signed checkpoints file (default: <data dir>/audit-checkpoints.jsonl).")] = None,
    lang: Lang = None,
) -> None:
    """Verify the log, then append a checkpoint of its head signed with the platform key (outside the database);
    prints the head hash: keep it elsewhere too."""
    chosen = language(lang)
    try:
        with unit_of_work(open_engine()) as session:
            written = write_checkpoint(session=session, path=checkpoints)
    except ChainkeeperError as error:
        _broken_anchor(str(error), chosen)
    console.print(translate(_("checkpoint written: event {seq}, head hash {hash}"), chosen, seq=written["seq"],
                            hash=written["hash"]))


def _row(event: AuditEvent, zone) -> list[Text]:
    """A table row; plain Text, so markup in stored names is shown, not interpreted."""
    cells = (str(event.seq), event.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), event.actor_name,
            event.role or "", event.action, f"{event.object_type}:{event.object_id}", event.client_address or "")
    return [Text(cell) for cell in cells]


@audit_app.command("search")
def search(
    actor: Annotated[str | None, typer.Option(help="Actor name, exactly.")] = None,
    action: Annotated[str | None, typer.Option(help="Action, e.g. create, update, login.")] = None,
    object_type: Annotated[str | None, typer.Option(help="Object type, e.g. enterprise.")] = None,
    object_id: Annotated[str | None, typer.Option(help="Object id (needs --object-type to be meaningful).")] = None,
    since: When = None,
    until: When = None,
    page: Annotated[int, typer.Option(min=1)] = 1,
    page_size: Annotated[int, typer.Option(min=1, max=500)] = 50,
    lang: Lang = None,
) -> None:
    """Search the audit log, newest first."""
    chosen, zone = language(lang), _zone()
    with unit_of_work(open_engine()) as session:
        found = search_events(session=session, actor_name=actor, action=action, object_type=object_type,
                              object_id=object_id, since=_aware(since), until=_aware(until), page=page,
                              page_size=page_size)
    title = translate(_("{total} audit events, page {page}"), chosen, total=found.total, page=found.page)
    table = Table(title=title)
    for number, heading in enumerate(HEADINGS):
        table.add_column(translate(heading, chosen), no_wrap=number == 0)
    for event in found.items:
        table.add_row(*_row(event, zone))
    console.print(table)
