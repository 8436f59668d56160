"""Who may call the briefing's routes; the service checks the region (a province: its own briefing only)."""

from __future__ import annotations

from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = any_of("briefing-read", Role.ministry, Role.analyst, Role.admin, Role.province)
GENERATE = any_of("briefing-generate", Role.ministry, Role.province)
