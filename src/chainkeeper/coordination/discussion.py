"""Comments and attachments on a case: internal comments stay with the authorities."""

from __future__ import annotations

from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.coordination.models import Case, CaseAttachment, CaseComment
from chainkeeper.coordination.scope import sees_internal
from chainkeeper.coordination.messages import refuse
from chainkeeper.i18n import _
from chainkeeper.errors import Forbidden, ValidationFailed
from chainkeeper.whitelist import attachments as files
from chainkeeper.core.caller import Caller

MAX_COMMENT = 5000


def add_comment(*, session: Session, caller: Caller, case: Case, body: str, internal: bool) -> CaseComment:
    """A comment on a visible case; only authorities may write internal ones."""
    text = body.strip()
    if not text or len(text) > MAX_COMMENT:
        raise refuse(ValidationFailed, _("a comment has 1 to 5,000 characters"), field="body")
    if internal and not sees_internal(caller.principal):
        raise refuse(Forbidden, _("only authorities write internal comments"))
    comment = CaseComment(case_id=case.id, author_id=caller.actor.user_id, author_name=caller.actor.name, body=text,
                          internal=internal)
    session.add(comment)
    session.flush()
    record(session=session, actor=caller.actor, action="case.comment", object_type="case", object_id=case.id,
           after={"comment_id": comment.id, "internal": internal})
    return comment


def attach(*, session: Session, caller: Caller, case: Case, filename: str, content_type: str,
           data: bytes) -> CaseAttachment:
    """Store a file (checked for type and size) and attach it to the case."""
    stored = files.store(session=session, filename=filename, content_type=content_type, data=data)
    link = CaseAttachment(case_id=case.id, attachment_id=stored.id, uploaded_by=caller.actor.user_id)
    session.add(link)
    session.flush()
    record(session=session, actor=caller.actor, action="case.attach", object_type="case", object_id=case.id,
           after={"attachment_id": stored.id, "filename": stored.filename, "sha256": stored.sha256})
    return link
