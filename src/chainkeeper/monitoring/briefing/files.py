"""The downloads of a briefing: the kept PDF and XLSX annex (the official Chinese document) or, for another
language, the same content drawn again in that language."""

from __future__ import annotations

from fastapi.responses import Response

from chainkeeper.monitoring.briefing.annex import annex_xlsx
from chainkeeper.monitoring.briefing.models import Briefing
from chainkeeper.monitoring.briefing.service import DOCUMENT_LANGUAGE

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(briefing: Briefing, extension: str) -> str:
    """e.g. ``briefing-2022-04-31-v2.pdf``."""
    return f"briefing-{briefing.month}-{briefing.region_code}-v{briefing.version}.{extension}"


def pdf_response(briefing: Briefing, language: str) -> Response:
    """The PDF as a download."""
    from chainkeeper.monitoring.briefing.pdf import briefing_pdf  # reportlab on first use, not at start-up
    data = briefing.pdf if language == DOCUMENT_LANGUAGE else briefing_pdf(briefing.content, language)
    return Response(data, media_type=PDF, headers={
        "Content-Disposition": f'attachment; filename="{file_name(briefing, "pdf")}"'})


def xlsx_response(briefing: Briefing, language: str) -> Response:
    """The XLSX annex as a download."""
    data = briefing.xlsx if language == DOCUMENT_LANGUAGE else annex_xlsx(briefing.content, language)
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{file_name(briefing, "xlsx")}"'})
