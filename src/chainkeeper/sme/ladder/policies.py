"""Who may call the ladder routes; the services check the rest (own enterprise, the reviewer's level and region)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = policies.SIGNED_IN  # the rules; applications, recognitions and dashboards scoped by the services
ASSESS = policies.SIGNED_IN  # a self-assessment stores nothing; the enterprise must be in the caller's scope
APPLY = any_of("ladder-apply", Role.enterprise)
REVIEW = any_of("ladder-review", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry)  # + withdraw
REVOKE = any_of("ladder-revoke", Role.province, Role.ministry)
