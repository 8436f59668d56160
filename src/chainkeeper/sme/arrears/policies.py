"""Who may call the arrears routes; the services check the rest (own complaints, the debtor once accepted, the
authority's region — :mod:`.scope` — and the transition table's guards)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = policies.SIGNED_IN  # scoped by complaint_scope: an unrelated user sees nothing
FILE = any_of("arrears-file", Role.enterprise, Role.ministry)  # an SME for itself; the ministry on behalf
STEP = any_of("arrears-step", Role.enterprise, Role.province, Role.ministry)  # the table's guards decide
LEDGER = any_of("arrears-ledger", Role.county, Role.city, Role.province, Role.ministry, Role.analyst, Role.admin)
PUBLISH = any_of("arrears-publish", Role.province, Role.ministry)
