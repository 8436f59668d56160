"""``POST /api/v1/sme/size``: the size self-test (computes only; nothing is stored, so nothing is audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from chainkeeper.auth.deps import guard
from chainkeeper.auth.roles import Principal
from chainkeeper.i18n import translate
from chainkeeper.sme.size import SIZE_LABELS, SizeVerdict, classify, standard
from chainkeeper.sme.size import policies as sp
from chainkeeper.sme.size.schemas import SizeBody, SizeOut
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/sme", tags=["sme"], responses=ERROR_RESPONSES)


def verdict_out(verdict: SizeVerdict, language: str) -> SizeOut:
    """The verdict as the API (and the page) shows it."""
    table = standard()
    return SizeOut(size=verdict.size.value, size_name=translate(SIZE_LABELS[verdict.size], language), sector=verdict.sector,
                   sector_name=table.sector(verdict.sector).label(language), is_sme=verdict.is_sme,
                   reasons=verdict.explain(language), standard=f"{table.title} {table.document}")


@router.post("/size", response_model=SizeOut)
def size_test(body: SizeBody, principal: Annotated[Principal, guard(sp.USE)]) -> SizeOut:
    """Classify an enterprise as large, medium, small or micro by the 2017 statistical standard, with reasons."""
    verdict = classify(**body.model_dump())
    return verdict_out(verdict, principal.language or "zh_CN")
