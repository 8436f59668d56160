"""What the caller of an import may change, checked row by row (the same write scope as everywhere else).

* enterprises: a row may update an enterprise the caller may change (its region for an authority, itself for an
  enterprise user, any for the ministry or an administrator) and may place it only in a county the caller may change
  (an enterprise user keeps its own record wherever it is registered);
* links: at least one end (supplier or customer) must be an enterprise the caller may change, the other must exist;
  so an enterprise user declares only links where it is the supplier or the customer;
* products: anyone who may import adds new product codes; changing an existing product's name or industry is for
  the ministry and administrators, since the catalogue is national.

``principal=None`` is the operator: ``chainkeeper import`` without ``--as`` and the demo loader, with full rights.
"""

from __future__ import annotations

from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.auth.scope import enterprise_write_scope, writes_county, writes_everywhere
from chainkeeper.i18n import _, translate
from chainkeeper.registry.models import Enterprise

OUT_OF_SCOPE_ENTERPRISE = _("{code} lies outside what you may change ({scope})")
OUT_OF_SCOPE_COUNTY = _("county {value} lies outside what you may change ({scope})")
OUT_OF_SCOPE_LINK = _("neither the supplier nor the customer lies within what you may change ({scope})")
PRODUCT_CHANGE = _("product {code} already exists with another name or industry; only the ministry or an "
                   "administrator may change it")


class WriteAccess:
    """The caller's write scope, with the ids of the enterprises it may change read once (None = all)."""

    def __init__(self, session: Session, principal: Principal | None, language: str):
        self.principal = principal
        self.language = language
        self.everything = principal is None or writes_everywhere(principal)
        self.ids: set[int] | None = None
        if not self.everything:
            self.ids = set(session.scalars(select(Enterprise.id).where(enterprise_write_scope(principal))))

    @cached_property
    def scope(self) -> str:
        """The scope in words, for an out-of-scope message (worked out on the first one: an import without such
        an error does not load the message catalogue for it)."""
        return describe_scope(self.principal, self.language)

    def enterprise(self, enterprise_id: int) -> bool:
        """May the caller change this stored enterprise?"""
        return self.ids is None or enterprise_id in self.ids

    def own(self, enterprise_id: int) -> bool:
        """Is this the caller's own enterprise (an enterprise user)?"""
        principal = self.principal
        return principal is not None and principal.has(Role.enterprise) and principal.enterprise_id == enterprise_id

    def county(self, county_code: str) -> bool:
        """May the caller place an enterprise in this county?"""
        return self.everything or writes_county(self.principal, county_code)

    @property
    def products(self) -> bool:
        """May the caller change existing products?"""
        return self.everything


def describe_scope(principal: Principal | None, language: str) -> str:
    """What ``principal`` may change, in words: everything, its region, its own enterprise or nothing."""
    if principal is None or writes_everywhere(principal):
        return translate(_("everything"), language)
    parts = []
    if principal.has(*AUTHORITY_ROLES) and principal.region_code:
        parts.append(translate(_("region {region}"), language, region=principal.region_code))
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        parts.append(translate(_("your own enterprise"), language))
    return ", ".join(parts) or translate(_("nothing"), language)
