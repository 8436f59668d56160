"""Who may call the desk's routes; the services check the finer rules (own enterprise, region, the table's guards)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role
from chainkeeper.auth.deps import caller_of

__all__ = ["READ", "FILE", "ACT", "AUTHORITY", "LETTERS", "REPORTS", "ROUTING", "caller_of"]

READ = policies.SIGNED_IN  # every signed-in user reads the cases in its scope (its own, for an enterprise)
FILE = any_of("desk-file", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry)
ACT = any_of("desk-act", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry)
AUTHORITY = any_of("desk-authority", Role.county, Role.city, Role.province, Role.ministry)
LETTERS = any_of("desk-letters", Role.province, Role.ministry)
REPORTS = any_of("desk-reports", Role.county, Role.city, Role.province, Role.ministry, Role.analyst, Role.admin)
ROUTING = policies.ADMIN

