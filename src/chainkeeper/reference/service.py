"""Lookups on the reference tables: regions and their nesting, region groups, key chains."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.errors import NotFound
from chainkeeper.reference.models import KeyChain, Region, RegionGroup, RegionGroupMember


def get_region(*, session: Session, code: str) -> Region:
    """The region with this code, or :class:`NotFound`."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound(f"no region with code {code}")
    return region


def is_within(region: Region, ancestor_code: str) -> bool:
    """True when ``region`` is ``ancestor_code`` or lies inside it (one comparison, no walk up the tree)."""
    own = {2: region.province_code, 4: region.city_code, 6: region.code}
    return own.get(len(ancestor_code)) == ancestor_code


def region_group_members(*, session: Session, group_code: str) -> list[str]:
    """The region codes (provinces or prefectures) of a region group."""
    if session.get(RegionGroup, group_code) is None:
        raise NotFound(f"no region group {group_code}")
    query = select(RegionGroupMember.region_code).where(RegionGroupMember.group_code == group_code)
    return sorted(session.scalars(query))


def in_region_group(*, session: Session, region: Region, group_code: str) -> bool:
    """True when ``region`` lies inside any member of the group."""
    return any(is_within(region, member) for member in region_group_members(session=session, group_code=group_code))


def list_chains(*, session: Session) -> list[KeyChain]:
    """The key chains in display order."""
    return list(session.scalars(select(KeyChain).order_by(KeyChain.position)))
