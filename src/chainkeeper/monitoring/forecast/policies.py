"""Who may use the stoppage forecasts: authorities read their region's lines and the ministry and analysts all of
them; the ministry and provinces make a forecast (it runs on the whole registry); authorities open a desk case from
a line of their region (the desk's own rules then apply)."""

from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

READ = any_of("forecast-read", Role.analyst, Role.ministry, Role.province, Role.city, Role.county)
RUN = any_of("forecast-run", Role.ministry, Role.province)
CASE = any_of("forecast-case", Role.ministry, Role.province, Role.city, Role.county)
