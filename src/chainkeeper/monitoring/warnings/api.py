"""REST endpoints of early warning: ``/api/v1/warnings`` (list, one, acknowledge) and ``/api/v1/warning-rules``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.monitoring.warnings import policies, service
from chainkeeper.monitoring.warnings.rows import warning_rows
from chainkeeper.monitoring.warnings.models import EarlyWarning, WarningRule
from chainkeeper.monitoring.warnings.schemas import AcknowledgeIn, RuleIn, RuleOut, WarningOut
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import KEPT_SECONDS, json_route, rows_json

router = APIRouter(tags=["early warning"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(policies.READ)]
Acknowledger = Annotated[Principal, guard(policies.ACKNOWLEDGE)]
RuleSetter = Annotated[Principal, guard(policies.RULES)]
FIELDS = tuple(name for name in WarningOut.model_fields if name not in ("level", "subject_kind", "links"))


def warning_out(warning: EarlyWarning) -> WarningOut:
    """The warning with its links as ``{"kind", "id"}`` (its ORM links are not dicts: never validated as they are)."""
    links = [{"kind": link.target_kind.value, "id": link.target_id} for link in warning.links]
    return WarningOut.model_validate(_warning_data(warning, links))


def _warning_data(warning: EarlyWarning, links: list[dict]) -> dict:
    data = {name: getattr(warning, name) for name in FIELDS}
    data.update(level=warning.level.value, subject_kind=warning.subject_kind.value, links=links)
    return data


def rule_out(rule: WarningRule) -> RuleOut:
    return RuleOut.model_validate(rule, from_attributes=True).model_copy(update={"level": rule.level.value})


@router.get("/warnings", response_model=list[WarningOut])
@json_route(kept=KEPT_SECONDS)
def list_warnings(request: Request, session: DbSession, principal: Reader,
                  level: Annotated[str | None, Query(pattern="^(red|yellow|blue)$")] = None,
                  region: Annotated[str | None, Query(pattern=r"^\d{2,6}$")] = None,
                  kind: Annotated[str | None, Query(max_length=32)] = None,
                  acknowledged: bool | None = None) -> list[WarningOut]:
    """The warnings in the caller's scope (its region's and the national ones), red first."""
    where = service.WarningFilter(level=level, region=region, kind=kind, acknowledged=acknowledged)
    return rows_json(warning_rows(session=session, principal=principal, where=where))


@router.get("/warnings/{warning_id}", response_model=WarningOut)
@json_route
def get_warning(session: DbSession, principal: Reader, warning_id: ObjectId) -> WarningOut:
    """One warning with its explanation (series, lines, band, figures); 404 outside the caller's scope."""
    return warning_out(service.get_warning(session=session, principal=principal, warning_id=warning_id))


@router.post("/warnings/{warning_id}/acknowledge", response_model=WarningOut)
def acknowledge(request: Request, session: DbSession, principal: Acknowledger, warning_id: ObjectId,
                body: AcknowledgeIn) -> WarningOut:
    """Acknowledge a warning of the caller's region with a note (409 when already acknowledged)."""
    warning = service.acknowledge(session=session, caller=caller_of(principal, request), warning_id=warning_id,
                                  note=body.note)
    return warning_out(warning)


@router.get("/warning-rules", response_model=list[RuleOut])
@json_route(kept=KEPT_SECONDS)
def list_rules(request: Request, session: DbSession, principal: Reader) -> list[RuleOut]:
    """The rules in the caller's scope."""
    return service.rule_rows(session=session, principal=principal)


@router.post("/warning-rules", response_model=RuleOut, status_code=201)
def create_rule(request: Request, session: DbSession, principal: RuleSetter, body: RuleIn) -> RuleOut:
    """A new rule for a region the caller may set rules for (a province its own, the ministry any)."""
    rule = service.create_rule(session=session, caller=caller_of(principal, request),
                               data=service.RuleData(**body.model_dump()))
    return rule_out(rule)


@router.put("/warning-rules/{rule_id}", response_model=RuleOut)
def update_rule(request: Request, session: DbSession, principal: RuleSetter, rule_id: ObjectId,
                body: RuleIn) -> RuleOut:
    """Replace a rule the caller may set."""
    rule = service.update_rule(session=session, caller=caller_of(principal, request), rule_id=rule_id,
                               data=service.RuleData(**body.model_dump()))
    return rule_out(rule)
