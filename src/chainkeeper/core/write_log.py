"""The log of narrow writes: committed writes whose reach is known (:mod:`chainkeeper.core.data_epoch`), shared by
every process of an installation through one small file in the data directory.

A narrow write is a transaction that wrote only rows whose effect on the views that opt in is described by a set of
*touches* (short strings, say ``r320583`` for a region, ``e17`` for an enterprise; the desk's cases,
:mod:`chainkeeper.coordination.case_writes`). Instead of ending every kept view (the data epoch), its commit appends
its touches to this log. A view kept under a mark of the log (:meth:`WriteLog.current`) that opted in stays valid
while none of the writes after its mark touched what it can see (:meth:`WriteLog.touched_since`); every other view
ends on any change of the mark, as on a bump of the data epoch.

The file holds a generation (random, made with the file: a mark of an older file never matches a newer one), the
last sequence number and the touches of the last :data:`KEPT_WRITES` writes. Appending takes an exclusive lock on a
side file and replaces the log (``os.replace``); readers read its first line on every check
(:meth:`~chainkeeper.core.shared_epoch.DataDirFile.head`: a ``stat`` can miss a change within a clock tick) and parse
the rest only when that line changed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from chainkeeper.core.shared_epoch import DataDirFile

log = logging.getLogger(__name__)

KEPT_WRITES = 512
"""Writes remembered: a view marked before the oldest one kept is no longer valid (it could not be checked)."""

Mark = tuple[str, int]
"""(generation of the log file, sequence number of its last write)."""


class WriteLog(DataDirFile):
    """The log in file ``name`` of the data directory."""

    def __init__(self, name: str):
        super().__init__(name)
        self._parsed: tuple[str, Mark, int, list[frozenset[str]]] | None = None

    def current(self) -> Mark:
        """The mark of the last write logged (``("", 0)`` while there is no log)."""
        return self._read()[1]

    def touched_since(self, mark: Mark, sees: Callable[[frozenset[str]], bool]) -> bool:
        """Whether a write logged after ``mark`` touched something ``sees`` accepts; True when that is not known (a
        mark of another generation, or older than the writes kept)."""
        _, (generation, last), first, touches = self._read()
        if mark == ("", 0):  # no log then: every write kept is later, unless some were dropped
            mark = (generation, 0)
        if mark[0] != generation or mark[1] > last or mark[1] < first - 1:
            return True
        return any(sees(touched) for touched in touches[mark[1] - first + 1:])

    def append(self, touches: Iterable[str]) -> bool:
        """Log one committed write; False when the file could not be written (the caller must end every view)."""
        path = self.path()
        line = " ".join(sorted(set(touches)))
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self._lock, open(path.with_name(self.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                generation, last, lines = _parse_text(_text(path))
                lines = (lines + [line])[-KEPT_WRITES:]
                temporary = path.with_name(f"{self.name}.{os.getpid()}.{threading.get_ident()}")
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(descriptor, "w") as file:
                    file.write(f"{generation or secrets.token_hex(8)} {last + 1}\n" + "".join(
                        f"{entry}\n" for entry in lines))
                os.replace(temporary, path)  # the head line names a new sequence number: readers see the change
        except OSError as error:
            log.error("could not write the write log %s: %s", path, error)
            return False
        return True

    def _read(self) -> tuple[str, Mark, int, list[frozenset[str]]]:
        """(the log's head line, its mark, the sequence number of its first write kept, the writes' touches): the
        head is read on every call (a file's ``stat`` may not change within a clock tick when an inode is reused),
        the rest only when the head changed."""
        head = (self.head() or b"").decode()
        parsed = self._parsed
        if parsed is not None and parsed[0] == head:
            return parsed
        generation, last, lines = _parse_text(_text(self.path()))
        parsed = ("" if not generation else f"{generation} {last}", (generation, last), last - len(lines) + 1,
                  [frozenset(entry.split()) for entry in lines])
        self._parsed = parsed
        return parsed


def _text(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _parse_text(text: str) -> tuple[str, int, list[str]]:
    """(generation, last sequence number, the kept writes' lines) of a log's text; an unreadable head starts anew."""
    head, _, rest = text.partition("\n")
    parts = head.split()
    if len(parts) != 2 or not parts[1].isdigit():
        return "", 0, []
    return parts[0], int(parts[1]), rest.splitlines()
