"""ORM models of the analyst's workspace: a simulation run (scenario, job state and compact result) and its hit firms.

A run is both the background job and its kept result: ``state`` goes queued → running → done | failed. The result is
stored compactly: production per day (national, per province, per key chain) as JSON in ``series``, and one
:class:`AnalysisHit` row per enterprise that fell below 90% of its normal output.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import JSON, Enum, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


class RunState(str, enum.Enum):
    """Life of a simulation job."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class AnalysisRun(Base):
    """One scenario run by one user: what was asked (``spec``), how far the job got, and the aggregates it found.

    ``owner_region``: the region code of the user who ran it ('' = national); a regional user sees the runs of its
    region and the shared ones (``owner_id`` None: the demo's). ``worker``: ``host:pid`` of the serving process that
    runs the job, so a restart can tell jobs orphaned by a dead process. ``error`` is an English message template
    with ``error_params`` (translated when shown). ``series``: see :func:`chainkeeper.analysis.runs.store_result`.
    """

    __tablename__ = "analysis_run"
    __table_args__ = (Index("ix_analysis_run_state", "state"), Index("ix_analysis_run_created_at", "created_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    spec: Mapped[dict] = mapped_column(JSON)
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    owner_name: Mapped[str] = mapped_column(String(200))
    owner_region: Mapped[str] = mapped_column(String(6), default="")
    state: Mapped[RunState] = mapped_column(Enum(RunState, native_enum=False, length=16), default=RunState.queued)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    worker: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(String(500))
    error_params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    series: Mapped[dict | None] = mapped_column(JSON)


class AnalysisHit(Base):
    """An enterprise that fell below 90% of normal output in a run (days from 0, the shock's first day)."""

    __tablename__ = "analysis_hit"

    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_run.id", ondelete="CASCADE"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2))
    city_code: Mapped[str] = mapped_column(String(4))
    county_code: Mapped[str] = mapped_column(String(6))
    shocked: Mapped[bool] = mapped_column(default=False)
    first_below_90: Mapped[int] = mapped_column(Integer)
    first_below_50: Mapped[int | None] = mapped_column(Integer)
    min_level: Mapped[float] = mapped_column(Float)
    limiting_industry: Mapped[str | None] = mapped_column(String(4))
    lost_output: Mapped[float] = mapped_column(Float, default=0.0)
