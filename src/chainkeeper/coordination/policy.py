"""The desk's rules from the settings: the working-day calendar, the time limits per category, auto-confirmation
and escalation delays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from chainkeeper.config import Settings, get_settings
from chainkeeper.coordination.calendar import WorkCalendar
from chainkeeper.coordination.sla import SlaPolicy


@dataclass(frozen=True)
class DeskPolicy:
    """Everything the workflow's timing needs."""

    calendar: WorkCalendar
    sla: SlaPolicy
    auto_confirm_days: int
    escalate_after: timedelta


@lru_cache(maxsize=8)
def _calendar(path: str, mtime: float) -> WorkCalendar:
    return WorkCalendar.load(Path(path) if path else None)


def calendar_file(settings: Settings) -> Path:
    """Where an administrator's holiday overrides live: ``<data_dir>/calendar.json`` (same shape as the shipped file)."""
    return settings.data_dir / "calendar.json"


def desk_policy(settings: Settings | None = None) -> DeskPolicy:
    """The policy from the settings (the calendar is re-read when its override file changes)."""
    settings = settings or get_settings()
    extra = calendar_file(settings)
    calendar = _calendar(str(extra), extra.stat().st_mtime) if extra.is_file() else _calendar("", 0.0)
    return DeskPolicy(calendar=calendar, sla=SlaPolicy.from_mapping(settings.desk_time_limits),
                      auto_confirm_days=settings.desk_auto_confirm_days,
                      escalate_after=timedelta(hours=settings.desk_escalate_after_hours))
