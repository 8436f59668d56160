"""The audit log (administrators): search by actor, action, object and dates (local days), newest first."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import Request, Response

from chainkeeper.audit.service import search
from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import ROLE_LABELS, Principal
from chainkeeper.i18n import translate
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages.audit_trail import changes
from chainkeeper.web.pages.rendering import is_htmx, local_zone, render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.tables import Listing

router = page_router()
Auditor = Annotated[Principal, guard(policies.AUDIT_READ)]
FILTERS = ("actor", "action", "object_type", "object_id", "since", "until")


def local_day_start(text: str | None, days_after: int = 0) -> datetime | None:
    """The start of the local (Asia/Shanghai) day ``text`` (YYYY-MM-DD) plus ``days_after``; None if malformed."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=days_after), time(0), tzinfo=local_zone())


@router.get("/admin/audit")
def audit_log(request: Request, session: DbSession, _auditor: Auditor) -> Response:
    """Search the audit log; the date filters are whole local days, both inclusive."""
    listing = Listing(request, filters=FILTERS, target="audit-table")
    found = search(session=session, actor_name=listing.value("actor"), action=listing.value("action"),
                   object_type=listing.value("object_type"), object_id=listing.value("object_id"),
                   since=local_day_start(listing.value("since")),
                   until=local_day_start(listing.value("until"), days_after=1),
                   page=listing.page, page_size=listing.page_size)
    rows = [{"event": event, "changes": changes(event.before, event.after)} for event in found.items]
    template = "admin/_audit_table.html" if is_htmx(request) else "admin/audit.html"
    language = request_language(request)
    roles = {role.value: translate(label, language) for role, label in ROLE_LABELS.items()}
    return render(request, session, template, listing=listing, found=found, rows=rows, roles=roles,
                  pager=listing.pager(found.total))
