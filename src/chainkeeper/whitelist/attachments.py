"""Contingency-plan files: stored once per content hash under ``<data_dir>/attachments/``, with size/type limits."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from chainkeeper.datadir import private_dir, write_private
from chainkeeper.errors import ValidationFailed
from chainkeeper.whitelist.models import Attachment

MAX_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}


def attachment_dir() -> Path:
    """Where attachments live."""
    from chainkeeper.config import get_settings

    return get_settings().data_dir / "attachments"


def _safe_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip() or "plan"
    return "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')[:200] or "plan"


def store(*, session: Session, filename: str, content_type: str, data: bytes, root: Path | None = None) -> Attachment:
    """Check and store a file; returns its (flushed) record."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type not in ALLOWED_TYPES:
        raise ValidationFailed("this file type is not accepted", [{"field": "file", "message": content_type}])
    if not data or len(data) > MAX_BYTES:
        raise ValidationFailed("the file is empty or larger than 10 MB", [{"field": "file", "message": "size"}])
    digest = hashlib.sha256(data).hexdigest()
    folder = root or attachment_dir()
    private_dir(folder)
    path = folder / digest
    if not path.exists():
        write_private(path, data)
    record = Attachment(filename=_safe_name(filename), content_type=content_type, size=len(data), sha256=digest)
    session.add(record)
    session.flush()
    return record


def read(attachment: Attachment, root: Path | None = None) -> bytes:
    """The stored bytes, checked against the hash."""
    data = ((root or attachment_dir()) / attachment.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValidationFailed("the stored file does not match its hash")
    return data
