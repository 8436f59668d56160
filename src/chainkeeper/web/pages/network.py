"""The small network picture of an enterprise: two tiers of suppliers and customers, inside the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _, translate
from chainkeeper.registry.link_rows import End, LinkRow, largest_links
from chainkeeper.web.pages.queries import Record, visible_ids

TIER_NAMES = {
    -2: _("Suppliers' suppliers"), -1: _("Suppliers"), 0: _("This enterprise"), 1: _("Customers"),
    2: _("Customers' customers"),
}
PER_TIER = 12  # the largest links only: a picture, not an analysis
COLUMN_WIDTH, ROW_HEIGHT = 260, 46


@dataclass
class Neighbourhood:
    """Enterprises by tier (negative = upstream) and the links between them."""

    tiers: dict[int, dict[int, Record | End]] = field(default_factory=dict)
    links: list[LinkRow] = field(default_factory=list)

    def tier_of(self, enterprise_id: int) -> int | None:
        """The tier an enterprise was placed in, or None."""
        return next((tier for tier, members in self.tiers.items() if enterprise_id in members), None)


def _step(session: Session, principal: Principal, frontier: set[int], upstream: bool) -> list[LinkRow]:
    """The largest visible links into (upstream) or out of (downstream) the frontier."""
    return largest_links(session, frontier, upstream=upstream, limit=PER_TIER, principal=principal)


def neighbourhood(session: Session, principal: Principal, centre: Record, depth: int = 2,
                  first: dict[int, list[LinkRow]] | None = None) -> Neighbourhood:
    """Walk ``depth`` tiers up and down from ``centre`` through links the principal may read.

    ``first`` may give the first step's links already read (-1: the largest links into ``centre``, 1: out of it,
    in :func:`_step`'s order, at least :data:`PER_TIER` of them or all there are): the page's first page of direct
    suppliers and customers is that query."""
    found = Neighbourhood(tiers={0: {centre.id: centre}})
    for sign in (-1, 1):
        frontier = {centre.id}
        for distance in range(1, depth + 1):
            tier: dict[int, Record | End] = {}
            known = (first or {}).get(sign) if distance == 1 else None
            for link in known[:PER_TIER] if known is not None else _step(session, principal, frontier,
                                                                          upstream=sign < 0):
                far = link.supplier if sign < 0 else link.customer
                if found.tier_of(far.id) is None:
                    tier[far.id] = far
                found.links.append(link)
            found.tiers[sign * distance] = tier
            frontier = set(tier)
            if not frontier:
                break
    return found


def chart_data(session: Session, principal: Principal, found: Neighbourhood, language: str) -> dict:
    """ECharts graph data: nodes laid out in columns by tier, links by annual value."""
    everyone = [e for members in found.tiers.values() for e in members.values()]
    openable = visible_ids(session, principal, (e.id for e in everyone))
    tiers = sorted(found.tiers)
    nodes = []
    for tier in tiers:
        members = sorted(found.tiers[tier].values(), key=lambda e: e.name)
        for row, enterprise in enumerate(members):
            nodes.append({
                "id": str(enterprise.id), "name": enterprise.name, "category": tiers.index(tier),
                "x": tier * COLUMN_WIDTH, "y": (row - (len(members) - 1) / 2) * ROW_HEIGHT,
                "uscc": enterprise.uscc if enterprise.id in openable else None,
                "symbolSize": 28 if tier == 0 else 16,
            })
    placed = {node["id"] for node in nodes}
    links = [{"source": str(link.supplier_id), "target": str(link.customer_id), "value": link.annual_value}
             for link in found.links if {str(link.supplier_id), str(link.customer_id)} <= placed]
    categories = [{"name": translate(TIER_NAMES[tier], language)} for tier in tiers]
    return {"kind": "graph", "nodes": nodes, "links": links, "categories": categories}
