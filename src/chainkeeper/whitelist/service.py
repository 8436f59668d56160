"""Lists, applications and batches: every application change goes through the workflow table, in the caller's
transaction, with an audit event and a notification for the applicant."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.core.caller import Caller
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.reference.models import KeyChain
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist import entries
from chainkeeper.whitelist.models import (
    AppState, Application, Batch, Category, Entry, ListCategory, WhiteList,
)
from chainkeeper.whitelist.notifications import notify
from chainkeeper.core.regions import within
from chainkeeper.whitelist.workflow import Action, NotAllowed, Parties, decide, manages_list

APPLICATION_FIELDS = ("category", "chain_code", "reason", "on_site_staff", "staff_list", "pledge_accepted")


def get_list(*, session: Session, list_id: int) -> WhiteList:
    """The list, or :class:`NotFound`."""
    found = session.get(WhiteList, list_id)
    if found is None:
        raise NotFound(f"no white list {list_id}")
    return found


def list_lists(*, session: Session) -> list[WhiteList]:
    """Every list: national first, then by scope and name."""
    return list(session.scalars(select(WhiteList).order_by(WhiteList.scope_code, WhiteList.name)))


def _check_categories(session: Session, codes: list[str]) -> list[str]:
    known = set(session.scalars(select(Category.code)))
    unknown = sorted(set(codes) - known)
    if unknown or not codes:
        raise ValidationFailed("unknown or missing categories", [{"field": "categories", "message": c} for c in unknown])
    return sorted(set(codes))


def create_list(*, session: Session, caller: Caller, name: str, scope_code: str, categories: list[str]) -> WhiteList:
    """A new list; the ministry creates national lists, authorities lists inside their region."""
    if len(scope_code) not in (0, 2, 4):
        raise ValidationFailed("a list's scope is national, a province or a city")
    if not manages_list(caller.principal, scope_code):
        raise NotAllowed("you may not create a list with this scope")
    if not name.strip():
        raise ValidationFailed("a name is required", [{"field": "name", "message": "a value is required"}])
    created = WhiteList(name=name.strip(), scope_code=scope_code,
                        categories=[ListCategory(category_code=c) for c in _check_categories(session, categories)])
    session.add(created)
    session.flush()
    record(session=session, actor=caller.actor, action="whitelist.list.create", object_type="wl_list",
           object_id=created.id, after={"name": created.name, "scope": scope_code, "categories": categories})
    return created


def application_scope(principal: Principal) -> ColumnElement[bool]:
    """Applications the principal may see: its own (enterprise), in or to its region (authorities), all (national)."""
    if principal.is_national:
        return true()
    clauses = []
    if principal.has(Role.enterprise) and principal.enterprise_id is not None:
        clauses.append(Application.enterprise_id == principal.enterprise_id)
    if principal.has(Role.county, Role.city, Role.province) and principal.region_code:
        region = principal.region_code
        in_region = select(Enterprise.id).where(Enterprise.county_code.startswith(region))
        to_region = select(WhiteList.id).where(WhiteList.scope_code.startswith(region), WhiteList.scope_code != "")
        clauses += [Application.enterprise_id.in_(in_region), Application.list_id.in_(to_region)]
    return or_(*clauses) if clauses else Application.id.is_(None)


def get_application(*, session: Session, application_id: int, principal: Principal | None = None) -> Application:
    """The application (visible to ``principal`` when given), or :class:`NotFound`."""
    query = select(Application).where(Application.id == application_id)
    if principal is not None:
        query = query.where(application_scope(principal))
    found = session.scalar(query)
    if found is None:
        raise NotFound(f"no application {application_id}")
    return found


def list_applications(*, session: Session, principal: Principal, state: AppState | None = None,
                      list_id: int | None = None, limit: int = 200) -> list[Application]:
    """Applications the principal may see, newest first."""
    query = select(Application).where(application_scope(principal))
    if state is not None:
        query = query.where(Application.state == state)
    if list_id is not None:
        query = query.where(Application.list_id == list_id)
    return list(session.scalars(query.order_by(Application.id.desc()).limit(limit)))


def parties(session: Session, application: Application) -> Parties:
    """What the workflow guards need."""
    county = session.scalar(select(Enterprise.county_code).where(Enterprise.id == application.enterprise_id))
    return Parties(application.enterprise_id, county or "", application.white_list.scope_code)


def snapshot(application: Application) -> dict:
    """The audited fields of an application."""
    return {"state": application.state.value, "list_id": application.list_id,
            "enterprise_id": application.enterprise_id, "decision_reason": application.decision_reason,
            **{name: getattr(application, name) for name in APPLICATION_FIELDS}, "plan_id": application.plan_id}


def _check_fields(session: Session, white_list: WhiteList, enterprise: Enterprise, fields: dict) -> None:
    if fields.get("chain_code") and session.get(KeyChain, fields["chain_code"]) is None:
        raise ValidationFailed("no such key chain", [{"field": "chain_code", "message": str(fields["chain_code"])}])
    if fields.get("category") not in white_list.category_codes:
        raise ValidationFailed("this list does not take this category", [{"field": "category", "message": "?"}])
    if white_list.scope_code and not within(enterprise.county_code, white_list.scope_code):
        raise ValidationFailed("the enterprise lies outside the list's region")
    if int(fields.get("on_site_staff") or 0) < 0:
        raise ValidationFailed("the staff count cannot be negative")


def create_application(*, session: Session, caller: Caller, list_id: int, enterprise_id: int, **fields) -> Application:
    """A draft application of the caller's own enterprise."""
    principal = caller.principal
    if not (principal.has(Role.enterprise) and principal.enterprise_id == enterprise_id):
        raise NotAllowed("enterprise users apply for their own enterprise only")
    white_list = get_list(session=session, list_id=list_id)
    if white_list.is_national:
        raise ValidationFailed("national lists are built from provincial nominations")
    enterprise = session.get(Enterprise, enterprise_id)
    _check_fields(session, white_list, enterprise, fields)
    application = Application(list_id=list_id, enterprise_id=enterprise_id, white_list=white_list,
                              state=AppState.draft, **{k: fields.get(k) for k in APPLICATION_FIELDS if k in fields})
    application.nominated_by = enterprise.county_code
    session.add(application)
    session.flush()
    record(session=session, actor=caller.actor, action="whitelist.application.create", object_type="wl_application",
           object_id=application.id, after=snapshot(application))
    return application


def update_draft(*, session: Session, caller: Caller, application: Application, **fields) -> Application:
    """Change a draft (the applicant only)."""
    if application.state is not AppState.draft:
        raise ValidationFailed("only a draft can be changed")
    if not (caller.principal.has(Role.enterprise) and caller.principal.enterprise_id == application.enterprise_id):
        raise NotAllowed("only the applicant changes a draft")
    before = snapshot(application)
    merged = {k: fields.get(k, getattr(application, k)) for k in APPLICATION_FIELDS}
    _check_fields(session, application.white_list, session.get(Enterprise, application.enterprise_id), merged)
    for key in APPLICATION_FIELDS:
        if key in fields:
            setattr(application, key, fields[key])
    if "plan_id" in fields:
        application.plan_id = fields["plan_id"]
    session.flush()
    record(session=session, actor=caller.actor, action="whitelist.application.update", object_type="wl_application",
           object_id=application.id, before=before, after=snapshot(application))
    return application


def _ready(application: Application) -> None:
    missing = [name for name, ok in (("pledge_accepted", application.pledge_accepted),
                                     ("plan", application.plan_id is not None),
                                     ("staff_list", application.staff_list.strip())) if not ok]
    if missing:
        raise ValidationFailed("the application is incomplete",
                               [{"field": name, "message": "a value is required"} for name in missing])


def transition(*, session: Session, caller: Caller, application: Application, action: Action,
               reason: str = "", batch: Batch | None = None) -> Application:
    """Take ``action`` (audited, applicant notified); publishing goes through :func:`publish_batch`."""
    if action is Action.publish and batch is None:
        raise ValidationFailed("publish approved applications in a batch")
    target = decide(application.state, action, caller.principal, parties(session, application), reason)
    if action is Action.submit:
        _ready(application)
    before = snapshot(application)
    application.state = target
    if reason:
        application.decision_reason = reason.strip()
    session.flush()
    record(session=session, actor=caller.actor, action=f"whitelist.application.{action.value}",
           object_type="wl_application", object_id=application.id, before=before, after=snapshot(application))
    notify(session=session, enterprise_id=application.enterprise_id, application_id=application.id,
           kind=action.value, id=application.id, list=application.white_list.name, reason=reason,
           batch=batch.number if batch else "")
    return application


def nominate(*, session: Session, caller: Caller, national_list_id: int, entry: Entry, reason: str = "") -> Application:
    """A provincial authority nominates an entry of its list to a national list; the ministry then decides."""
    target = get_list(session=session, list_id=national_list_id)
    principal = caller.principal
    province = (principal.region_code or "")[:2]
    if not target.is_national:
        raise ValidationFailed("nominations go to national lists")
    if not (principal.has(Role.province) and province and within(entry.scope_code, province)):
        raise NotAllowed("provincial authorities nominate entries of their own province's lists")
    if entry.category not in target.category_codes:
        raise ValidationFailed("this list does not take this category")
    application = Application(list_id=target.id, white_list=target, enterprise_id=entry.enterprise_id,
                              category=entry.category, chain_code=entry.chain_code, reason=reason or entry.reason,
                              on_site_staff=entry.on_site_staff, staff_list="", pledge_accepted=True,
                              state=AppState.nominated, nominated_by=province)
    session.add(application)
    session.flush()
    record(session=session, actor=caller.actor, action="whitelist.application.nominate", object_type="wl_application",
           object_id=application.id, after=snapshot(application))
    notify(session=session, enterprise_id=entry.enterprise_id, application_id=application.id, kind="nominate",
           list=target.name)
    return application


def next_batch_number(session: Session, list_id: int) -> int:
    """The number the next batch of the list gets."""
    return (session.scalar(select(func.max(Batch.number)).where(Batch.list_id == list_id)) or 0) + 1


def publish_batch(*, session: Session, caller: Caller, list_id: int, application_ids: list[int],
                  published_on: date) -> Batch:
    """Publish approved applications of a list as its next batch: entries, certificates, notifications."""
    white_list = get_list(session=session, list_id=list_id)
    if not manages_list(caller.principal, white_list.scope_code):
        raise NotAllowed("you may not publish this list")
    chosen = list(session.scalars(select(Application).where(Application.id.in_(application_ids),
                                                            Application.list_id == list_id)))
    if not chosen or len(chosen) != len(set(application_ids)):
        raise ValidationFailed("choose approved applications of this list")
    batch = Batch(list_id=list_id, number=next_batch_number(session, list_id), published_on=published_on)
    white_list.batches.append(batch)
    session.flush()
    record(session=session, actor=caller.actor, action="whitelist.batch.publish", object_type="wl_batch",
           object_id=batch.id, after={"list_id": list_id, "number": batch.number, "on": published_on.isoformat(),
                                      "applications": sorted(application_ids)})
    for application in chosen:
        transition(session=session, caller=caller, application=application, action=Action.publish, batch=batch)
        entry = entries.create_entry(session=session, actor=caller.actor, white_list=white_list, batch=batch,
                                     application=application)
        application.entry_id = entry.id
    return batch

