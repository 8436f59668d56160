"""Who may use the analyst's workspace: analysts and the ministry nationally, provincial, city and county
authorities for their own region (the services narrow what each sees: see :mod:`chainkeeper.analysis.results`)."""

from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

ANALYSIS = any_of("analysis", Role.analyst, Role.ministry, Role.province, Role.city, Role.county)
