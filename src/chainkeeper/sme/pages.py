"""``/sme``: the SME services' front page (中小企业服务), a list of the services a signed-in user may open."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Response

from chainkeeper.auth import policies
from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import _
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
SERVICES = (  # (path, title, what it does); one line per SME service
    ("/sme/size", _("Size self-test"), _("Large, medium, small or micro by the 2017 statistical standard, with the reasons.")),
    ("/sme/policies", _("Policies for enterprises"),
     _("Find the support policies your enterprise qualifies for, and the ones it nearly does.")),
    ("/sme/ladder", _("Specialised and innovative SME ladder"),
     _("Self-assess for the innovative SME, specialised and innovative SME and little-giant tiers, apply, and "
       "follow the review; authorities review and see the ladder by region and chain.")),
    ("/sme/arrears", _("Arrears complaints"), _("Complain about payments owed to your enterprise, or report irregular charges, fines and levies.")),
)


@router.get("/sme")
def sme_home(request: Request, session: DbSession, principal: Annotated[Principal, guard(policies.SIGNED_IN)]) -> Response:
    """The SME services."""
    return render(request, session, "sme/home.html", language=request_language(request), services=SERVICES)
