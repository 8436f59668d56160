"""Signed-in principals cached in memory, dropped everywhere the moment an account or session changes.

Resolving a session cookie costs a database round trip and two ORM objects on every request (issue 15). Each
serving process keeps what it resolved, keyed by the cookie's digest, while the **revocation epoch** it was read
under is still current:

* Every committed transaction that ends a session or changes an account (roles, bindings, password, active flag,
  name, language — anything but the login counters) **bumps the epoch** after its commit (tokens are not cached,
  so a token's use or revocation bumps nothing). The hook is
  on SQLAlchemy's session events, so the web, the API, the CLI and any service that writes through the ORM bump
  it without knowing about this cache.
* The epoch is shared by every process of the installation through a small file in the data directory
  (``auth-epoch``, rewritten under a new inode each time), which all workers and the CLI share already (keys,
  attachments). Reading it is one ``stat`` per request; a changed file empties the process's cache. Within a
  process an in-memory counter does the same without the file.
* The epoch is read *before* the database is asked, and bumped *after* the commit: an entry filled from the state
  before a revocation always carries an older epoch than the bump, so no stale entry survives it.
* Entries also expire with their session and after :data:`MAX_AGE` at most (a change made with plain SQL, outside
  the ORM, is seen within that time). Failed lookups are never cached; API tokens are not cached (their use is
  audited on each call anyway).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from chainkeeper.auth.models import LoginSession, User, UserRole, utcnow
from chainkeeper.auth.roles import Principal
from chainkeeper.core.shared_epoch import SharedEpoch

log = logging.getLogger(__name__)

EPOCH_FILE = "auth-epoch"
MAX_AGE = 60.0
"""Seconds an entry is trusted at most, whatever the epoch says."""
MAX_ENTRIES = 20_000
COUNTERS = frozenset({"failed_logins", "locked_until"})
"""User columns a login attempt changes; they do not change who the user is, so they revoke nothing."""
_FLAG = "chainkeeper.auth_changed"
_EPOCH = SharedEpoch(EPOCH_FILE)


def current_epoch() -> tuple:
    """This process's counter and the shared file's identity: any revocation anywhere changes it."""
    return _EPOCH.current()


def bump_epoch() -> None:
    """Invalidate every cached principal in every process sharing the data directory."""
    _EPOCH.bump()


# --- which writes revoke ----------------------------------------------------------------------------------------

def _revokes(session: Session) -> bool:
    for obj in session.deleted:
        if isinstance(obj, (LoginSession, User, UserRole)):
            return True
    for obj in session.new:
        if isinstance(obj, UserRole):
            return True
    for obj in session.dirty:
        if isinstance(obj, (UserRole, LoginSession)):
            return True
        if isinstance(obj, User):
            state = inspect(obj)
            if any(attr.history.has_changes() for attr in state.attrs if attr.key not in COUNTERS):
                return True
    return False


@event.listens_for(Session, "after_flush")
def _note_revocation(session: Session, _context) -> None:
    if _revokes(session):
        session.info[_FLAG] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_revocation(state) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and \
            state.bind_mapper.class_ in (LoginSession, User, UserRole):
        state.session.info[_FLAG] = True


_EPOCH.bump_after_commit(_FLAG)


# --- the cache ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    principal: Principal
    csrf: str
    expires_at: datetime
    epoch: tuple
    stored: float


class PrincipalCache:
    """Per-process map from a session cookie's digest to its principal and CSRF token (see the module's notes)."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: dict[str, Entry] = {}
        self._epoch: tuple | None = None

    def get(self, digest: str) -> tuple[Principal, str] | None:
        """The cached principal and CSRF token, or None when unknown, expired or possibly revoked."""
        epoch = current_epoch()
        if epoch != self._epoch:
            self._entries, self._epoch = {}, epoch
            return None
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if entry.epoch != epoch or time.monotonic() - entry.stored > MAX_AGE or entry.expires_at <= utcnow():
            self._entries.pop(digest, None)
            return None
        return entry.principal, entry.csrf

    def put(self, digest: str, principal: Principal, csrf: str, expires_at: datetime, epoch: tuple) -> None:
        """Remember a resolution made under ``epoch`` (read before the database was asked)."""
        if epoch != self._epoch:
            return  # something was revoked meanwhile: the answer may be stale already
        if len(self._entries) >= self.max_entries:
            self._entries = {}
        self._entries[digest] = Entry(principal, csrf, expires_at, epoch, time.monotonic())


class KeptPerUser:
    """Per-process map from a user id to something read from that user's account (e.g. ``/me``'s JSON), kept while
    the revocation epoch is unchanged — any change to any account bumps it — and :data:`MAX_AGE` at most."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: dict[int, tuple[object, float]] = {}
        self._epoch: tuple | None = None

    def get(self, user_id: int) -> object | None:
        """What was kept for ``user_id``, or None when unknown, too old or possibly changed."""
        epoch = current_epoch()
        if epoch != self._epoch:
            self._entries, self._epoch = {}, epoch
            return None
        found = self._entries.get(user_id)
        if found is None or time.monotonic() - found[1] > MAX_AGE:
            return None
        return found[0]

    def put(self, user_id: int, value: object, epoch: tuple) -> None:
        """Keep ``value``, read from the database under ``epoch`` (read before the database was asked)."""
        if epoch != self._epoch:
            return  # an account changed meanwhile: the value may be stale already
        if len(self._entries) >= self.max_entries:
            self._entries = {}
        self._entries[user_id] = (value, time.monotonic())
