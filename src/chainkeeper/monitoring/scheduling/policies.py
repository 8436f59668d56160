"""Who may call daily scheduling's routes; the services check the finer rules (region, own enterprise)."""

from __future__ import annotations

from chainkeeper.auth import policies
from chainkeeper.auth.policies import any_of
from chainkeeper.auth.roles import Role

PICTURE = any_of("scheduling-picture", Role.county, Role.city, Role.province, Role.ministry, Role.analyst)
"""The picture: authorities for their region, the ministry and analysts for the country."""
GROUPS = any_of("scheduling-groups", Role.county, Role.city, Role.province, Role.ministry)
"""Key groups: authorities choose who reports in their region, the ministry anywhere."""
PROBLEM_CASE = any_of("scheduling-problem-case", Role.enterprise, Role.county, Role.city, Role.province,
                      Role.ministry)
"""A report's problem → a desk case: the enterprise itself or an authority of its region."""
REPORT_READ = policies.SIGNED_IN
"""A daily report's page: whoever may read the report (its enterprise, its region's authorities, national roles)."""
