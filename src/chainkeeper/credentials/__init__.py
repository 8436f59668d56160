"""Signed electronic credentials: white-list certificates and vehicle passes, with QR codes and revocation.

Public API (keyword-only; the caller owns the transaction; changes are audited inside):

* :func:`issue_certificate`, :func:`revoke`, :func:`credentials_for`, :func:`check_payload` — for the white list;
* :func:`verify_payload` — pure offline verification (no database);
* :func:`ensure_signing_key`, :func:`create_demo_passes` — for the demo.

See ``docs/credentials.md``.
"""

from chainkeeper.credentials.demo import create_demo_passes
from chainkeeper.core.keys import ensure_signing_key
from chainkeeper.credentials.models import Credential, CredentialKind, PassStatus, VehiclePass
from chainkeeper.credentials.payload import Claims, Verdict, verify_payload
from chainkeeper.credentials.service import check_payload, credentials_for, issue_certificate, revoke

__all__ = ["Claims", "Credential", "CredentialKind", "PassStatus", "VehiclePass", "Verdict", "check_payload",
           "create_demo_passes", "credentials_for", "ensure_signing_key", "issue_certificate", "revoke",
           "verify_payload"]
