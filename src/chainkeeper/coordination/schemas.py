"""API shapes of the coordination desk."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from chainkeeper.coordination.models import (
    Case, CaseCategory, CaseComment, CaseEvent, CaseState, Letter, LetterState, Level, Urgency,
)
from chainkeeper.coordination.workflow import Action
from chainkeeper.credentials.schemas import Text

_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _prose(value: str) -> str:
    if _CONTROL_BUT_LINES.search(value):
        raise ValueError("control characters are not allowed")
    return value


Prose = Annotated[str, AfterValidator(_prose)]
"""Free text over several lines: line breaks and tabs are fine, other control characters are refused."""


class CaseIn(BaseModel):
    """A new case. An enterprise files for itself; an authority names the requester."""

    category: CaseCategory
    title: Text = Field(min_length=1, max_length=200)
    blocked: Prose = Field(default="", max_length=5000, description="What is blocked.")
    help_wanted: Prose = Field(default="", max_length=5000, description="What help is asked.")
    requester_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    blocking_uscc: Text | None = Field(default=None, max_length=18)
    blocking_name: Text = Field(default="", max_length=200)
    blocking_region_code: Text | None = Field(default=None, pattern=r"^\d{2}(\d{2}){0,2}$")
    products: Text = Field(default="", max_length=500)
    urgency: Urgency = Urgency.normal
    chain_code: Text | None = Field(default=None, max_length=32)


class ActionIn(BaseModel):
    """One workflow action on a case."""

    action: Action
    reason: Prose = Field(default="", max_length=2000)
    text: Prose = Field(default="", max_length=5000, description="The measures, for feedback.")
    liaison_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    merged_into_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    version: int | None = Field(default=None, ge=1, le=2_147_483_647, description=(
        "The case's version the caller saw; another change since then answers 409 conflict."))


class CommentIn(BaseModel):
    """A comment; internal ones are for authorities only."""

    body: Prose = Field(min_length=1, max_length=5000)
    internal: bool = False


class CaseOut(BaseModel):
    """A case as the queue shows it."""

    id: int
    ledger_no: str
    state: CaseState
    category: CaseCategory
    urgency: Urgency
    title: str
    requester_id: int
    requester_region_code: str
    blocking_enterprise_id: int | None
    blocking_name: str
    blocking_region_code: str
    handling_region_code: str
    level: Level
    liaison_id: int | None
    letter_id: int | None
    merged_into_id: int | None
    overdue: bool
    submitted_at: datetime
    accept_due_at: datetime | None
    resolve_due_at: datetime | None
    impact_priority: float | None
    version: int

    @classmethod
    def of(cls, case: Case) -> CaseOut:
        """From the ORM row (its attributes read by pydantic-core, not one Python ``getattr`` per field)."""
        return cls.model_validate(case, from_attributes=True)


class EventOut(BaseModel):
    """One step of a case's timeline."""

    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str
    note: str

    @classmethod
    def of(cls, event: CaseEvent) -> EventOut:
        """From the ORM row."""
        return cls(at=event.at, actor=event.actor_name, action=event.action, from_state=event.from_state,
                   to_state=event.to_state, note=event.note)


class CommentOut(BaseModel):
    """A comment."""

    id: int
    author: str
    body: str
    internal: bool
    at: datetime

    @classmethod
    def of(cls, comment: CaseComment) -> CommentOut:
        """From the ORM row."""
        return cls(id=comment.id, author=comment.author_name, body=comment.body, internal=comment.internal,
                   at=comment.at)


class CaseDetailOut(CaseOut):
    """A case with everything its page shows."""

    blocked: str
    help_wanted: str
    products: str
    reason: str
    measures: str
    impact: dict | None
    timeline: list[EventOut]
    comments: list[CommentOut]
    actions: list[Action]
    duplicates: list[int]

    @classmethod
    def build(cls, case: Case, *, timeline, comments, actions, duplicates) -> CaseDetailOut:
        """From the case and its related rows."""
        base = CaseOut.of(case).model_dump()
        return cls(**base, blocked=case.blocked, help_wanted=case.help_wanted, products=case.products,
                   reason=case.reason, measures=case.measures, impact=json.loads(case.impact) if case.impact else None,
                   timeline=[EventOut.of(e) for e in timeline], comments=[CommentOut.of(c) for c in comments],
                   actions=actions, duplicates=[d.id for d in duplicates])


class CasePage(BaseModel):
    """One page of the queue."""

    items: list[CaseOut]
    total: int
    page: int
    page_size: int


class LetterIn(BaseModel):
    """A new coordination letter from the caller's province."""

    to_region_code: Text = Field(pattern=r"^\d{2}$")
    subject: Text = Field(min_length=1, max_length=200)
    body: Prose = Field(default="", max_length=20000)
    case_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(default_factory=list, max_length=5000)


class LetterCasesIn(BaseModel):
    """Cases to put on a draft letter."""

    case_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(min_length=1, max_length=5000)


class LetterActionIn(BaseModel):
    """Send, reply or close."""

    action: Annotated[str, Field(pattern=r"^(send|reply|close)$")]
    text: Prose = Field(default="", max_length=20000)


class LetterOut(BaseModel):
    """A letter with the ids of the cases it carries."""

    id: int
    number: str
    from_region_code: str
    to_region_code: str
    subject: str
    body: str
    state: LetterState
    reply: str
    created_at: datetime
    sent_at: datetime | None
    replied_at: datetime | None
    case_ids: list[int]

    @classmethod
    def of(cls, letter: Letter, case_ids: list[int]) -> LetterOut:
        """From the ORM row."""
        fields = {name: getattr(letter, name) for name in cls.model_fields if name != "case_ids"}
        return cls(**fields, case_ids=case_ids)
