"""Anchoring the audit chain outside the database: signed checkpoints of its head.

Whoever can write the database can rewrite the chain and its head consistently (delete the tail and move the
head back, wipe both tables, or delete an event and re-hash everything after it): the chain alone then verifies.
A checkpoint is a line of JSON appended to ``<data_dir>/audit-checkpoints.jsonl`` (mode 0600)::

    {"format": "chainkeeper-audit-checkpoint/1", "at": "…Z", "seq": 1234, "hash": "<head hash>",
     "key_id": "…", "signature": "<base64url Ed25519 over the canonical JSON without signature>"}

signed with the platform's credential key (:mod:`chainkeeper.core.keys`). :func:`check_anchors` then
demands that the chain is intact *and* still holds every checkpointed event with the checkpointed hash — which
none of the three rewrites can fake without the private key. Keep a copy of the file (or the printed head
hashes) on another machine: ``chainkeeper audit verify --expect-head HASH`` checks a hash kept anywhere.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from chainkeeper.audit.chain import ChainCheck, canonical_json, verify_chain
from chainkeeper.datadir import private_dir
from chainkeeper.errors import ValidationFailed

FORMAT = "chainkeeper-audit-checkpoint/1"
CHECKPOINTS_FILE = "audit-checkpoints.jsonl"
_EVENTS = table("audit_event", column("seq"), column("hash"))


class AnchorBroken(ValidationFailed):
    """A checkpoint's signature fails, or the chain no longer holds a checkpointed (or expected) head."""

    code = "audit_anchor_broken"


@dataclass(frozen=True)
class AnchorCheck:
    """The chain check plus how many checkpoints (and expected heads) it was held against."""

    chain: ChainCheck
    checkpoints: int
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when the chain is intact and every anchor holds."""
        return self.chain.ok and self.problem is None


def default_checkpoints_file() -> Path:
    """``<data_dir>/audit-checkpoints.jsonl`` of the configured settings."""
    from chainkeeper.config import get_settings

    return get_settings().data_dir / CHECKPOINTS_FILE


def _signed_body(document: dict) -> bytes:
    return canonical_json({name: value for name, value in document.items() if name != "signature"}).encode()


def write_checkpoint(*, session: Session, path: Path | None = None, key_dir: Path | None = None) -> dict:
    """Verify the chain, then append a signed checkpoint of its head to ``path``; the checkpoint written.

    Refuses (:class:`AnchorBroken`) when the chain is already broken: a rewritten log is never anchored."""
    from chainkeeper.core.keys import signing_key

    check = check_anchors(session=session, path=path)
    if not check.ok:
        raise AnchorBroken(f"the audit log is broken; no checkpoint written ({check.problem or check.chain.reason})")
    key = signing_key(key_dir)
    document = {"format": FORMAT, "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "seq": check.chain.events_checked, "hash": check.chain.last_hash, "key_id": key.key_id}
    signature = base64.urlsafe_b64encode(key.sign(_signed_body(document))).rstrip(b"=").decode("ascii")
    document["signature"] = signature
    _append(path or default_checkpoints_file(), json.dumps(document, sort_keys=True) + "\n")
    return document


def _append(path: Path, line: str) -> None:
    """Append one line (created 0600, flushed to disk before returning)."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.chmod(path, 0o600)


def read_checkpoints(path: Path, key_dir: Path | None = None) -> list[dict]:
    """The checkpoints of ``path`` (none when it does not exist), each signature checked."""
    from chainkeeper.core.keys import load_public_keys

    if not path.is_file():
        return []
    keys, found = load_public_keys(key_dir), []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            document = json.loads(line)
            key = keys[str(document["key_id"])]
            text = str(document["signature"])
            key.verify(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), _signed_body(document))
        except (ValueError, KeyError, TypeError, InvalidSignature):
            raise AnchorBroken(f"{path.name}, line {number}: not a checkpoint signed by a platform key") from None
        found.append(document)
    return found


def _hash_at(session: Session, seq: int) -> str | None:
    return session.execute(select(_EVENTS.c.hash).where(_EVENTS.c.seq == seq)).scalar()


def _holds(session: Session, seq: int, expected: str) -> bool:
    if seq == 0:
        return True
    return _hash_at(session, seq) == expected


def check_anchors(*, session: Session, path: Path | None = None, expect_heads: tuple[str, ...] = (),
                  key_dir: Path | None = None, chunk_size: int = 10_000, progress=None) -> AnchorCheck:
    """Verify the chain, then every checkpoint of ``path`` and every ``expect_heads`` hash against it."""
    chain = verify_chain(session=session, chunk_size=chunk_size, progress=progress)
    checkpoints = read_checkpoints(path or default_checkpoints_file(), key_dir)
    for point in checkpoints:
        if int(point["seq"]) > chain.events_checked or not _holds(session, int(point["seq"]), point["hash"]):
            return AnchorCheck(chain, len(checkpoints), f"checkpoint of {point['at']} (event {point['seq']}, "
                                                        f"head {point['hash'][:16]}…) no longer holds")
    for expected in expect_heads:
        seq = session.execute(select(_EVENTS.c.seq).where(_EVENTS.c.hash == expected)).scalar()
        if seq is None or seq > chain.events_checked:
            return AnchorCheck(chain, len(checkpoints), f"the expected head {expected[:16]}… is not in the log")
    return AnchorCheck(chain, len(checkpoints))


def checkpoint_job(engine) -> None:
    """One periodic checkpoint (the serve process's clock runs this)."""
    from chainkeeper.db import unit_of_work

    with unit_of_work(engine) as session:
        write_checkpoint(session=session)
