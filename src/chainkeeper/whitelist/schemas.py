"""Request and response bodies of the white-list API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from chainkeeper.whitelist.models import AppState, EntryStatus, Resumption
from chainkeeper.whitelist.recognition import Basis
from chainkeeper.whitelist.workflow import Action


DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]
"""A database id in a body: positive and within a 32-bit integer."""


class ListIn(BaseModel):
    """A new list."""

    name: str = Field(min_length=1, max_length=200)
    scope_code: str = Field("", pattern=r"^(\d{2}(\d{2})?)?$", description="'' national, 2 province, 4 city")
    categories: list[str] = Field(min_length=1)


class BatchOut(BaseModel):
    """A published batch."""

    id: int
    number: int
    published_on: date


class ListOut(BaseModel):
    """A list with its batches."""

    id: int
    name: str
    scope_code: str
    categories: list[str]
    batches: list[BatchOut]

    @classmethod
    def of(cls, item) -> ListOut:
        return cls(id=item.id, name=item.name, scope_code=item.scope_code, categories=item.category_codes,
                   batches=[BatchOut(id=b.id, number=b.number, published_on=b.published_on) for b in item.batches])


class BatchIn(BaseModel):
    """Publish approved applications as the next batch."""

    application_ids: list[DbId] = Field(min_length=1, max_length=10_000)
    published_on: date


class ApplicationIn(BaseModel):
    """A draft application (the applicant's own enterprise)."""

    list_id: DbId
    category: str = Field(max_length=32)
    chain_code: str | None = Field(None, max_length=32)
    reason: str = Field("", max_length=2000)
    on_site_staff: int = Field(0, ge=0, le=1_000_000)
    staff_list: str = Field("", max_length=20000)
    pledge_accepted: bool = False


class ApplicationPatch(BaseModel):
    """Changes to a draft."""

    category: str | None = None
    chain_code: str | None = Field(None, max_length=32)
    reason: str | None = Field(None, max_length=2000)
    on_site_staff: int | None = Field(None, ge=0, le=1_000_000)
    staff_list: str | None = Field(None, max_length=20000)
    pledge_accepted: bool | None = None


class ActionIn(BaseModel):
    """A workflow action."""

    action: Action
    reason: str = Field("", max_length=2000)


class ApplicationOut(BaseModel):
    """An application."""

    id: int
    list_id: int
    list_name: str
    enterprise_id: int
    category: str
    chain_code: str | None
    reason: str
    on_site_staff: int
    pledge_accepted: bool
    has_plan: bool
    state: AppState
    decision_reason: str
    entry_id: int | None

    @classmethod
    def of(cls, item) -> ApplicationOut:
        return cls(id=item.id, list_id=item.list_id, list_name=item.white_list.name, enterprise_id=item.enterprise_id,
                   category=item.category, chain_code=item.chain_code, reason=item.reason,
                   on_site_staff=item.on_site_staff, pledge_accepted=item.pledge_accepted,
                   has_plan=item.plan_id is not None, state=item.state, decision_reason=item.decision_reason,
                   entry_id=item.entry_id)


class PeriodOut(BaseModel):
    """One period of an entry's status."""

    status: EntryStatus
    valid_from: date
    valid_until: date | None
    reason: str


class EntryOut(BaseModel):
    """An entry as of a date."""

    id: int
    list_id: int
    list_name: str
    batch: int
    uscc: str
    enterprise: str
    category: str
    chain_code: str | None
    nominated_by: str
    on_site_staff: int
    listed_on: date
    status_as_of: EntryStatus | None
    resumption: Resumption
    resumption_on: date | None
    credential_id: int | None
    history: list[PeriodOut] = []


class StatusIn(BaseModel):
    """Suspend, remove or reinstate (``active``) an entry."""

    status: EntryStatus
    effective: date
    reason: str = Field(min_length=1, max_length=2000)


class ResumptionIn(BaseModel):
    """Whether the enterprise has resumed work, and since when."""

    resumption: Resumption
    on: date


class PoolIn(BaseModel):
    """A supplier attached to an entry's pool."""

    uscc: str = Field(min_length=18, max_length=18)
    added_on: date
    reason: str = Field("", max_length=2000)


class NominationIn(BaseModel):
    """A nomination of a provincial entry to a national list."""

    national_list_id: DbId
    reason: str = Field("", max_length=2000)


class RecognitionOut(BaseModel):
    """The answer to "is this enterprise recognised here on this day"."""

    recognized: bool
    uscc: str
    region: str
    day: date
    bases: list[Basis]
    notes: list[str]


class AgreementIn(BaseModel):
    """A new mutual-recognition agreement."""

    name: str = Field(min_length=1, max_length=200)
    regions: list[str] = Field(min_length=2)
    categories: list[str] = Field(min_length=1)
    valid_from: date
    valid_until: date | None = None


class AgreementOut(BaseModel):
    """An agreement."""

    id: int
    name: str
    regions: list[str]
    categories: list[str]
    valid_from: date
    valid_until: date | None

    @classmethod
    def of(cls, item) -> AgreementOut:
        return cls(id=item.id, name=item.name, regions=item.region_codes, categories=item.category_codes,
                   valid_from=item.valid_from, valid_until=item.valid_until)


def _trimmed_name(value: str) -> str:
    """The name as the service stores it (Python's ``str.strip``, which also trims control separators such as
    U+001F that pydantic's own stripping keeps); blank is refused."""
    value = value.strip()
    if not value:
        raise ValueError("a name must not be blank")
    return value


CategoryName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_trimmed_name)]
"""A category's name: blank after trimming is refused (422 naming the field), as the service stores it trimmed."""


class CategoryIn(BaseModel):
    """A category's names."""

    name_zh: CategoryName
    name_en: CategoryName
    position: int = Field(0, ge=0, le=10_000)


class CategoryOut(CategoryIn):
    """A category."""

    code: str


class RecommendationOut(BaseModel):
    """A recommended enterprise and why."""

    uscc: str
    name: str
    esri: float
    sole_supplier_to: int
    reasons: list[str]


class NotificationOut(BaseModel):
    """An in-app notification."""

    id: int
    application_id: int | None
    text: str
    created_at: str
    read: bool
