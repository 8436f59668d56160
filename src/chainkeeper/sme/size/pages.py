"""The size self-test page ``/sme/size``: a form (an enterprise's industry prefilled from its registry entry), the
verdict with its reasons, and the standard's table. A GET form: the test computes and stores nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text, refuse
from chainkeeper.i18n import _
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.size import INDICATOR_LABELS, SIZE_LABELS, SizeTestError, classify, standard
from chainkeeper.sme.size import policies as sp
from chainkeeper.sme.size.api import verdict_out
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Number = Annotated[str, Query(max_length=20)]


def _numbers(form: dict[str, str]) -> dict[str, float | int | None]:
    """The typed indicators (``None`` when empty); a :class:`SizeTestError` naming the field that is no number."""
    found: dict[str, float | int | None] = {}
    for field in ("employees", "revenue_wan", "assets_wan"):
        text = form[field].strip().replace(",", "")
        try:
            found[field] = (int(text) if field == "employees" else float(text)) if text else None
        except ValueError:
            raise refuse(SizeTestError, _("enter a number"), field=field) from None
    return found


@router.get("/sme/size")
def size_page(request: Request, session: DbSession, principal: Annotated[Principal, guard(sp.USE)],
              industry_code: Annotated[str, Query(max_length=8)] = "", employees: Number = "",
              revenue_wan: Number = "", assets_wan: Number = "") -> Response:
    """The form; with an industry code given, the verdict too."""
    language = request_language(request)
    own = session.get(Enterprise, principal.enterprise_id) if principal.enterprise_id else None
    form = {"industry_code": industry_code or (own.industry_code if own else ""), "employees": employees,
            "revenue_wan": revenue_wan, "assets_wan": assets_wan}
    verdict, error, error_field = None, None, None
    if industry_code:
        try:
            verdict = verdict_out(classify(industry_code=industry_code, **_numbers(form)), language)
        except SizeTestError as failed:
            error, error_field = error_text(failed, language), failed.details[0]["field"]
    return render(request, session, "sme/size.html", language=language, form=form, verdict=verdict, error=error,
                  error_field=error_field, own=own, table=standard(), size_labels=SIZE_LABELS,
                  indicator_labels=INDICATOR_LABELS)
