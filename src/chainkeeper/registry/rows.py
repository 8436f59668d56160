"""The API's enterprises as plain rows: Core selects of the columns the API shows, no ORM entities.

The JSON API (``registry/api.py``) needs the same enterprises as :func:`service.list_enterprises` and
:func:`service.get_enterprise` (same filters, scope, order, page and count) but only as data: loading ORM entities
(identity map, instance state, the ``selectin`` load of labels) cost most of an API call. Each enterprise here is
a dict with the keys of :class:`~chainkeeper.registry.schemas.EnterpriseOut`, in its order.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from chainkeeper.errors import NotFound
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Enterprise, EnterpriseLabel
from chainkeeper.registry.service import ALL, EnterpriseFilter, Page, _bounds, _count, _filtered

COLUMNS = (Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.city_code,
           Enterprise.province_code, Enterprise.industry_code, Enterprise.size, Enterprise.chain_code,
           Enterprise.chain_set_by_hand, Enterprise.contact_person, Enterprise.contact_phone)


def _as_dicts(session: Session, rows: Sequence) -> list[dict]:
    """Rows of :data:`COLUMNS` as the API's enterprises, with their label codes (one query for all)."""
    labels: dict[int, list[str]] = {row.id: [] for row in rows}
    if rows:
        query = (select(EnterpriseLabel.enterprise_id, EnterpriseLabel.label)
                 .where(EnterpriseLabel.enterprise_id.in_(list(labels)))
                 .order_by(EnterpriseLabel.enterprise_id, EnterpriseLabel.label))
        for enterprise_id, label in session.execute(query):
            labels[enterprise_id].append(label.value)
    return [{"uscc": r.uscc, "name": r.name, "county_code": r.county_code, "city_code": r.city_code,
             "province_code": r.province_code, "industry_code": r.industry_code, "size": r.size.value,
             "chain_code": r.chain_code, "chain_set_by_hand": r.chain_set_by_hand, "labels": labels[r.id],
             "contact_person": r.contact_person, "contact_phone": r.contact_phone} for r in rows]


def list_enterprises(*, session: Session, where: EnterpriseFilter = EnterpriseFilter(),
                     scope: ColumnElement[bool] = ALL, page: int = 1, page_size: int = 50) -> Page:
    """:func:`service.list_enterprises` (by name, then id) with each item an API dict."""
    page, page_size = _bounds(page, page_size)
    order = (Enterprise.name, Enterprise.id)
    ids = _filtered(session, select(Enterprise.id).where(scope), where).order_by(*order)
    paged = ids.offset((page - 1) * page_size).limit(page_size).correlate(None)
    rows = session.execute(select(*COLUMNS).where(Enterprise.id.in_(paged)).order_by(*order)).all()
    return Page(_as_dicts(session, rows), _count(session, ids), page, page_size)


def get_enterprise(*, session: Session, uscc: str, scope: ColumnElement[bool] = ALL) -> dict:
    """:func:`service.get_enterprise` as an API dict, or :class:`NotFound` (also when out of scope)."""
    row = session.execute(select(*COLUMNS).where(Enterprise.uscc == uscc_codes.normalize(uscc), scope)).first()
    if row is None:
        raise NotFound(f"no enterprise with code {uscc}")
    return _as_dicts(session, [row])[0]
