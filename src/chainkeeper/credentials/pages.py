"""Pages of credentials: the public verify page, a credential with its QR code, the A4 printable view.

``/verify`` needs no sign-in: open the URL a QR code holds (``/verify?p=PAYLOAD``), scan the code with the
device's camera or a photo on the page (decoded in the browser, offline), or paste a scanned payload.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from sqlalchemy import select

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.credentials import policies, service
from chainkeeper.config import get_settings
from chainkeeper.credentials.models import Credential, CredentialKind, VehiclePass, VehiclePassCrew
from chainkeeper.credentials.payload import Verdict
from chainkeeper.credentials.qr import qr_png, qr_svg, verify_url
from chainkeeper.i18n import _
from chainkeeper.reference.cache import full_region_names
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages.rendering import SECURITY_HEADERS, render, request_language
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


def public_base(request: Request) -> str:
    """The address phones reach the platform at: the ``public_url`` setting, else this request's."""
    return get_settings().public_url or str(request.base_url)


def _category_names(session, language: str) -> dict[str, str]:
    from chainkeeper.whitelist.models import Category  # the white list owns its categories

    rows = session.execute(select(Category.code, Category.name_zh, Category.name_en)).all()
    return {code: name_en if language == "en" else name_zh for code, name_zh, name_en in rows}


def _crew(session, claims) -> list[str]:
    """The names of a pass's drivers and escorts (what the checkpoint compares with papers; no phone numbers)."""
    if claims is None or claims.kind != "vehicle_pass":
        return []
    query = (select(VehiclePassCrew.name).join(VehiclePass, VehiclePass.id == VehiclePassCrew.pass_id)
             .join(Credential, Credential.id == VehiclePass.credential_id)
             .where(Credential.public_id == claims.credential_id).order_by(VehiclePassCrew.position))
    return list(session.scalars(query))


def verdict_context(session, verdict: Verdict | None, language: str) -> dict:
    """What the verdict's template needs: labels in the reader's language, full region names, the crew."""
    claims = verdict.claims if verdict else None
    fields = claims.fields if claims else {}
    return {"verdict": verdict, "status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS,
            "regions": full_region_names(session, (fields.get("origin"), fields.get("destination"))),
            "categories": _category_names(session, language) if claims else {}, "crew": _crew(session, claims)}


@router.get("/verify")
def verify_page(request: Request, session: DbSession, _anyone: Anyone,
                p: Annotated[str, Query(max_length=2000)] = "",
                c: Annotated[str, Query(max_length=2000)] = "") -> Response:
    """Check a payload (from the form, the scanner, or the ``p``/``c`` parameter) and say valid / revoked / …"""
    payload = (p or c).strip()
    verdict = service.check_payload(session=session, payload=payload, today=service.local_today()) \
        if payload else None
    return render(request, session, "credentials/verify.html", payload=payload,
                  **verdict_context(session, verdict, request_language(request)))


def _credential(session, principal: Principal, public_id: str):
    return service.get_credential(session=session, public_id=public_id[:16],
                                  scope=service.credential_scope(principal))


def _context(session, credential, language: str) -> dict:
    enterprise = session.get(Enterprise, credential.enterprise_id) if credential.enterprise_id else None
    vehicle_pass = session.scalar(select(VehiclePass).where(VehiclePass.credential_id == credential.id)) \
        if credential.kind is CredentialKind.vehicle_pass else None
    codes = (vehicle_pass.origin_code, vehicle_pass.destination_code) if vehicle_pass else ()
    return {"credential": credential, "enterprise": enterprise, "vehicle_pass": vehicle_pass,
            "regions": full_region_names(session, codes), "kind_labels": KIND_LABELS,
            "categories": _category_names(session, language)}


@router.get("/credentials/{public_id}")
def credential_page(request: Request, session: DbSession, principal: Reader, public_id: str) -> Response:
    """A credential: what it certifies, its QR code, its payload, and links to print and verify."""
    credential = _credential(session, principal, public_id)
    return render(request, session, "credentials/detail.html", **_context(session, credential, request_language(request)))


@router.get("/credentials/{public_id}/print")
def credential_print(request: Request, session: DbSession, principal: Reader, public_id: str) -> Response:
    """The A4 printable view (print CSS; no navigation)."""
    credential = _credential(session, principal, public_id)
    return render(request, session, "credentials/print.html", **_context(session, credential, request_language(request)))


@router.get("/credentials/{public_id}/qr.png")
def credential_png(request: Request, session: DbSession, principal: Reader, public_id: str) -> Response:
    """The QR code (the credential's verify URL) as PNG."""
    credential = _credential(session, principal, public_id)
    return Response(qr_png(verify_url(credential.payload, public_base(request))), media_type="image/png",
                    headers=IMAGE_HEADERS)


@router.get("/credentials/{public_id}/qr.svg")
def credential_svg(request: Request, session: DbSession, principal: Reader, public_id: str) -> Response:
    """The QR code (the credential's verify URL) as SVG."""
    credential = _credential(session, principal, public_id)
    headers = IMAGE_HEADERS | {"Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"]}
    return Response(qr_svg(verify_url(credential.payload, public_base(request))), media_type="image/svg+xml",
                    headers=headers)
