"""The roles of the platform and the principal (the authenticated caller) with its scope."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from chainkeeper.i18n import _


class Role(str, enum.Enum):
    """A role a user may hold; a user may hold several."""

    enterprise = "enterprise"  # bound to one enterprise
    county = "county"  # county authority, bound to a 6-digit region code
    city = "city"  # prefecture authority, bound to a 4-digit region code
    province = "province"  # provincial authority, bound to a 2-digit region code
    ministry = "ministry"  # national coordinator
    analyst = "analyst"  # national, read-only
    admin = "admin"  # users, reference tables, settings


ROLE_LABELS = {
    Role.enterprise: _("enterprise user"),
    Role.county: _("county authority"),
    Role.city: _("city authority"),
    Role.province: _("provincial authority"),
    Role.ministry: _("ministry coordinator"),
    Role.analyst: _("analyst"),
    Role.admin: _("administrator"),
}
AUTHORITY_ROLES = frozenset({Role.county, Role.city, Role.province})
NATIONAL_ROLES = frozenset({Role.ministry, Role.analyst, Role.admin})
REGION_LENGTH = {Role.county: 6, Role.city: 4, Role.province: 2}


@dataclass(frozen=True)
class Principal:
    """The caller of a request: a user (through a session or an API token) with roles and bindings."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    enterprise_id: int | None = None
    region_code: str | None = None
    token_id: int | None = None
    session_id: int | None = None
    language: str = "zh_CN"
    extra: dict = field(default_factory=dict, compare=False)

    def has(self, *roles: Role) -> bool:
        """True when the principal holds any of ``roles``."""
        return bool(self.roles.intersection(roles))

    @property
    def is_national(self) -> bool:
        """Sees the whole country (ministry, analyst, administrator)."""
        return self.has(*NATIONAL_ROLES)

    @property
    def main_role(self) -> Role:
        """The broadest role held, for display."""
        order = [Role.admin, Role.ministry, Role.analyst, Role.province, Role.city, Role.county, Role.enterprise]
        return next(role for role in order if role in self.roles)
