"""JSON endpoints behind the shared pickers (templates/_pickers.html, static/js/pickers.js).

``GET /api/v1/regions?parent=32`` lists a region's children ('' → the provinces); ``?q=昆山`` searches by name.
``GET /api/v1/enterprise-lookup?q=…`` finds enterprises by name or USCC, ONLY among those the caller may see:
its scope (:func:`chainkeeper.auth.scope.enterprise_scope`) and, for an enterprise user, its direct supply partners
(it already reads those links), so it can name a supplier that blocks it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.reference import pickers
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.registry.names import normalize_name
from chainkeeper.web.deps import DbSession
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(tags=["pickers"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(policies.SIGNED_IN)]
MAX_MATCHES = 20


class RegionOut(BaseModel):
    """A region as the picker shows it."""

    code: str
    name: str
    level: int
    path: str
    has_children: bool


class EnterpriseChoiceOut(BaseModel):
    """An enterprise as the picker shows it: name, USCC and region."""

    uscc: str
    name: str
    region_code: str
    region: str


@router.get("/regions", response_model=list[RegionOut])
def regions(session: DbSession, _principal: Reader,
            parent: Annotated[str, Query(pattern=r"^(\d{2}|\d{4})?$")] = "",
            q: Annotated[str, Query(max_length=40)] = "") -> list[RegionOut]:
    """The children of ``parent`` ('' → provinces), or with ``q`` the regions whose name contains it."""
    found = pickers.search(session, q, within=parent) if q.strip() else pickers.children(session, parent)
    return [RegionOut(**vars(choice)) for choice in found]


def lookup_scope(principal: Principal) -> ColumnElement[bool]:
    """Enterprises the picker may offer the caller: its scope, plus an enterprise's direct supply partners."""
    scope = enterprise_scope(principal)
    if principal.has(Role.enterprise) and principal.enterprise_id is not None and not principal.is_national:
        own = principal.enterprise_id
        suppliers = select(SupplyLink.supplier_id).where(SupplyLink.customer_id == own)
        customers = select(SupplyLink.customer_id).where(SupplyLink.supplier_id == own)
        scope = or_(scope, Enterprise.id.in_(suppliers), Enterprise.id.in_(customers))
    return scope


def find_enterprises(session: Session, principal: Principal, text: str) -> list[EnterpriseChoiceOut]:
    """Up to 20 visible enterprises whose USCC starts with ``text`` or whose name contains it, by name."""
    wanted = text.strip()
    if not wanted:
        return []
    condition = or_(Enterprise.uscc.startswith(wanted.upper(), autoescape=True),
                    Enterprise.name.contains(wanted, autoescape=True),
                    Enterprise.name.contains(normalize_name(wanted), autoescape=True))
    rows = session.execute(select(Enterprise.uscc, Enterprise.name, Enterprise.county_code)
                           .where(lookup_scope(principal), condition).order_by(Enterprise.name)
                           .limit(MAX_MATCHES)).all()
    names = pickers.all_names(session)
    return [EnterpriseChoiceOut(uscc=uscc, name=name, region_code=code, region=pickers.region_path(code, names))
            for uscc, name, code in rows]


@router.get("/enterprise-lookup", response_model=list[EnterpriseChoiceOut])
def enterprise_lookup(session: DbSession, principal: Reader,
                      q: Annotated[str, Query(max_length=60)] = "") -> list[EnterpriseChoiceOut]:
    """Enterprises the caller may see whose name contains ``q`` or whose USCC starts with it (at most 20)."""
    return find_enterprises(session, principal, q)


def resolve_enterprise(session: Session, principal: Principal, text: str | None) -> str | None:
    """The USCC a picker's plain field stands for: an 18-character code as typed, or the one visible enterprise
    with exactly this name (None when empty; the text itself when nothing matches, so the service says so)."""
    wanted = (text or "").strip()
    if not wanted or (len(wanted) == 18 and wanted.isalnum()):
        return wanted.upper() or None
    found = session.scalars(select(Enterprise.uscc).where(lookup_scope(principal), Enterprise.name == wanted)
                            .limit(2)).all()
    return found[0] if len(found) == 1 else wanted
