"""The data epoch: changes after every committed write, in every process of the installation.

Aggregates that pages reuse for a few seconds (:class:`chainkeeper.web.pages.scoped_cache.ScopedCache`: the
registry overview's counts, the home page's national picture and live panels) are kept under the epoch their
transaction began in and dropped as soon as it changes, so a cached figure never outlives a write:

* A session that flushed changes (``after_flush``: new, changed or deleted objects) or ran an INSERT, UPDATE or
  DELETE statement through the session (``do_orm_execute``) is marked; after its commit the epoch is bumped
  (:class:`chainkeeper.core.shared_epoch.SharedEpoch`: an in-process counter and the file ``data-epoch`` in the data
  directory, so the other workers and the CLI count too). A rolled-back transaction bumps nothing.
* Each transaction records the epoch at its beginning (``after_begin``, before its first statement): whatever it
  reads is at least as new as that epoch, and an entry stored under it is dropped by any later bump — also one
  that lands while the aggregate is being computed.
* Writes made on a bare Core connection, outside any session (migrations), are not seen: the caches' time to live
  bounds those.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from chainkeeper.core.shared_epoch import SharedEpoch

EPOCH_FILE = "data-epoch"
_WROTE = "chainkeeper.data_written"
_BEGAN = "chainkeeper.data_epoch"
_EPOCH = SharedEpoch(EPOCH_FILE)


def current() -> tuple:
    """The epoch now (one ``stat`` of the shared file)."""
    return _EPOCH.current()


def bump() -> None:
    """Declare every cached aggregate stale, in every process sharing the data directory."""
    _EPOCH.bump()


def wrote(session: Session) -> None:
    """Mark the session's transaction as a write that the ORM cannot see (statements on its connection, bulk
    copies): its commit bumps the epoch."""
    session.info[_WROTE] = True


def of_transaction(session: Session) -> tuple | None:
    """The epoch the session's transaction began in, or None when it has written (its reads are not committed
    data) or has not begun."""
    if session.info.get(_WROTE) or session.new or session.dirty or session.deleted:
        return None
    return session.info.get(_BEGAN)


@event.listens_for(Session, "after_begin")
def _note_begin(session: Session, _transaction, _connection) -> None:
    if _transaction.nested:
        return
    session.info[_BEGAN] = current()


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


_EPOCH.bump_after_commit(_WROTE, forget=(_BEGAN,))
