"""ORM models of the white lists. Dates that answer "as of D" questions are calendar dates; timestamps are UTC."""

from __future__ import annotations

import enum
from datetime import date, datetime, timezone

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _enum(kind: type[enum.Enum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, values_callable=lambda members: [m.value for m in members])


class AppState(str, enum.Enum):
    """States of an application (see :mod:`chainkeeper.whitelist.workflow`)."""

    draft = "draft"
    submitted = "submitted"  # awaiting local (county or park) review
    nominated = "nominated"  # a provincial nomination to a national list, awaiting the ministry
    locally_reviewed = "locally_reviewed"  # awaiting provincial approval
    approved = "approved"  # awaiting publication in a batch
    published = "published"
    rejected = "rejected"
    withdrawn = "withdrawn"


class EntryStatus(str, enum.Enum):
    """The status of an entry over a period."""

    active = "active"
    suspended = "suspended"
    removed = "removed"


class Resumption(str, enum.Enum):
    """Whether a listed enterprise has resumed work."""

    none = "none"
    partly = "partly"
    fully = "fully"


class Category(Base):
    """A white-list category, e.g. 防疫和医疗物资 or 运行保障类 (administrators manage them)."""

    __tablename__ = "wl_category"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)


class WhiteList(Base):
    """A white list: national (scope ''), one province or one city; published in numbered batches."""

    __tablename__ = "wl_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scope_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    categories: Mapped[list[ListCategory]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    batches: Mapped[list[Batch]] = relationship(lazy="selectin", order_by="Batch.number")

    @property
    def category_codes(self) -> list[str]:
        """The categories this list accepts."""
        return sorted(item.category_code for item in self.categories)

    @property
    def is_national(self) -> bool:
        """True for a national list."""
        return self.scope_code == ""


class ListCategory(Base):
    """A category a list accepts."""

    __tablename__ = "wl_list_category"

    list_id: Mapped[int] = mapped_column(ForeignKey("wl_list.id", ondelete="CASCADE"), primary_key=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("wl_category.code"), primary_key=True)


class Batch(Base):
    """A published batch of a list (第一批, 第二批 …)."""

    __tablename__ = "wl_batch"
    __table_args__ = (UniqueConstraint("list_id", "number", name="uq_wl_batch_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("wl_list.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    published_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Attachment(Base):
    """A file attached to an application (the contingency plan); stored by content hash under the data dir."""

    __tablename__ = "wl_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class Application(Base):
    """An enterprise's application to a list (or a province's nomination to a national list)."""

    __tablename__ = "wl_application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("wl_list.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    category: Mapped[str] = mapped_column(ForeignKey("wl_category.code"))
    chain_code: Mapped[str | None] = mapped_column(ForeignKey("key_chain.code"))
    reason: Mapped[str] = mapped_column(Text, default="")
    on_site_staff: Mapped[int] = mapped_column(Integer, default=0)
    staff_list: Mapped[str] = mapped_column(Text, default="")
    pledge_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("wl_attachment.id"))
    state: Mapped[AppState] = mapped_column(_enum(AppState), default=AppState.draft, index=True)
    nominated_by: Mapped[str] = mapped_column(String(64), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[int | None] = mapped_column(Integer)  # the entry it became (no FK: entries point back)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)

    white_list: Mapped[WhiteList] = relationship(lazy="joined")
    plan: Mapped[Attachment | None] = relationship(lazy="joined")


class Entry(Base):
    """An enterprise on a list, from a batch; its status over time lives in :class:`EntryPeriod`."""

    __tablename__ = "wl_entry"
    __table_args__ = (Index("ix_wl_entry_list_category", "list_id", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("wl_list.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("wl_batch.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("wl_application.id"))
    scope_code: Mapped[str] = mapped_column(String(6), default="")  # the list's scope, copied for fast checks
    category: Mapped[str] = mapped_column(ForeignKey("wl_category.code"))
    chain_code: Mapped[str | None] = mapped_column(ForeignKey("key_chain.code"))
    reason: Mapped[str] = mapped_column(Text, default="")
    nominated_by: Mapped[str] = mapped_column(String(64), default="")
    on_site_staff: Mapped[int] = mapped_column(Integer, default=0)
    listed_on: Mapped[date] = mapped_column(Date)
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus), default=EntryStatus.active)
    resumption: Mapped[Resumption] = mapped_column(_enum(Resumption), default=Resumption.none)
    resumption_on: Mapped[date | None] = mapped_column(Date)
    credential_id: Mapped[int | None] = mapped_column(Integer)

    white_list: Mapped[WhiteList] = relationship(lazy="joined")
    batch: Mapped[Batch] = relationship(lazy="joined")

    @property
    def ref(self) -> str:
        """The reference certificates carry."""
        return f"whitelist-entry:{self.id}"


class EntryPeriod(Base):
    """An entry's status from ``valid_from`` until (not including) ``valid_until``; open-ended when None."""

    __tablename__ = "wl_entry_period"
    __table_args__ = (Index("ix_wl_entry_period_entry", "entry_id", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("wl_entry.id", ondelete="CASCADE"))
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class PoolMember(Base):
    """A key out-of-region supplier attached to a listed enterprise's entry (covered by recognition too)."""

    __tablename__ = "wl_pool_member"
    __table_args__ = (Index("ix_wl_pool_member_enterprise", "enterprise_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("wl_entry.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    added_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)


class Agreement(Base):
    """A mutual-recognition agreement between regions, in force from ``valid_from`` to ``valid_until`` inclusive."""

    __tablename__ = "wl_agreement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    regions: Mapped[list[AgreementRegion]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    categories: Mapped[list[AgreementCategory]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def region_codes(self) -> list[str]:
        """The parties (province or city codes)."""
        return sorted(item.region_code for item in self.regions)

    @property
    def category_codes(self) -> list[str]:
        """The categories the agreement covers."""
        return sorted(item.category_code for item in self.categories)


class AgreementRegion(Base):
    """A party to an agreement."""

    __tablename__ = "wl_agreement_region"
    __table_args__ = (Index("ix_wl_agreement_region_code", "region_code"),)

    agreement_id: Mapped[int] = mapped_column(ForeignKey("wl_agreement.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)


class AgreementCategory(Base):
    """A category an agreement covers."""

    __tablename__ = "wl_agreement_category"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("wl_agreement.id", ondelete="CASCADE"), primary_key=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("wl_category.code"), primary_key=True)


class Notification(Base):
    """An in-app message to an enterprise about its application (a translatable text and its parameters)."""

    __tablename__ = "wl_notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("wl_application.id"))
    message: Mapped[str] = mapped_column(String(200))
    params: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
