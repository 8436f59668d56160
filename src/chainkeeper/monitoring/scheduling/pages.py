"""Daily scheduling's pages: the picture (charts and tables, every figure clickable down to its enterprises), the
enterprises behind a figure, the key groups an authority manages, and a daily report with its problem → desk case."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated

from fastapi import Form, Query, Request, Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination.labels import CATEGORY_LABELS, URGENCY_LABELS
from chainkeeper.coordination.messages import error_text
from chainkeeper.core.data_epoch import sees_nothing
from chainkeeper.coordination.models import CaseCategory, Urgency
from chainkeeper.credentials.service import local_today
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.scheduling import cases, cells, charts, groups, service
from chainkeeper.monitoring.scheduling import picture_tables as tables
from chainkeeper.monitoring.scheduling import policies as rules
from chainkeeper.monitoring.scheduling.figures import FIGURES, behind
from chainkeeper.monitoring.scheduling.picture_tables import scope_query
from chainkeeper.reference.pickers import display_names, resolve_region
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import service as reporting
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.redirects import back, back_if_refused
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key
from chainkeeper.web.pickers import resolve_enterprise
from chainkeeper.whitelist import service as whitelists

router = page_router()
Reader = Annotated[Principal, guard(rules.PICTURE)]
Manager = Annotated[Principal, guard(rules.GROUPS)]
Filer = Annotated[Principal, guard(rules.PROBLEM_CASE)]
Anyone = Annotated[Principal, guard(rules.REPORT_READ)]
Text = Annotated[str, Form(max_length=20_000)]
RegionText = Annotated[str, Query(max_length=60)]
ChainCode = Annotated[str, Query(max_length=32)]
GroupId = Annotated[int | None, Query(ge=1, le=2_147_483_647)]
STATE_LABELS = {"resumed": _("producing"), "stopped": _("stopped"), "missing": _("no report")}
FIGURE_LABELS = {"resumption": _("Resumption rate"), "attainment": _("Capacity attainment (达产率)"),
                 "staff": _("Staff return rate"), "reported": _("Reports received")}
LOGISTICS_LABELS = {"normal": _("normal"), "constrained": _("constrained"), "blocked": _("blocked")}
RULE_LABELS = {"whitelist": _("White-listed enterprises (active entries of a list)"),
               "leading": _("Leading enterprises (label 龙头企业)"), "chain": _("Members of a key chain"),
               "picked": _("Hand-picked enterprises")}
PICTURE_TTL = 10.0
"""Seconds a picture (and the newest day with reports) is reused by readers of the same scope; a write ends it."""


def _scope(request: Request, session, principal: Principal, day: date | None, region: str) -> tuple[date, str]:
    """The day (default: the newest with reports) and the region code the picker's plain field stands for."""
    if day is None:
        today = local_today()
        day = page_cache(request.app).get(
            session, ("monitoring.latest_day", scope_key(principal), today), PICTURE_TTL,
            lambda: service.latest_day(session=session, principal=principal, up_to=today), sees_nothing)
    code = resolve_region(session, region[:60]) if region.strip() else ""
    return day, code or ""


def _picture(request: Request, session, principal: Principal, day: date, region: str, chain: str,
             group: int | None) -> service.Picture:
    """The picture of a scope, computed once per data epoch for readers of the same scope (most of these pages'
    CPU: 14 days of members and reports) and reused for :data:`PICTURE_TTL` seconds at most. The picture reads no
    desk case: the desk's narrow writes leave it (and the pages' kept blocks) current (``sees_nothing``)."""
    return page_cache(request.app).get(
        session, ("monitoring.picture", scope_key(principal), day, region, chain, group), PICTURE_TTL,
        lambda: service.picture(session=session, caller=caller_of(principal, request), day=day,
                                region_code=region, chain_code=chain, group_id=group), sees_nothing)


@router.get("/monitoring/picture")
def picture_page(request: Request, session: DbSession, principal: Reader, day: date | None = None,
                 region: RegionText = "", chain: ChainCode = "", group: GroupId = None) -> Response:
    """The picture of a day: figures, each group's output index, by region, chain and group, problems."""
    language = request_language(request)
    when, code = _scope(request, session, principal, day, region)

    def context() -> dict:
        view = _picture(request, session, principal, when, code, chain, group)
        names = display_names(session, [p.key for p in view.by_region] +
                              [c.key for p in view.by_region for c in p.children] + [code])

        links = tables.ScopeLinks(when, code, chain, group)
        chain_names = queries.chain_names(session, language)
        texts = _picture_texts(language)
        return dict(view=view, day=when, region=code, chain=chain, group=group, chain_names=chain_names,
                    query=links, groups=view.choices, within=principal.region_code or "",
                    may_groups=rules.GROUPS.allows(principal), index_chart=charts.index_chart(view, language),
                    region_chart=charts.region_chart(view, names, language, links),
                    group_rows=tables.group_rows(view, links), region_rows=tables.region_rows(view, names, links),
                    chain_rows=tables.chain_rows(view, chain_names, links, texts["no chain"]),
                    problem_rows=tables.problem_rows(view, texts["open"]))

    return render_kept(request, session, "monitoring/scheduling/picture.html",
                       (scope_key(principal), when, code, chain, group), PICTURE_TTL, context, sees=sees_nothing)


@router.get("/monitoring/picture/enterprises")
def behind_page(request: Request, session: DbSession, principal: Reader, day: date | None = None,
                figure: Annotated[str, Query(pattern="^(" + "|".join(FIGURES) + ")$")] = "resumption",
                state: Annotated[str, Query(pattern="^(resumed|stopped|missing)?$")] = "",
                region: RegionText = "", chain: ChainCode = "", group: GroupId = None) -> Response:
    """The enterprises behind one figure of the picture (the same scope), with what each reported."""
    language = request_language(request)
    when, code = _scope(request, session, principal, day, region)

    def context() -> dict:
        view = _picture(request, session, principal, when, code, chain, group)
        names = display_names(session, [row.city_code for row in view.rows] + [code])
        rows = behind(view.rows, figure, state)
        return dict(view=view, day=when, region=code, chain=chain, group=group, figure=figure, state=state,
                    rows=rows, shown_rows=cells.behind_rows(rows, names, _behind_texts(language)), names=names,
                    chain_names=queries.chain_names(session, language), figure_labels=FIGURE_LABELS,
                    state_labels=STATE_LABELS, logistics_labels=LOGISTICS_LABELS,
                    back_query=scope_query(when, code, chain, group))

    return render_kept(request, session, "monitoring/scheduling/behind.html",
                       (scope_key(principal), when, code, chain, group, figure, state), PICTURE_TTL, context,
                       sees=sees_nothing)


@lru_cache(maxsize=8)
def _picture_texts(language: str) -> dict[str, str]:
    """The picture's table texts as the template's ``_()`` shows them in ``language``."""
    return {"no chain": queries.shown_text(_("no key chain"), language),
            "open": queries.shown_text(_("Open the report"), language)}


@lru_cache(maxsize=8)
def _behind_texts(language: str) -> dict[str, str]:
    """The labels of the enterprises behind a figure as the template's ``_()`` shows them in ``language``."""
    texts = {key: queries.shown_text(label, language) for key, label in STATE_LABELS.items()}
    texts |= {f"logistics:{key}": queries.shown_text(label, language) for key, label in LOGISTICS_LABELS.items()}
    return texts | {"late": queries.shown_text(_("late"), language),
                    "open": queries.shown_text(_("Open the report"), language)}


@router.get("/monitoring/groups")
def groups_page(request: Request, session: DbSession, principal: Manager) -> Response:
    """The key groups the caller reads, and the form that creates one."""
    found = groups.list_groups(session=session, principal=principal)
    return render(request, session, "monitoring/scheduling/groups.html", groups=found,
                  regions=display_names(session, [g.region_code for g in found]),
                  chain_names=queries.chain_names(session, request_language(request)),
                  within=principal.region_code or "", error=request.query_params.get("error"))


@router.post("/monitoring/groups")
def create_group(request: Request, session: DbSession, principal: Manager, name: Text = "", region_code: Text = "",
                 chain_code: Text = "") -> Response:
    """Create a key group (by default over the caller's whole region)."""
    with back_if_refused("/monitoring/groups", request):
        region = resolve_region(session, region_code[:60]) if region_code.strip() else None
        group = groups.create_group(session=session, caller=caller_of(principal, request), name=name[:300],
                                    region_code=region if region_code.strip() else None,
                                    chain_code=chain_code.strip()[:32] or None)
    return back(f"/monitoring/groups/{group.id}")


@router.get("/monitoring/groups/{group_id}")
def group_page(request: Request, session: DbSession, principal: Manager, group_id: ObjectId) -> Response:
    """A group's members with their baselines; the rule form that adds members."""
    group = groups.get_group(session=session, principal=principal, group_id=group_id)
    region = principal.region_code or ""
    members = [m for m in group.members if principal.is_national or m.enterprise.county_code.startswith(region)]
    return render(request, session, "monitoring/scheduling/group.html", group=group, members=members,
                  may_manage=groups.may_manage(principal, group.region_code), rule_labels=RULE_LABELS,
                  lists=whitelists.list_lists(session=session),
                  chain_names=queries.chain_names(session, request_language(request)),
                  region_name=display_names(session, [group.region_code]).get(group.region_code, ""),
                  today=local_today(), error=request.query_params.get("error"),
                  done=request.query_params.get("added"))


@router.post("/monitoring/groups/{group_id}/members")
def choose_members(request: Request, session: DbSession, principal: Manager, group_id: ObjectId, rule: Text = "",
                   value: Text = "", picked: Text = "", since: Text = "") -> Response:
    """Add the members a rule chooses and assign them the daily report."""
    here = f"/monitoring/groups/{group_id}"
    language = request_language(request)
    try:
        day = date.fromisoformat(since.strip()) if since.strip() else local_today()
        if rule == "chain":  # the group's own chain
            value = groups.get_group(session=session, principal=principal, group_id=group_id).chain_code or ""
        if rule == "picked":
            value = " ".join(filter(None, [resolve_enterprise(session, principal, part) for part in
                                           [picked, *value.replace("，", ",").replace(",", "\n").splitlines()]]))
        added = service.choose_members(session=session, caller=caller_of(principal, request), group_id=group_id,
                                       rule=rule[:20], value=value, day=day)
    except ValueError:
        return back(here, translate(_("the date is not valid (YYYY-MM-DD)"), language))
    except ChainkeeperError as error:
        return back(here, error_text(error, language))
    return back(f"{here}?added={len(added)}")


@router.post("/monitoring/groups/{group_id}/members/{member_id}")
def change_member(request: Request, session: DbSession, principal: Manager, group_id: ObjectId,
                  member_id: ObjectId, action: Text = "baseline", units: Text = "0", value: Text = "0",
                  staff: Text = "0") -> Response:
    """Correct a member's baseline, or take it out of the group."""
    here = f"/monitoring/groups/{group_id}"
    caller = caller_of(principal, request)
    try:
        if action == "remove":
            service.drop_member(session=session, caller=caller, group_id=group_id, member_id=member_id,
                                day=local_today())
        else:
            groups.set_baseline(session=session, caller=caller, group_id=group_id, member_id=member_id,
                                units=int(units), value=float(value), staff=int(staff))
    except ValueError:
        return back(here, translate(_("a baseline is a number of at least 0"), request_language(request)))
    except ChainkeeperError as error:
        return back(here, error_text(error, request_language(request)))
    return back(here)


@router.get("/monitoring/scheduling/reports/{report_id}")
def report_page(request: Request, session: DbSession, principal: Anyone, report_id: ObjectId) -> Response:
    """A daily report: its values, its problem and — for who may file — the prefilled desk case (one click)."""
    caller = caller_of(principal, request)
    report = reporting.get_report(session=session, caller=caller, report_id=report_id)
    case_id = cases.case_of(session, report.id)
    proposal = None
    if case_id is None and (report.values or {}).get("problem") and rules.PROBLEM_CASE.allows(principal):
        proposal = cases.proposal(session=session, caller=caller, report_id=report.id)
    return render(request, session, "monitoring/scheduling/report.html", report=report, case_id=case_id,
                  proposal=proposal, fields=reporting.type_fields(report.report_type),
                  enterprise=session.get(Enterprise, report.enterprise_id), logistics_labels=LOGISTICS_LABELS,
                  categories=CATEGORY_LABELS, urgencies=URGENCY_LABELS, error=request.query_params.get("error"),
                  language=request_language(request))


@router.post("/monitoring/scheduling/reports/{report_id}/case")
def open_case(request: Request, session: DbSession, principal: Filer, report_id: ObjectId, category: Text = "",
              title: Text = "", blocking_uscc: Text = "", blocking_name: Text = "", urgency: Text = "") -> Response:
    """File the report's problem as a desk case and go to it."""
    language = request_language(request)
    try:
        uscc = resolve_enterprise(session, principal, blocking_uscc[:60])
        case = cases.open_case(session=session, caller=caller_of(principal, request), report_id=report_id,
                               category=CaseCategory(category) if category else None, title=title[:200] or None,
                               blocking_uscc=uscc, blocking_name=blocking_name[:200] or None,
                               urgency=Urgency(urgency) if urgency else None)
    except ValueError:
        return back(f"/monitoring/scheduling/reports/{report_id}", translate(_("choose a value from the list"),
                                                                             language))
    except ChainkeeperError as error:
        return back(f"/monitoring/scheduling/reports/{report_id}", error_text(error, language))
    return back(f"/desk/cases/{case.id}")
