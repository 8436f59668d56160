"""REST endpoints of the registry under ``/api/v1``: enterprises and supply links (read)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.registry import rows, service
from chainkeeper.registry.models import Label, SizeClass
from chainkeeper.registry.schemas import EnterpriseOut, LinkOut, PageOut
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, exact_json, json_route

router = APIRouter(tags=["registry"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(policies.REGISTRY_READ)]

PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE, description="Items per page.")]
RegionCode = Annotated[str | None, Query(pattern=r"^\d{2}(\d{2}(\d{2})?)?$", description="Province, prefecture or county code.")]


def _page(found: service.Page):
    """A page of API dicts as :class:`PageOut`'s document (or its data, see :func:`exact_json`)."""
    data = {"items": found.items, "total": found.total, "page": found.page, "page_size": found.page_size}
    return exact_json(data) or data


@router.get("/enterprises", response_model=PageOut[EnterpriseOut])
@json_route(kept=KEPT_SECONDS)
def list_enterprises(
    session: DbSession,
    principal: Reader,
    q: Annotated[str | None, Query(max_length=200, description="Name (simplified/traditional-insensitive) or USCC.")] = None,
    region: RegionCode = None,
    industry: Annotated[str | None, Query(max_length=4, description="Industry code prefix.")] = None,
    chain: Annotated[str | None, Query(max_length=32)] = None,
    label: Label | None = None,
    size: SizeClass | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> PageOut[EnterpriseOut]:
    """Enterprises matching the filters, by name."""
    where = service.EnterpriseFilter(q=q, region=region, industry=industry, chain=chain, label=label,
                                     size=size.value if size else None)
    found = rows.list_enterprises(session=session, principal=principal, where=where, page=page, page_size=page_size)
    return _page(found)


@router.get("/enterprises/{uscc}", response_model=EnterpriseOut)
@json_route(kept=KEPT_SECONDS)
def get_enterprise(session: DbSession, principal: Reader, uscc: str) -> EnterpriseOut:
    """One enterprise by its unified social credit code."""
    found = rows.get_enterprise(session=session, uscc=uscc, principal=principal)
    return exact_json(found) or found


@router.get("/links", response_model=PageOut[LinkOut])
@json_route(kept=KEPT_SECONDS)
def list_links(
    session: DbSession,
    principal: Reader,
    supplier: Annotated[str | None, Query(description="Supplier USCC.")] = None,
    customer: Annotated[str | None, Query(description="Customer USCC.")] = None,
    region: RegionCode = None,
    essential: bool | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 50,
) -> PageOut[LinkOut]:
    """Supply links, largest first."""
    found = rows.list_links(session=session, principal=principal, supplier=supplier, customer=customer, region=region,
                            essential=essential, page=page, page_size=page_size)
    return _page(found)


@router.get("/links/{link_id}", response_model=LinkOut)
@json_route
def get_link(session: DbSession, principal: Reader, link_id: ObjectId) -> LinkOut:
    """One supply link."""
    found = rows.get_link(session=session, link_id=link_id, principal=principal)
    return exact_json(found) or found
