"""The briefing's API shapes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from chainkeeper.monitoring.briefing.models import Briefing


class BriefingIn(BaseModel):
    """Generate the briefing of a month for the country ('00') or a province."""

    month: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2022-04"])
    region_code: str = Field(pattern=r"^\d{2}$", examples=["00", "31"])


class BriefingOut(BaseModel):
    """One kept version (without its content)."""

    id: int
    month: str
    region_code: str
    region_name: str
    version: int
    generated_at: datetime
    generated_by: str
    scheduled: bool
    pdf_url: str
    xlsx_url: str

    @classmethod
    def of(cls, briefing: Briefing) -> BriefingOut:
        """The API view of ``briefing``."""
        base = f"/api/v1/briefings/{briefing.id}"
        return cls(id=briefing.id, month=briefing.month, region_code=briefing.region_code,
                   region_name=briefing.content.get("region_name", ""), version=briefing.version,
                   generated_at=briefing.generated_at, generated_by=briefing.generated_by_name,
                   scheduled=briefing.scheduled, pdf_url=f"{base}/briefing.pdf", xlsx_url=f"{base}/annex.xlsx")


class BriefingDetail(BriefingOut):
    """A kept version with its content (labels as message ids; see ``chainkeeper.monitoring.briefing.content``)."""

    content: dict
