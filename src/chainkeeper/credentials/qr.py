"""QR codes of credential payloads (segno): PNG for screens and printing, SVG for scaling.

Error correction level M, byte mode; a ~300-character payload fits in version 10–12, which phones and checkpoint
scanners read at A6 size and above.
"""

from __future__ import annotations

import io

import segno


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
