"""Who may call the white-list routes; finer checks (own enterprise, region, list scope) happen in the services."""

from __future__ import annotations

from contextlib import contextmanager

from fastapi import HTTPException

from chainkeeper.auth import policies
from chainkeeper.auth.deps import caller_of  # noqa: F401 - the pages and API take the caller from here
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role
from chainkeeper.whitelist.workflow import NotAllowed

READ = policies.SIGNED_IN  # lists, entries, agreements, recognition: every signed-in user (scoped where it matters)
APPLY = any_of("whitelist-apply", Role.enterprise)
WORKFLOW = any_of("whitelist-workflow", Role.enterprise, Role.county, Role.city, Role.province, Role.ministry)
REVIEW = any_of("whitelist-review", Role.county, Role.city, Role.province, Role.ministry)
MANAGE = any_of("whitelist-manage", Role.city, Role.province, Role.ministry)
NOMINATE = any_of("whitelist-nominate", Role.province)
RESUMPTION = any_of("whitelist-resumption", Role.enterprise, Role.city, Role.province, Role.ministry)
AGREEMENTS = any_of("whitelist-agreements", Role.ministry)
CATEGORIES = policies.ADMIN
EXPORT = any_of("whitelist-export", Role.county, Role.city, Role.province, Role.ministry, Role.analyst, Role.admin)


@contextmanager
def refusals():
    """Turn a service's :class:`NotAllowed` into a 403 (the transaction rolls back)."""
    try:
        yield
    except NotAllowed as refused:
        raise HTTPException(403, str(refused)) from refused
