"""Contingency-plan files: stored once per content hash under ``<data_dir>/attachments/``, with size/type limits."""

from __future__ import annotations

import hashlib
import io
import zipfile
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


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


CONTENT_CHECKS = {
    "application/pdf": lambda data: b"%PDF" in data[:1024],
    "application/msword": lambda data: data.startswith(OLE2),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _is_docx,
    "text/plain": _is_text,
    "image/png": lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda data: data.startswith(b"\xff\xd8\xff"),
}
"""What the bytes of each accepted type begin with: the type the browser claims is not trusted."""


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
    if not CONTENT_CHECKS[content_type](data):
        raise ValidationFailed(f"the file's content is not {ALLOWED_TYPES[content_type]} as its type claims",
                               [{"field": "file", "message": "content"}])
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
