"""The early-warning pages: the list by level with filters, a warning with its chart, table, links and the engine's
view, acknowledging, and the rule editor (a province for its region, the ministry for any)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.messages import error_text
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import translate
from chainkeeper.monitoring.warnings import charts, labels, policies, service
from chainkeeper.monitoring.warnings.impact import engine_view, has_view
from chainkeeper.monitoring.warnings.models import EarlyWarning, LinkKind
from chainkeeper.monitoring.warnings.rules import KINDS, PARAMETERS
from chainkeeper.reference.cache import reference_names
from chainkeeper.reference.models import Industry
from chainkeeper.reference.pickers import display_names, resolve_region
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages import queries as names
from chainkeeper.web.pages.redirects import back, back_if_refused
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
Reader = Annotated[Principal, guard(policies.READ)]
Acknowledger = Annotated[Principal, guard(policies.ACKNOWLEDGE)]
RuleSetter = Annotated[Principal, guard(policies.RULES)]
Text = Annotated[str, Form()]
BASE = "/monitoring/warnings"
EXTRA = {"inventory_levels": PARAMETERS["inventory_levels"] + ("inputs",),
         "price_rise": PARAMETERS["price_rise"] + ("series",)}
"""The form's fields of each kind: the rule's parameters, and what it reads (input industries, price series)."""


def series_names(session: Session, language: str) -> dict[str, str]:
    """The monthly indicators' names by code, in ``language``."""
    from sqlalchemy import select

    from chainkeeper.monitoring.indicators.models import Indicator

    return {row.code: (row.name_en if language == "en" else row.name_zh) for row in session.scalars(select(Indicator))}


def page(request: Request, session: Session, name: str, **context) -> Response:
    """Render an early-warning page with its labels."""
    return render(request, session, name, level_labels=labels.LEVEL_LABELS, kind_labels=labels.KIND_LABELS,
                  series_names=series_names(session, request_language(request)),
                  subject_labels=labels.SUBJECT_LABELS, param_labels=labels.PARAM_LABELS,
                  figure_labels=labels.FIGURE_LABELS, indicator_names=labels.INDICATOR_NAMES,
                  industry_names=reference_names(session, Industry) or {}, **context)


def _filter(request: Request, session: Session) -> tuple[service.WarningFilter, dict]:
    params = request.query_params
    typed = {name: (params.get(name) or "")[:60] for name in ("level", "region", "kind", "acknowledged")}
    region = resolve_region(session, typed["region"]) if typed["region"] else None
    where = service.WarningFilter(
        level=typed["level"] if typed["level"] in labels.LEVEL_LABELS else None, region=region,
        kind=typed["kind"] if typed["kind"] in KINDS else None,
        acknowledged={"yes": True, "no": False}.get(typed["acknowledged"]))
    return where, typed


@router.get(BASE)
def warning_list(request: Request, session: DbSession, principal: Reader) -> Response:
    """The warnings in the caller's scope, red first, with filters."""
    where, typed = _filter(request, session)
    rows = service.list_warnings(session=session, principal=principal, where=where)
    counts = {level: sum(1 for w in rows if w.level.value == level) for level in labels.LEVEL_LABELS}
    return page(request, session, "monitoring/warnings/list.html", rows=rows, counts=counts, filters=typed,
                regions=display_names(session, [w.region_code for w in rows]),
                firms=names.enterprise_names(session, [w.enterprise_id for w in rows]),
                may_acknowledge=lambda w: policies.ACKNOWLEDGE.allows(principal)
                and service.acts_on_region(principal, w.region_code))


def _links(session: Session, principal: Principal, warning: EarlyWarning) -> dict[str, list]:
    ids = {kind: [link.target_id for link in warning.links if link.target_kind is kind] for kind in LinkKind}
    visible = names.visible_ids(session, principal, ids[LinkKind.enterprise])
    firms = names.enterprise_names(session, visible)
    from chainkeeper.coordination.models import Case

    cases = [session.get(Case, i) for i in ids[LinkKind.case]]
    return {"firms": [(i, firms[i]) for i in ids[LinkKind.enterprise] if i in firms],
            "usccs": _usccs(session, list(firms)), "cases": [c for c in cases if c is not None],
            "forecast_lines": ids[LinkKind.forecast_line]}


def _usccs(session: Session, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from chainkeeper.registry.models import Enterprise

    return dict(session.execute(select(Enterprise.id, Enterprise.uscc).where(Enterprise.id.in_(ids))).all())


def _warning_page(request: Request, session: Session, principal: Principal, warning_id: int,
                  error: str | None = None, status_code: int = 200) -> Response:
    warning = service.get_warning(session=session, principal=principal, warning_id=warning_id)
    language = request_language(request)
    chart = charts.warning_chart(warning, language)
    return page(request, session, "monitoring/warnings/detail.html", status_code=status_code, warning=warning,
                chart=chart, table=charts.chart_table(chart), links=_links(session, principal, warning),
                regions=display_names(session, [warning.region_code]),
                may_acknowledge=service.acts_on_region(principal, warning.region_code)
                and policies.ACKNOWLEDGE.allows(principal), has_view=has_view(warning),
                error=error or request.query_params.get("error"))


@router.get(BASE + "/rules")
def rule_list(request: Request, session: DbSession, principal: Reader) -> Response:
    """The rules in the caller's scope; the form for a new one (provinces and the ministry)."""
    return _rules_page(request, session, principal)


def _rules_page(request: Request, session: Session, principal: Principal, *, form: dict | None = None,
                error: str | None = None, editing=None, status_code: int = 200) -> Response:
    rules = service.list_rules(session=session, principal=principal)
    default_region = "" if principal.is_national else (principal.region_code or "")
    values = _form_of(editing) if editing is not None else {"region": default_region, "level": "red",
                                                             "kind": "below", "indicator": "iva_yoy"}
    return page(request, session, "monitoring/warnings/rules.html", status_code=status_code, rules=rules,
                regions=display_names(session, [r.region_code for r in rules] + [default_region]),
                may_set=policies.RULES.allows(principal), sets_for=lambda r: service.sets_rules_for(principal, r),
                kinds=KINDS, parameters={kind: EXTRA.get(kind, names_) for kind, names_ in PARAMETERS.items()}, form=values | (form or {}), editing=editing,
                error=error or request.query_params.get("error"))


def _form_of(rule) -> dict:
    values = {"indicator": rule.indicator, "kind": rule.kind, "level": rule.level.value, "region": rule.region_code,
              "industry": rule.industry_code, "subregions": "1" if rule.subregions else "",
              "active": "1" if rule.active else ""}
    for name, value in (rule.params or {}).items():
        values[f"p_{rule.kind}_{name}"] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return values


def _rule_data(session: Session, form) -> service.RuleData:
    kind = str(form.get("kind") or "")
    params = {}
    for name in EXTRA.get(kind, PARAMETERS.get(kind, ())):
        raw = str(form.get(f"p_{kind}_{name}") or "").strip()[:200]
        if raw:
            params[name] = [part.strip() for part in raw.split(",") if part.strip()] if name == "inputs" else raw
    region_text = str(form.get("region") or "").strip()[:60]
    region = resolve_region(session, region_text) if region_text else ""
    return service.RuleData(indicator=str(form.get("indicator") or "").strip()[:64], kind=kind, params=params,
                            level=str(form.get("level") or "yellow"), region_code=region if region is not None
                            else region_text, industry_code=str(form.get("industry") or "").strip()[:8],
                            subregions=form.get("subregions") == "1", active=form.get("active", "1") == "1")


def _refused_text(error: ChainkeeperError, language: str) -> str:
    details = getattr(error, "details", None) or []
    said = "; ".join(f"{d.get('field')}: {translate(d.get('message', ''), language)}" for d in details)
    return error_text(error, language) + (f" ({said})" if said else "")


@router.post(BASE + "/rules")
async def create_rule(request: Request, session: DbSession, principal: RuleSetter) -> Response:
    """Add a rule; a refused form comes back with what was typed and the reason."""
    form = await request.form()
    return await run_in_threadpool(_create_rule, request, session, principal, form)


def _create_rule(request: Request, session: Session, principal: Principal, form) -> Response:
    try:
        rule = service.create_rule(session=session, caller=caller_of(principal, request),
                                   data=_rule_data(session, form))
    except ChainkeeperError as error:
        session.rollback()
        typed = {key: str(value)[:200] for key, value in form.items() if key != "csrf_token"}
        return _rules_page(request, session, principal, form=typed, status_code=422,
                           error=_refused_text(error, request_language(request)))
    return back(f"{BASE}/rules#rule-{rule.id}")


@router.get(BASE + "/rules/{rule_id}")
def rule_page(request: Request, session: DbSession, principal: Reader, rule_id: ObjectId) -> Response:
    """One rule, in the editor when the caller may change it."""
    rule = service.get_rule(session=session, principal=principal, rule_id=rule_id)
    return _rules_page(request, session, principal, editing=rule)


@router.post(BASE + "/rules/{rule_id}")
async def update_rule(request: Request, session: DbSession, principal: RuleSetter, rule_id: ObjectId) -> Response:
    """Change a rule (its region and the new one must be the caller's)."""
    form = await request.form()
    return await run_in_threadpool(_update_rule, request, session, principal, rule_id, form)


def _update_rule(request: Request, session: Session, principal: Principal, rule_id: int, form) -> Response:
    try:
        service.update_rule(session=session, caller=caller_of(principal, request), rule_id=rule_id,
                            data=_rule_data(session, form))
    except ChainkeeperError as error:
        session.rollback()
        rule = service.get_rule(session=session, principal=principal, rule_id=rule_id)
        typed = {key: str(value)[:200] for key, value in form.items() if key != "csrf_token"}
        return _rules_page(request, session, principal, form=typed, editing=rule, status_code=422,
                           error=_refused_text(error, request_language(request)))
    return back(f"{BASE}/rules#rule-{rule_id}")


@router.get(BASE + "/{warning_id}")
def warning_page(request: Request, session: DbSession, principal: Reader, warning_id: ObjectId) -> Response:
    """One warning: its chart and table, the figures of the verdict, what it links to, acknowledging."""
    return _warning_page(request, session, principal, warning_id)


@router.get(BASE + "/{warning_id}/impact")
def impact_panel(request: Request, session: DbSession, principal: Reader, warning_id: ObjectId,
                 cut: Annotated[float | None, Query(ge=0.05, le=1.0)] = None) -> Response:
    """The engine's view (loaded after the page): downstream enterprises at risk."""
    warning = service.get_warning(session=session, principal=principal, warning_id=warning_id)
    try:
        view = engine_view(session=session, principal=principal, warning=warning, cut=cut)
        failure = None
    except ChainkeeperError as error:
        view, failure = None, error_text(error, request_language(request))
    return page(request, session, "monitoring/warnings/_impact.html", warning=warning, view=view, failure=failure)


@router.post(BASE + "/{warning_id}/acknowledge")
def acknowledge(request: Request, session: DbSession, principal: Acknowledger, warning_id: ObjectId,
                note: Text = "", back_to: Annotated[str, Form(alias="back")] = "") -> Response:
    """Acknowledge the warning with a note, as the signed-in person."""
    target = BASE if back_to == "list" else f"{BASE}/{warning_id}"
    with back_if_refused(target, request):
        service.acknowledge(session=session, caller=caller_of(principal, request), warning_id=warning_id, note=note)
    return back(target)
