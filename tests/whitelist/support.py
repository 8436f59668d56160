"""Helpers of the white-list tests: principals and callers per role, drafts, lists, walking to publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.whitelist import service
from chainkeeper.whitelist.models import Application
from chainkeeper.core.caller import Caller
from chainkeeper.whitelist.workflow import Action

D0 = date(2022, 4, 20)


def principal(role: Role, *, region: str | None = None, enterprise_id: int | None = None) -> Principal:
    """A principal holding one role."""
    return Principal(user_id=1, username=f"t_{role.value}", display_name=role.value, roles=frozenset({role}),
                     enterprise_id=enterprise_id, region_code=region)


def caller(role: Role, **bindings) -> Caller:
    """A caller (principal + audit actor) holding one role."""
    found = principal(role, **bindings)
    return Caller(found, Actor(None, found.username, role.value))


@dataclass
class Setup:
    """The world, enterprise ids and the usual callers."""

    world: object
    ids: dict[str, int]  # kunshan, ningbo, changchun, shanghai, suzhou2
    applicant: Caller
    kunshan: Caller
    suzhou: Caller
    jiangsu: Caller
    ministry: Caller


FULL = dict(category="strategic", chain_code="auto", reason="关键零部件", on_site_staff=120, staff_list="张三, 李四",
            pledge_accepted=True)


def draft(session, setup: Setup, list_id: int, enterprise: str = "kunshan", **fields) -> Application:
    """A draft by an enterprise of the setup, with a plan attached."""
    from chainkeeper.whitelist.attachments import store

    who = setup.applicant if enterprise == "kunshan" else caller(Role.enterprise, enterprise_id=setup.ids[enterprise])
    plan = store(session=session, filename="plan.pdf", content_type="application/pdf", data=b"%PDF-1.4 plan")
    return _with_plan(session, who, list_id, setup.ids[enterprise], plan.id, fields)


def _with_plan(session, who, list_id, enterprise_id, plan_id, fields):
    application = service.create_application(session=session, caller=who, list_id=list_id,
                                             enterprise_id=enterprise_id, **(FULL | fields))
    service.update_draft(session=session, caller=who, application=application, plan_id=plan_id)
    return application


def make_list(session, scope: str, name: str = "", categories=("strategic", "medical", "operation")):
    """A list with this scope, created by its manager."""
    who = caller(Role.province, region=scope[:2]) if scope else caller(Role.ministry)
    return service.create_list(session=session, caller=who, name=name or f"白名单 {scope or '全国'}",
                               scope_code=scope, categories=list(categories))


def publish(session, setup: Setup, list_id: int, enterprise: str = "kunshan", on: date = D0, **fields):
    """Walk an application from draft to published; returns the entry."""
    from chainkeeper.whitelist.entries import get_entry

    application = draft(session, setup, list_id, enterprise, **fields)
    who = setup.applicant if enterprise == "kunshan" else caller(Role.enterprise, enterprise_id=setup.ids[enterprise])
    local = setup.kunshan if enterprise == "kunshan" else caller(Role.county, region=_county(session, application))
    scope = application.white_list.scope_code
    manager = caller(Role.province, region=scope[:2]) if scope else caller(Role.ministry)
    service.transition(session=session, caller=who, application=application, action=Action.submit)
    service.transition(session=session, caller=local, application=application, action=Action.pass_local)
    service.transition(session=session, caller=manager, application=application, action=Action.approve)
    service.publish_batch(session=session, caller=manager, list_id=list_id, application_ids=[application.id],
                          published_on=on)
    return get_entry(session=session, entry_id=application.entry_id)


def _county(session, application) -> str:
    from chainkeeper.registry.models import Enterprise

    return session.get(Enterprise, application.enterprise_id).county_code
