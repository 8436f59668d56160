"""REST endpoints under ``/api/v1/sme/arrears``: the eligibility check, filing, the complaints the caller may read,
the steps, the interest calculator, statistics, the ledger export and typical cases. One transaction per request;
complaints are never public (see :mod:`.scope`)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.sme.arrears import ledger, service
from chainkeeper.sme.arrears import policies as ap
from chainkeeper.sme.arrears.interest import overdue_interest
from chainkeeper.sme.arrears.schemas import (CaseOut, CheckOut, ComplaintBody, ComplaintOut, InterestBody,
                                             InterestOut, PublishBody, StatRow, StepBody)
from chainkeeper.sme.arrears.service import ComplaintIn, StepIn, today
from chainkeeper.sme.arrears.sizing import Figures
from chainkeeper.sme.arrears.views import complaint_interest, complaint_out, interest_out, reasons
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/sme/arrears", tags=["sme"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(ap.READ)]
Filer = Annotated[Principal, guard(ap.FILE)]
LedgerReader = Annotated[Principal, guard(ap.LEDGER)]


def complaint_in(body: ComplaintBody) -> ComplaintIn:
    """The service's input from the API's (or the form's) body."""
    values = body.model_dump(exclude={"employees", "revenue_wan", "assets_wan"})
    return ComplaintIn(**values, figures=Figures(body.employees, body.revenue_wan, body.assets_wan))


@router.post("/check", response_model=CheckOut)
def check(body: ComplaintBody, request: Request, session: DbSession, principal: Filer) -> CheckOut:
    """Eligibility before filing: every reason, met or failed (nothing is written)."""
    verdict, _creditor, (size, _sector, how) = service.check(session=session, caller=caller_of(principal, request),
                                                             data=complaint_in(body))
    return CheckOut(eligible=verdict.eligible, due_on=verdict.due_on, creditor_size=size.value, size_basis=how,
                    reasons=reasons(verdict, principal.language))


@router.post("", response_model=ComplaintOut, status_code=201)
def file(body: ComplaintBody, request: Request, session: DbSession, principal: Filer) -> ComplaintOut:
    """Register a complaint (refused with every failed reason when not eligible)."""
    c = service.file(session=session, caller=caller_of(principal, request), data=complaint_in(body))
    return complaint_out(session, c, principal)


@router.get("", response_model=list[ComplaintOut])
def listing(session: DbSession, principal: Reader, state: Annotated[str | None, Query(max_length=16)] = None,
            kind: Annotated[str | None, Query(max_length=16)] = None) -> list[ComplaintOut]:
    """The complaints the caller may read, newest first."""
    return [complaint_out(session, c, principal)
            for c in service.listing(session=session, principal=principal, state=state, kind=kind)]


@router.post("/interest", response_model=InterestOut)
def calculator(body: InterestBody, principal: Reader) -> InterestOut:
    """The overdue-interest calculator on figures given (nothing is read or written)."""
    result = overdue_interest(body.amount, due=body.due_on, until=body.until, agreed_rate=body.agreed_rate,
                              signed_on=body.signed_on)
    return interest_out(result, principal.language)


@router.get("/statistics", response_model=list[StatRow])
def statistics(session: DbSession, principal: LedgerReader,
               by: Annotated[str, Query(max_length=16)] = "region", charges: bool = False) -> list[StatRow]:
    """Complaints, owed, cleared and overdue by region, debtor type, sector or kind (the caller's region)."""
    return [StatRow(**vars(row)) for row in ledger.statistics(session=session, principal=principal, by=by,
                                                              charges=charges)]


@router.get("/ledger.csv", responses={200: {"description": "The ledger (台账) as CSV.",
                                             "content": {"text/csv": {"schema": {"type": "string"}}}}})
def ledger_export(session: DbSession, principal: LedgerReader) -> Response:
    """The ledger (台账) as CSV, scoped to the caller's region."""
    return Response(ledger.ledger_csv(session=session, principal=principal), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="arrears-ledger.csv"'})


@router.get("/cases", response_model=list[CaseOut])
def typical_cases(session: DbSession, principal: Reader) -> list[CaseOut]:
    """Published typical cases: the summary only, personal data removed."""
    return [CaseOut(kind=c.kind.value, debtor_type=c.debtor_type.value, state=c.state.value,
                    summary=c.published_summary) for c in ledger.typical_cases(session)]


@router.get("/{complaint_id}", response_model=ComplaintOut)
def detail(complaint_id: ObjectId, session: DbSession, principal: Reader) -> ComplaintOut:
    """One complaint with its timeline (404 when the caller may not read it)."""
    c = service.get(session=session, principal=principal, complaint_id=complaint_id)
    return complaint_out(session, c, principal, with_events=True)


@router.get("/{complaint_id}/interest", response_model=InterestOut | None)
def interest(complaint_id: ObjectId, session: DbSession, principal: Reader,
             until: date | None = None) -> InterestOut | None:
    """The overdue interest on a complaint up to ``until`` (default today), payments deducted."""
    c = service.get(session=session, principal=principal, complaint_id=complaint_id)
    result = complaint_interest(session, c, until or today(datetime.now(timezone.utc)))
    return interest_out(result, principal.language) if result else None


@router.post("/{complaint_id}/steps", response_model=ComplaintOut)
def take_step(complaint_id: ObjectId, body: StepBody, request: Request, session: DbSession,
              principal: Annotated[Principal, guard(ap.STEP)]) -> ComplaintOut:
    """Accept, transfer, answer, agree, pay (with proof), clear or reject — as the transition table allows."""
    c = service.act(session=session, caller=caller_of(principal, request), complaint_id=complaint_id,
                    step=StepIn(**body.model_dump()))
    return complaint_out(session, c, principal, with_events=True)


@router.post("/{complaint_id}/publish", response_model=CaseOut)
def publish(complaint_id: ObjectId, body: PublishBody, request: Request, session: DbSession,
            principal: Annotated[Principal, guard(ap.PUBLISH)]) -> CaseOut:
    """Publish a closed complaint as a typical case (creditor's consent; names, phones and codes removed)."""
    c = ledger.publish(session=session, caller=caller_of(principal, request), complaint_id=complaint_id,
                       summary=body.summary)
    return CaseOut(kind=c.kind.value, debtor_type=c.debtor_type.value, state=c.state.value,
                   summary=c.published_summary)
