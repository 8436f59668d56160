"""The kept briefings: one row per generation of a month's briefing for a region (every version is kept).

The PDF and the XLSX annex are stored in the row, next to the content they were drawn from: they are written in the
same transaction (never a row without its files, never an orphan file under the data directory), a database backup
carries them, and they are small (the PDF embeds only the glyphs it uses: tens of kilobytes; 35 regions × 12 months
stay in the tens of megabytes a year).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from chainkeeper.db import Base, UTCDateTime

NATIONAL = "00"
"""The region code of the national briefing."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Briefing(Base):
    """One version of the briefing of ``month`` ('YYYY-MM', China time) for ``region_code`` ('00' or a province)."""

    __tablename__ = "briefing"
    __table_args__ = (UniqueConstraint("month", "region_code", "version", name="uq_briefing_version"),
                      Index("ix_briefing_region_month", "region_code", "month"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    region_code: Mapped[str] = mapped_column(String(2))
    version: Mapped[int] = mapped_column(Integer, default=1)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    generated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: the clock
    generated_by_name: Mapped[str] = mapped_column(String(100), default="")
    scheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[dict] = mapped_column(JSON)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    xlsx: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
