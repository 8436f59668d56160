"""Who may call the docking routes; the services check the rest (own enterprise, the coordinator's region)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = policies.SIGNED_IN  # the catalogue; needs and lines scoped by the services
CATALOGUE = any_of("docking-catalogue", Role.ministry)
POST_NEED = any_of("docking-post-need", Role.enterprise, Role.province, Role.ministry)
COORDINATE = any_of("docking-coordinate", Role.province, Role.ministry)  # review, requisition, run, fix, publish
PLAN_READ = any_of("docking-plan-read", Role.province, Role.ministry, Role.analyst)
LINE_PARTY = any_of("docking-line-party", Role.enterprise, Role.province, Role.ministry)  # ship / receive
