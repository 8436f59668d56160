"""The board API's request and response bodies."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class PostBody(BaseModel):
    title: str = Field(max_length=200)
    unit: str = Field(max_length=20)
    county_code: str = Field(max_length=6)
    good_code: str | None = Field(default=None, max_length=40)
    product_code: str | None = Field(default=None, max_length=64)
    description: str = Field(default="", max_length=4000)
    visibility: str = Field(default="public", max_length=12)


class ListingBody(PostBody):
    capacity_per_day: float
    lead_time_days: int


class NeedBody(PostBody):
    quantity: float
    date_needed: date


class PostOut(BaseModel):
    id: int
    kind: str
    enterprise_id: int
    enterprise: str
    title: str
    description: str
    good_code: str | None
    product_code: str | None
    unit: str
    county_code: str
    place: str = ""
    visibility: str
    state: str
    capacity_per_day: float | None = None
    lead_time_days: int | None = None
    quantity: float | None = None
    date_needed: date | None = None


class SuggestionOut(BaseModel):
    post: PostOut
    score: float
    parts: dict[str, float]
    reasons: list[str]


class ContactBody(BaseModel):
    kind: str = Field(pattern="^(listing|need)$")
    post_id: int = Field(ge=1, le=2_147_483_647)
    body: str = Field(max_length=4000)


class MessageBody(BaseModel):
    body: str = Field(max_length=4000)


class MessageOut(BaseModel):
    id: int
    enterprise_id: int
    mine: bool
    body: str
    created_at: datetime


class ThreadOut(BaseModel):
    id: int
    kind: str
    post_id: int
    subject: str
    buyer_id: int
    buyer: str
    supplier_id: int
    supplier: str
    last_at: datetime
    messages: list[MessageOut] = []


class EventBody(BaseModel):
    title: str = Field(max_length=200)
    held_on: date
    place: str = Field(default="", max_length=200)
    description: str = Field(default="", max_length=4000)
    region_code: str | None = Field(default=None, max_length=6)


class MatchBody(BaseModel):
    buyer_id: int = Field(ge=1, le=2_147_483_647)
    supplier_id: int = Field(ge=1, le=2_147_483_647)
    subject: str = Field(max_length=200)


class DealBody(BaseModel):
    value_wan: float
    note: str = Field(default="", max_length=500)


class MatchOut(BaseModel):
    id: int
    buyer_id: int
    buyer: str
    supplier_id: int
    supplier: str
    subject: str
    state: str
    deal_value_wan: float | None


class EventOut(BaseModel):
    id: int
    title: str
    region_code: str
    region: str = ""
    held_on: date
    place: str
    description: str
    participants: int
    matches: int
    deals: int
    deal_value_wan: float
    taking_part: list[dict] = []
    match_list: list[MatchOut] = []
