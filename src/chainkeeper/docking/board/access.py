"""Who sees and does what on the board, in one place so every door refuses the same way: an enterprise sees the
public posts and its own; an authority (county, city, province) also the posts of its region meant for the
authorities; national roles everything. Threads are private to their two enterprises. Events are announced to
everyone signed in; an authority organises them in its region, the ministry anywhere."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.docking.board.models import Thread
from chainkeeper.errors import Forbidden
from chainkeeper.i18n import _


def post_scope(principal: Principal, model) -> ColumnElement[bool]:
    """The posts (``model``: Listing or BoardNeed) the principal may read."""
    if principal.is_national:
        return true()
    clauses = [model.visibility == "public"]
    if principal.enterprise_id is not None:
        clauses.append(model.enterprise_id == principal.enterprise_id)
    if principal.roles & AUTHORITY_ROLES and principal.region_code:
        clauses.append(model.county_code.startswith(principal.region_code))
    return or_(*clauses)


def thread_scope(principal: Principal) -> ColumnElement[bool]:
    """The threads the principal's enterprise is a party to (none for anyone else)."""
    own = principal.enterprise_id if principal.has(Role.enterprise) else None
    if own is None:
        return Thread.id.is_(None)
    return or_(Thread.buyer_id == own, Thread.supplier_id == own)


def own_enterprise(principal: Principal) -> int:
    """The enterprise the principal acts for on the board, or :class:`Forbidden`."""
    if not principal.has(Role.enterprise) or principal.enterprise_id is None:
        raise refuse(Forbidden, _("only an enterprise user posts, contacts and takes part on the board"))
    return principal.enterprise_id


def organiser_region(principal: Principal) -> str | None:
    """The region the principal organises events in ('' = anywhere, the ministry), or None."""
    if principal.has(Role.ministry):
        return ""
    if principal.roles & AUTHORITY_ROLES and principal.region_code:
        return principal.region_code
    return None


def require_organiser(principal: Principal, region: str) -> str:
    """The principal's organising region when it covers ``region``, else :class:`Forbidden`."""
    own = organiser_region(principal)
    if own is None or not (region or "").startswith(own):
        raise refuse(Forbidden, _("only the ministry, or an authority in its own region, organises matchmaking "
                                  "events (region {region})"), region=region or "—")
    return own
