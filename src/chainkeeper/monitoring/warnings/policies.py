"""Who may call the early-warning routes; the services check the region (see :mod:`.service`)."""

from __future__ import annotations

from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = any_of("warnings-read", Role.county, Role.city, Role.province, Role.ministry, Role.analyst)
ACKNOWLEDGE = any_of("warnings-acknowledge", Role.county, Role.city, Role.province, Role.ministry)
RULES = any_of("warning-rules", Role.province, Role.ministry)
