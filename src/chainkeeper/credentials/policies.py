"""Access policies of credentials and vehicle passes (scoping in the query layer narrows them further)."""

from chainkeeper.auth.policies import PUBLIC, SIGNED_IN, any_of
from chainkeeper.auth.roles import Role

VERIFY = PUBLIC  # anyone, signed in or not, may check a payload; public keys and revocations are public too
CREDENTIAL_READ = SIGNED_IN  # scoped: own enterprise, region, or national
# a pass's credential is revoked through its pass (issuer's authority, ministry, admin); certificates through entries
CREDENTIAL_REVOKE = any_of("credential-revoke", Role.admin, Role.ministry, Role.province, Role.city, Role.county)
PASS_READ = SIGNED_IN  # scoped: own enterprise's passes, origin/destination in the region, or national
PASS_APPLY = any_of("pass-apply", Role.enterprise)
PASS_REVIEW = any_of("pass-review", Role.county, Role.city, Role.province)
# the issuer's authority (or one above it) revokes; the ministry and administrators may revoke any pass
PASS_REVOKE = any_of("pass-revoke", Role.county, Role.city, Role.province, Role.ministry, Role.admin)
