"""Who may call the policy routes; the service checks the rest (own enterprise, the authority's region)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = policies.SIGNED_IN  # policies are public documents
EDIT = any_of("sme-policy-edit", Role.ministry, Role.province)  # a province for its own region (service check)
MATCH = any_of("sme-policy-match", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry)
SUBSCRIBE = any_of("sme-policy-subscribe", Role.enterprise)
