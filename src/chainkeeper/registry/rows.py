"""The API's enterprises as plain rows: Core selects of the columns the API shows, no ORM entities.

The JSON API (``registry/api.py``) needs the same enterprises as :func:`service.list_enterprises` and
:func:`service.get_enterprise` (same filters, scope, order, page and count) but only as data: loading ORM entities
(identity map, instance state, the ``selectin`` load of labels) cost most of an API call. Each enterprise here is
a dict with the keys of :class:`~chainkeeper.registry.schemas.EnterpriseOut`, read with its labels in one statement.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.core.rows import dicts
from chainkeeper.errors import NotFound
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label
from chainkeeper.registry import service
from chainkeeper.registry.service import ALL, EnterpriseFilter, Page

LABELS = (select(func.aggregate_strings(EnterpriseLabel.label, ","))
          .where(EnterpriseLabel.enterprise_id == Enterprise.id).scalar_subquery().label("labels"))
"""The enterprise's label codes as one string (comma-separated, in no order): no second statement for them."""
COLUMNS = (Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.city_code, Enterprise.province_code,
           Enterprise.industry_code, Enterprise.size, Enterprise.chain_code, Enterprise.chain_set_by_hand, LABELS,
           Enterprise.contact_person, Enterprise.contact_phone)


def _as_dict(data: dict) -> dict:
    """A row of :data:`COLUMNS` (as a dict) as the API's enterprise (labels sorted, as ``Enterprise.label_codes``
    orders them)."""
    data["size"] = data["size"].value
    labels = data["labels"]
    data["labels"] = sorted(Label[name].value for name in labels.split(",")) if labels else []
    return data


def list_enterprises(*, session: Session, where: EnterpriseFilter = EnterpriseFilter(),
                     scope: ColumnElement[bool] = ALL, page: int = 1, page_size: int = 50) -> Page:
    """:func:`service.list_enterprises` (by name, then id) with each item an API dict."""
    found = service.enterprise_rows(session=session, columns=COLUMNS, where=where, scope=scope, page=page,
                                    page_size=page_size)
    keys = found.items[0]._fields if found.items else ()
    return Page([_as_dict(dict(zip(keys, row))) for row in found.items], found.total, found.page, found.page_size)


@lru_cache(maxsize=256)
def _one(principal: Principal):
    """The select of one enterprise by its (bound) USCC in the principal's scope, built once per principal."""
    return select(*COLUMNS).where(Enterprise.uscc == bindparam("uscc"), enterprise_scope(principal))


def get_enterprise(*, session: Session, uscc: str, principal: Principal) -> dict:
    """:func:`service.get_enterprise` as an API dict, or :class:`NotFound` (also when out of the principal's
    scope, :func:`~chainkeeper.auth.scope.enterprise_scope`)."""
    found = dicts(session, _one(principal), {"uscc": uscc_codes.normalize(uscc)})
    if not found:
        raise NotFound(f"no enterprise with code {uscc}")
    return _as_dict(found[0])
