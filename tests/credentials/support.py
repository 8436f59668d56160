"""Helpers of the credential tests: a fixed today, an actor, and a PNG decoder for zxing-cpp."""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta

import numpy as np

from chainkeeper.audit.actor import Actor

TODAY = date(2026, 11, 28)
ACTOR = Actor(None, "test:credentials")


def days(n: int) -> date:
    """``TODAY`` shifted by ``n`` days."""
    return TODAY + timedelta(days=n)


def _chunks(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        yield kind, data[position + 8:position + 8 + length]
        position += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> list[bytearray]:
    rows, previous, position = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[position], bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]) & 0xFF
        rows.append(line)
        previous = line
    return rows


def decode_png(data: bytes) -> np.ndarray:
    """The image as an 8-bit greyscale array."""
    chunks = list(_chunks(data))
    width, height, depth, colour = struct.unpack(">IIBB", dict(chunks)[b"IHDR"][:10])
    palette = dict(chunks).get(b"PLTE")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = (width * depth + 7) // 8
    rows = _unfilter(raw, height, stride, max(1, depth // 8))
    bits = np.unpackbits(np.array(rows, dtype=np.uint8), axis=1, bitorder="big")
    values = bits.reshape(height, -1, depth)[:, :width, :] if depth < 8 else np.array(rows)[:, :width, None]
    weights = (1 << np.arange(depth - 1, -1, -1)) if depth < 8 else np.array([1])
    index = (values * weights).sum(axis=2)
    if colour == 3:
        grey = np.frombuffer(palette, dtype=np.uint8).reshape(-1, 3).mean(axis=1)
        return grey[index].astype(np.uint8)
    return (index * (255 // ((1 << depth) - 1))).astype(np.uint8)


def audit_mark(session) -> int:
    """The last audit sequence number now (the audit log is never emptied between tests)."""
    from sqlalchemy import func, select

    from chainkeeper.audit.models import AuditEvent

    return session.scalar(select(func.max(AuditEvent.seq))) or 0


def actions_since(session, mark: int, object_type: str, object_id) -> list[str]:
    """The audit actions on one object after ``mark``, oldest first."""
    from chainkeeper.audit.service import history

    return [e.action for e in history(session=session, object_type=object_type, object_id=object_id) if e.seq > mark]
