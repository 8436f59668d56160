"""Contact through the platform: a buyer writes to the supplier of a listing, or a supplier to the buyer of a need;
the first message opens the thread between the two enterprises (one per post and pair), later ones answer in it.
Each message is e-mailed through the outbox to the other enterprise's users who have an address. Threads are
private to their two enterprises. Every write is audited; nothing here commits."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.models import User
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking.board import posts
from chainkeeper.docking.board.access import own_enterprise, thread_scope
from chainkeeper.docking.board.models import Message, Thread
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.notifications.service import enqueue_email
from chainkeeper.registry.models import Enterprise

EVENT = "board.message"
MAX_BODY = 4000
SUBJECT = _("Matching board: {sender} wrote about {subject}")
BODY = _("{sender} wrote about {subject}:\n\n{body}\n\nAnswer on the platform: /docking/board/threads/{thread}")


def _body(text: str) -> str:
    text = (text or "").strip()
    if not text or len(text) > MAX_BODY:
        raise refuse(ValidationFailed, _("write a message (at most {limit} characters)"), field="body",
                     limit=MAX_BODY)
    return text


def get(*, session: Session, caller: Caller, thread_id: int) -> Thread:
    """The thread if the caller's enterprise is a party to it (:class:`NotFound` otherwise)."""
    found = session.scalars(select(Thread).where(Thread.id == thread_id, thread_scope(caller.principal))).first()
    if found is None:
        raise refuse(NotFound, _("no conversation {id}"), id=thread_id)
    return found


def contact(*, session: Session, caller: Caller, kind: str, post_id: int, body: str) -> Thread:
    """Write to the other side of a post the caller may read: opens the thread (or adds to it)."""
    mine = own_enterprise(caller.principal)
    text = _body(body)
    post = posts.get(session=session, caller=caller, kind=kind, post_id=post_id)
    if post.enterprise_id == mine:
        raise refuse(ValidationFailed, _("this is your own enterprise's post"), field="post_id")
    buyer, supplier = (mine, post.enterprise_id) if kind == "listing" else (post.enterprise_id, mine)
    thread = session.scalars(select(Thread).where(Thread.kind == kind, Thread.post_id == post.id,
                                                  Thread.buyer_id == buyer, Thread.supplier_id == supplier)).first()
    if thread is None:
        thread = Thread(kind=kind, post_id=post.id, buyer_id=buyer, supplier_id=supplier, subject=post.title,
                        created_by=caller.actor.user_id)
        session.add(thread)
        session.flush()
        record(session=session, actor=caller.actor, action="board.thread.open", object_type="board_thread",
               object_id=thread.id, after={"kind": kind, "post_id": post.id, "buyer_id": buyer,
                                           "supplier_id": supplier})
    _add(session, caller, thread, mine, text)
    return thread


def reply(*, session: Session, caller: Caller, thread_id: int, body: str) -> Message:
    """Answer in a thread of the caller's enterprise."""
    mine = own_enterprise(caller.principal)
    text = _body(body)
    thread = get(session=session, caller=caller, thread_id=thread_id)
    return _add(session, caller, thread, mine, text)


def _add(session: Session, caller: Caller, thread: Thread, sender: int, text: str) -> Message:
    message = Message(thread_id=thread.id, enterprise_id=sender, author_id=caller.actor.user_id, body=text)
    thread.last_at = datetime.now(timezone.utc)
    session.add(message)
    session.flush()
    record(session=session, actor=caller.actor, action="board.message.post", object_type="board_thread",
           object_id=thread.id, after={"message_id": message.id, "enterprise_id": sender, "length": len(text)})
    _notify(session, thread, sender, text)
    return message


def _notify(session: Session, thread: Thread, sender: int, text: str) -> int:
    """E-mail the other enterprise's active users who have an address; how many."""
    other = thread.supplier_id if sender == thread.buyer_id else thread.buyer_id
    name = session.get(Enterprise, sender).name
    users = session.scalars(select(User).where(User.enterprise_id == other, User.is_active.is_(True),
                                               User.email != "")).all()
    for user in users:
        language = user.language or "zh_CN"
        params = {"sender": name, "subject": thread.subject, "body": text, "thread": thread.id}
        enqueue_email(session, to=user.email, subject=translate(SUBJECT, language, **params),
                      body=translate(BODY, language, **params), event=EVENT, object_type="board_thread",
                      object_id=thread.id)
    return len(users)


def listing(*, session: Session, caller: Caller, limit: int = 200) -> list[Thread]:
    """The caller's enterprise's threads, the latest active first."""
    query = select(Thread).where(thread_scope(caller.principal)).order_by(Thread.last_at.desc(), Thread.id.desc())
    return list(session.scalars(query.limit(limit)))


def messages(session: Session, thread: Thread) -> list[Message]:
    """A thread's messages, oldest first."""
    return list(session.scalars(select(Message).where(Message.thread_id == thread.id).order_by(Message.id)))
