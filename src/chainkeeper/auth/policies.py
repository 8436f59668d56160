"""Access policies that routes declare next to their definition."""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.auth.roles import Principal, Role


@dataclass(frozen=True)
class Policy:
    """Who may call a route: anyone (public), any signed-in user, or holders of some roles."""

    name: str
    roles: frozenset[Role] | None = None
    public: bool = False

    def allows(self, principal: Principal | None) -> bool:
        """True when ``principal`` (None = anonymous) may call."""
        if self.public:
            return True
        if principal is None:
            return False
        return self.roles is None or principal.has(*self.roles)


PUBLIC = Policy("public", public=True)
SIGNED_IN = Policy("signed-in")


def any_of(name: str, *roles: Role) -> Policy:
    """A policy for holders of any of ``roles``."""
    return Policy(name, frozenset(roles))


ADMIN = any_of("admin", Role.admin)
REGISTRY_READ = SIGNED_IN  # everyone signed in reads the registry, scoped to what they may see
REGISTRY_WRITE = any_of("registry-write", Role.admin, Role.ministry, Role.province, Role.city, Role.county)
AUDIT_READ = any_of("audit-read", Role.admin)
