"""Who may call the reporting routes; the services check the finer rules (own enterprise, region, type owner)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.deps import caller_of  # noqa: F401 - the pages and API take the caller from here
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = policies.SIGNED_IN  # types, reports and the day's status, each scoped by the service
SUBMIT = any_of("reports-submit", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry)
MANAGE = any_of("reports-manage", Role.county, Role.city, Role.province, Role.ministry)  # assign, remind
DEFINE = any_of("reports-define", Role.county, Role.city, Role.province, Role.ministry, Role.admin)
STATUS = any_of("reports-status", Role.county, Role.city, Role.province, Role.ministry, Role.analyst, Role.admin)
NAVIGATION = any_of("reports-menu", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry,
                    Role.analyst)  # the menu entry: those who report or watch reports (not the administrator)
