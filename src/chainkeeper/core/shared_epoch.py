"""A revocation epoch shared by every process of an installation: a counter in memory plus a small file in the data
directory, rewritten (under a new inode) with a line no other bump writes on each bump.

Caches keep what they computed under an epoch and drop it when the epoch changes: reading it costs one read of the
file's first line (:meth:`DataDirFile.head`: exact, where a ``stat`` misses two bumps within one clock tick on a
reused inode); every serving worker and the CLI share the data directory, so a bump in one process is seen by all.
Used by the principal cache (``auth-epoch``, :mod:`chainkeeper.auth.session_cache`) and the pages' scoped
aggregates (``data-epoch``, :mod:`chainkeeper.core.data_epoch`, which marks the engine's writing transactions
itself). The principal cache marks the sessions whose writes matter to it with a flag in ``session.info`` and lets
:meth:`SharedEpoch.bump_after_commit` bump the epoch once they commit.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


HEAD_BYTES = 64
"""The longest first line :meth:`DataDirFile.head` reads."""
_READ_ONLY = os.O_RDONLY | os.O_CLOEXEC


class DataDirFile:
    """A small file ``name`` of the configured data directory, shared by every process of an installation, replaced
    whole (``os.replace``) by its writers: a reader sees either file, never a mix."""

    def __init__(self, name: str):
        self.name = name
        self._lock = threading.Lock()
        self._where: tuple[object, str] | None = None  # (the configured data directory, the file's path in it)

    def path(self) -> Path:
        """The shared file (in the configured data directory)."""
        return Path(self._file())

    def head(self) -> bytes | None:
        """The file's first line (its first :data:`HEAD_BYTES`), None while it cannot be read. Each writer makes it
        differ from every earlier one, so comparing it is exact; three system calls, no Python file object (issue 15:
        half a ``stat`` plus ``open`` on this machine)."""
        try:
            descriptor = os.open(self._file(), _READ_ONLY)
        except OSError:
            return None
        try:
            return os.read(descriptor, HEAD_BYTES).partition(b"\n")[0]
        except OSError:
            return None
        finally:
            os.close(descriptor)

    def _file(self) -> str:
        """The shared file's path, joined once per configured data directory (not a ``Path`` per request)."""
        from chainkeeper.config import get_settings

        data_dir = get_settings().data_dir
        where = self._where
        if where is None or where[0] is not data_dir:
            where = self._where = (data_dir, os.path.join(data_dir, self.name))
        return where[1]


class SharedEpoch(DataDirFile):
    """The epoch kept in file ``name`` of the data directory (and a counter of this process)."""

    def __init__(self, name: str):
        super().__init__(name)
        self._local = 0

    def current(self) -> tuple:
        """This process's counter and the shared file's line (None: no file): any bump anywhere changes it."""
        return self._local, self.head()

    def bump(self) -> None:
        """Change the epoch for this process and every process sharing the data directory."""
        with self._lock:
            self._local += 1
            local = self._local
        path = self.path()
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary = path.with_name(f"{self.name}.{os.getpid()}.{threading.get_ident()}")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # private, like the data
            with os.fdopen(descriptor, "w") as file:
                file.write(f"{time.time_ns()} {os.getpid()} {local}\n")  # (process, its counter): no earlier line
            os.replace(temporary, path)
        except OSError as error:  # the other processes keep their entries until they expire
            log.error("could not write the epoch file %s: %s", path, error)

    def bump_after_commit(self, flag: str, forget: tuple[str, ...] = ()) -> None:
        """Bump the epoch after every commit of a session whose ``session.info[flag]`` is set, for every session.

        SQLAlchemy 2 fires ``after_commit`` when a savepoint is released too: the transaction goes on, so the flag
        is kept and the bump waits for the outer commit. A savepoint's rollback keeps the flag as well (what was
        written before the savepoint still stands); the whole transaction's rollback drops it. The ``forget`` keys
        of ``session.info`` are dropped with the flag at the end of the (outer) transaction.
        """

        @event.listens_for(Session, "after_commit")
        def _bump_after_commit(session: Session) -> None:
            if session.in_nested_transaction():  # a savepoint released: the write is not committed yet
                return
            for key in forget:
                session.info.pop(key, None)
            if session.info.pop(flag, False):
                self.bump()

        @event.listens_for(Session, "after_rollback")
        def _forget_on_rollback(session: Session) -> None:
            if not session.in_nested_transaction():  # the whole transaction is gone (a savepoint's keeps the flag)
                session.info.pop(flag, None)
                for key in forget:
                    session.info.pop(key, None)
