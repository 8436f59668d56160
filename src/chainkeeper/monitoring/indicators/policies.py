"""Who may use the monthly indicators: the authorities, analysts and administrators read them (they are published
statistics); the ministry and provincial authorities import figures and set targets, a province for its own region
only (checked in the service: :func:`chainkeeper.monitoring.indicators.service.may_write`)."""

from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

INDICATORS_READ = any_of("indicators-read", Role.ministry, Role.analyst, Role.admin, Role.province, Role.city,
                         Role.county)
INDICATORS_WRITE = any_of("indicators-write", Role.ministry, Role.province)
