"""Pages of credentials: the public verify page, a credential with its QR code, the A4 printable view.

``/verify`` needs no sign-in: paste a scanned payload, or open ``/verify?p=PAYLOAD``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from sqlalchemy import select

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.credentials import policies, service
from chainkeeper.credentials.models import CredentialKind, VehiclePass
from chainkeeper.credentials.payload import Verdict
from chainkeeper.credentials.qr import qr_png, qr_svg
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages.queries import names_of
from chainkeeper.web.pages.rendering import SECURITY_HEADERS, render
from chainkeeper.web.pages.route import page_router

router = page_router()
Anyone = Annotated[Principal | None, guard(policies.VERIFY)]
Reader = Annotated[Principal, guard(policies.CREDENTIAL_READ)]
STATUS_LABELS = {
    "valid": _("Valid"), "revoked": _("Revoked"), "expired": _("Expired"), "forged": _("Forged"),
    "malformed": _("Not a credential"), "unknown_key": _("Unknown signing key"),
}
KIND_LABELS = {"certificate": _("White-list certificate"), "vehicle_pass": _("Vehicle pass")}
IMAGE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def _regions(session, verdict: Verdict | None) -> dict:
    fields = verdict.claims.fields if verdict and verdict.claims else {}
    return names_of(session, Region, (fields.get("origin"), fields.get("destination")))


@router.get("/verify")
def verify_page(request: Request, session: DbSession, _anyone: Anyone,
                p: Annotated[str, Query(max_length=2000)] = "") -> Response:
    """Check a payload (from the form or the ``p`` parameter) and say valid / revoked / expired / forged."""
    verdict = service.check_payload(session=session, payload=p, today=service.local_today()) if p.strip() else None
    return render(request, session, "credentials/verify.html", payload=p, verdict=verdict,
                  status_labels=STATUS_LABELS, kind_labels=KIND_LABELS, regions=_regions(session, verdict))


def _credential(session, principal: Principal, public_id: str):
    return service.get_credential(session=session, public_id=public_id[:16],
                                  scope=service.credential_scope(principal))


def _context(session, credential) -> dict:
    enterprise = session.get(Enterprise, credential.enterprise_id) if credential.enterprise_id else None
    vehicle_pass = session.scalar(select(VehiclePass).where(VehiclePass.credential_id == credential.id)) \
        if credential.kind is CredentialKind.vehicle_pass else None
    codes = (vehicle_pass.origin_code, vehicle_pass.destination_code) if vehicle_pass else ()
    return {"credential": credential, "enterprise": enterprise, "vehicle_pass": vehicle_pass,
            "regions": names_of(session, Region, codes), "kind_labels": KIND_LABELS}


@router.get("/credentials/{public_id}")
def credential_page(request: Request, session: DbSession, principal: Reader, public_id: str) -> Response:
    """A credential: what it certifies, its QR code, its payload, and links to print and verify."""
    credential = _credential(session, principal, public_id)
    return render(request, session, "credentials/detail.html", **_context(session, credential))


@router.get("/credentials/{public_id}/print")
def credential_print(request: Request, session: DbSession, principal: Reader, public_id: str) -> Response:
    """The A4 printable view (print CSS; no navigation)."""
    credential = _credential(session, principal, public_id)
    return render(request, session, "credentials/print.html", **_context(session, credential))


@router.get("/credentials/{public_id}/qr.png")
def credential_png(session: DbSession, principal: Reader, public_id: str) -> Response:
    """The QR code as PNG."""
    credential = _credential(session, principal, public_id)
    return Response(qr_png(credential.payload), media_type="image/png", headers=IMAGE_HEADERS)


@router.get("/credentials/{public_id}/qr.svg")
def credential_svg(session: DbSession, principal: Reader, public_id: str) -> Response:
    """The QR code as SVG."""
    credential = _credential(session, principal, public_id)
    headers = IMAGE_HEADERS | {"Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"]}
    return Response(qr_svg(credential.payload), media_type="image/svg+xml", headers=headers)
