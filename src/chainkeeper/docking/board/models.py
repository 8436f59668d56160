"""ORM models of the matching board. A listing (a supplier offers a product) and a board need (a buyer seeks one)
are both *posts*: an enterprise's, visible to everyone signed in (``public``) or to the authorities only
(``authorities``). ``board_gram`` indexes every post's normalised text by character bigrams (kept by the service,
the same on SQLite and PostgreSQL). Threads carry the messages between a buyer and a supplier; events (对接会) the
participants, matches made and deals reported. Dates are China dates; timestamps UTC."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime

VISIBILITIES = ("public", "authorities")
POST_STATES = ("open", "closed")
KINDS = ("listing", "need")
MATCH_STATES = ("matched", "deal")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class _Post:
    """What a listing and a need share: the enterprise, the product (a critical good and/or a registry product
    code), the text, the place, the visibility and the state."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    good_id: Mapped[int | None] = mapped_column(ForeignKey("docking_good.id"), index=True)
    product_code: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(20))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    visibility: Mapped[str] = mapped_column(String(12), default="public")
    state: Mapped[str] = mapped_column(String(12), default="open")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Listing(_Post, Base):
    """A supplier's offer: what it makes, how much a day, how many days from order to delivery."""

    __tablename__ = "board_listing"

    capacity_per_day: Mapped[float] = mapped_column(Float)
    lead_time_days: Mapped[int] = mapped_column(Integer)


class BoardNeed(_Post, Base):
    """A buyer's need on the board: how much, by when."""

    __tablename__ = "board_need"

    quantity: Mapped[float] = mapped_column(Float)
    date_needed: Mapped[date] = mapped_column(Date)


class Gram(Base):
    """One character bigram of a post's normalised text (the full-text index)."""

    __tablename__ = "board_gram"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Thread(Base):
    """A conversation between a buyer and a supplier about a listing or a need (one per pair and post)."""

    __tablename__ = "board_thread"
    __table_args__ = (UniqueConstraint("kind", "post_id", "buyer_id", "supplier_id", name="uq_board_thread"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    post_id: Mapped[int] = mapped_column(Integer)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Message(Base):
    """One message of a thread, written for ``enterprise_id`` (its side) by ``author_id``."""

    __tablename__ = "board_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("board_thread.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Event(Base):
    """A matchmaking event (对接会) an authority organises in its region ('' = national, the ministry)."""

    __tablename__ = "board_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    organised_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Participant(Base):
    """An enterprise taking part in an event."""

    __tablename__ = "board_participant"
    __table_args__ = (UniqueConstraint("event_id", "enterprise_id", name="uq_board_participant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("board_event.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Match(Base):
    """A match made at an event (a buyer and a supplier agree to deal), then the deal reported (quantity, value)."""

    __tablename__ = "board_match"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("board_event.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12), default="matched")
    deal_value_wan: Mapped[float | None] = mapped_column(Float)
    deal_note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
