"""Plans, lines and needs as plain rows for the API, the pages and the XLSX export (names looked up once)."""

from __future__ import annotations

import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.docking import catalogue, plans
from chainkeeper.docking.explain import priority_text, reason_text, state_text
from chainkeeper.docking.models import Need, Plan, PlanLine
from chainkeeper.docking.schemas import LineOut, NeedOut, PlanOut
from chainkeeper.exporting import safe_row
from chainkeeper.i18n import _, translate
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise


def line_out(line: PlanLine, names: dict[int, str], language: str) -> LineOut:
    """A line with its producer's and demander's names and its reasons in ``language``."""
    reasons = line.reasons or {}
    return LineOut(id=line.id, day=line.plan.day, good_code=line.plan.good.code, producer_id=line.producer_id,
                   producer=names.get(line.producer_id, str(line.producer_id)), need_id=line.need_id,
                   demander=line.need.demander_name, quantity=line.quantity, distance_km=line.distance_km,
                   fixed=line.fixed, why=reason_text(reasons.get("why"), language),
                   why_not_more=reason_text(reasons.get("why_not_more"), language), state=line.state,
                   shipped_quantity=line.shipped_quantity, received_quantity=line.received_quantity)


def lines_out(session: Session, lines: list[PlanLine], language: str) -> list[LineOut]:
    """Lines with names."""
    ids = {line.producer_id for line in lines}
    names = dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))).all()) \
        if ids else {}
    return [line_out(line, names, language) for line in lines]


def plan_out(session: Session, plan: Plan, language: str) -> PlanOut:
    """A plan with its lines, shortfalls (with demanders and reasons) and the solver's message."""
    summary = plan.summary or {}
    shortfalls = []
    for item in summary.get("shortfalls", []):
        need = session.get(Need, item["need_id"])
        shortfalls.append({"need_id": item["need_id"], "demander": need.demander_name if need else "",
                           "priority": need.priority if need else None, "unmet": item["unmet"],
                           "reason": reason_text(item.get("reason"), language)})
    return PlanOut(id=plan.id, day=plan.day, good_code=plan.good.code, scope_region=plan.scope_region,
                   state=plan.state, status=summary.get("status", ""),
                   message=reason_text(summary.get("message"), language),
                   served_by_class=summary.get("served_by_class", {}), need_by_class=summary.get("need_by_class", {}),
                   lines=lines_out(session, [l for l in plan.lines if l.quantity > 0], language),
                   shortfalls=shortfalls, gap=summary.get("gap", 0.0))


def need_out(session: Session, need: Need, open_quantity: float | None = None, good_code: str | None = None) -> NeedOut:
    """A need with what is still open of it (``good_code``: its good's code when the caller has it, else loaded)."""
    if open_quantity is None:
        open_quantity = plans.open_quantities(session, [need.id])[need.id]
    return NeedOut(id=need.id, good_code=good_code or need.good.code, demander_name=need.demander_name,
                   enterprise_id=need.enterprise_id, quantity=need.quantity, open_quantity=open_quantity,
                   min_lot=need.min_lot, date_needed=need.date_needed, priority=need.priority,
                   county_code=need.county_code, state=need.state, review_note=need.review_note)


HEADERS = (_("Producer"), _("Demander"), _("Priority class"), _("Quantity"), _("Distance (km)"), _("Fixed"),
           _("Why this producer"), _("Why not more"), _("State"))


def plan_xlsx(session: Session, plan: Plan, language: str) -> bytes:
    """The day's allocation as a workbook: the lines, then the shortfalls (every cell through the neutraliser)."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    view = plan_out(session, plan, language)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(translate(_("Allocation"), language))
    sheet.append(safe_row([f"{view.day.isoformat()} · {plan.good.name_zh if language != 'en' else plan.good.name_en}"
                           f" · {view.scope_region or translate(_('national'), language)}"
                           f" · {state_text(view.state, language)} · {view.message}"]))
    sheet.append(safe_row(translate(h, language) for h in HEADERS))
    priorities = {l.id: l.need.priority for l in plan.lines}
    for line in view.lines:
        sheet.append(safe_row([line.producer, line.demander, priority_text(priorities[line.id], language),
                               line.quantity, line.distance_km, "✓" if line.fixed else "", line.why,
                               line.why_not_more, state_text(line.state, language)]))
    short = book.create_sheet(translate(_("Shortfalls"), language))
    short.append(safe_row(translate(h, language) for h in (_("Demander"), _("Priority class"), _("Unmet"),
                                                           _("Reason"))))
    for item in view.shortfalls:
        short.append(safe_row([item["demander"], priority_text(item["priority"], language) if item["priority"]
                               else "", item["unmet"], item["reason"]]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def goods_map(session: Session, language: str) -> dict[str, dict[str, str]]:
    """Good code → its name and unit in ``language`` (for the pages: people read names, not codes)."""
    english = language == "en"
    return {g.code: {"name": g.name_en if english else g.name_zh, "unit": g.unit_en if english else g.unit_zh}
            for g in catalogue.goods(session)}


def place_names(session: Session, codes: set[str]) -> dict[str, str]:
    """County code → its name (with its city's, e.g. 武汉市江岸区)."""
    if not codes:
        return {}
    counties = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())
    cities = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_({c[:4] for c in codes}))).all())
    return {code: cities.get(code[:4], "") + name if cities.get(code[:4]) != name else name
            for code, name in counties.items()}


def grouped_goods(session: Session, language: str) -> list[tuple[str, list[dict[str, str]]]]:
    """The active goods grouped by their top category (medical supplies, chips, fertiliser …) for a choice list:
    [(category name, [{code, name, unit}])] in the catalogue's order."""
    english = language == "en"
    cats = {c.id: c for c in catalogue.categories(session)}

    def top(category_id: int):
        category = cats[category_id]
        while category.parent_id is not None:
            category = cats[category.parent_id]
        return category

    groups: dict[int, list[dict[str, str]]] = {}
    for good in catalogue.goods(session, active_only=True):
        groups.setdefault(top(good.category_id).id, []).append(
            {"code": good.code, "name": good.name_en if english else good.name_zh,
             "unit": good.unit_en if english else good.unit_zh})
    ordered = sorted(groups, key=lambda cid: (cats[cid].position, cats[cid].id))
    return [(cats[cid].name_en if english else cats[cid].name_zh, groups[cid]) for cid in ordered]
