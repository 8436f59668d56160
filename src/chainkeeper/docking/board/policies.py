"""Who may call the board's routes; the services check the rest (visibility, own enterprise, the region)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = policies.SIGNED_IN  # posts, suggestions and events, scoped by the services
PARTY = any_of("board-party", Role.enterprise)  # post, close, contact, answer, take part
ORGANISE = any_of("board-organise", Role.ministry, Role.province, Role.city, Role.county)  # events
MATCH = any_of("board-match", Role.enterprise, Role.ministry, Role.province, Role.city, Role.county)  # matches, deals
