"""QR codes of credential payloads (segno): PNG for screens and printing, SVG for scaling.

A code holds the verify URL of its payload (``<public URL>/verify?p=CK1.…``): a phone's camera app opens the
verify page, and ``chainkeeper verify`` reads the payload out of the URL offline. Error correction level M, byte
mode; a ~340-character URL fits in version 12–14, which phones and checkpoint scanners read at A6 size and above.
"""

from __future__ import annotations

import io

import segno


def verify_url(payload: str, base_url: str) -> str:
    """The address of the verify page for ``payload`` under ``base_url`` (the payload is URL-safe as it is)."""
    return f"{base_url.rstrip('/')}/verify?p={payload}"


def _code(payload: str):
    return segno.make(payload, error="m", micro=False, boost_error=False)


def qr_png(payload: str, *, scale: int = 6) -> bytes:
    """The QR code of ``payload`` as PNG bytes (4-module quiet zone)."""
    buffer = io.BytesIO()
    _code(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(payload: str, *, scale: int = 4) -> bytes:
    """The QR code of ``payload`` as standalone SVG bytes."""
    buffer = io.BytesIO()
    _code(payload).save(buffer, kind="svg", scale=scale, border=4, xmldecl=True, title="chainkeeper credential")
    return buffer.getvalue()
