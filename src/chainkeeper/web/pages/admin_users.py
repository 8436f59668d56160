"""Users and roles (administrators): list, create with roles and bindings, change roles, deactivate; all audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import func, or_, select

from chainkeeper.auth import policies
from chainkeeper.auth import service as accounts
from chainkeeper.auth.deps import guard
from chainkeeper.auth.models import User, UserRole
from chainkeeper.auth.roles import ROLE_LABELS, Principal, Role
from chainkeeper.auth.schemas import RolesIn, UserIn, UserOut
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import LANGUAGES, _, translate
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import get_enterprise, paginate
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages import queries
from chainkeeper.web.pages.audit_trail import audit
from chainkeeper.web.pages.messages import explain
from chainkeeper.web.pages.rendering import is_htmx, render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.tables import Listing

router = page_router()
Admin = Annotated[Principal, guard(policies.ADMIN)]
Text = Annotated[str, Form()]
Roles = Annotated[list[str] | None, Form()]
USER_SORTS = {"username": User.username, "display_name": User.display_name, "created": User.created_at}
FIELD_MESSAGES = {
    "username": _("A username has 3 to 64 letters, digits, dots, dashes or underscores."),
    "display_name": _("A display name is required (at most 128 characters)."),
    "roles": _("Choose at least one role."),
    "region_code": _("A region code has 2, 4 or 6 digits."),
    "password": _("A password needs at least 10 characters, with letters and digits."),
    "email": _("The e-mail address is too long."),
}


def _user_query(listing: Listing):
    query = select(User)
    if text := listing.value("q"):
        pattern = f"%{text.lower()}%"
        query = query.where(or_(func.lower(User.username).like(pattern), func.lower(User.display_name).like(pattern)))
    if (role := listing.value("role")) in {r.value for r in Role}:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == Role(role))))
    column = USER_SORTS.get(listing.sort, User.username)
    return query.order_by(column.desc() if listing.descending else column.asc(), User.id)


def _bindings(session, users) -> dict:
    """Enterprise names (by id) and region names (by code) of the users' bindings."""
    firms = queries.enterprise_names(session, (u.enterprise_id for u in users))
    return {"firms": firms, "regions": queries.region_names(session, (u.region_code for u in users))}


def _role_choices(language: str) -> list[tuple[str, str]]:
    return [(role.value, translate(label, language)) for role, label in ROLE_LABELS.items()]


def _list_page(request: Request, session, *, status_code: int = 200, form: dict | None = None,
               errors: list[str] | None = None) -> Response:
    listing = Listing(request, filters=("q", "role"), sorts=tuple(USER_SORTS), default_sort="username",
                      target="user-table")
    found = paginate(session, _user_query(listing), listing.page, listing.page_size)
    template = "admin/_user_table.html" if is_htmx(request) else "admin/users.html"
    return render(request, session, template, status_code=status_code, listing=listing, found=found,
                  pager=listing.pager(found.total), roles=_role_choices(request_language(request)),
                  form=form or {"language": "zh_CN"}, errors=errors or [], languages=LANGUAGES,
                  created=request.query_params.get("created"), updated=request.query_params.get("updated"),
                  **_bindings(session, found.items))


def _validation_messages(error: ValidationError, language: str) -> list[str]:
    fields = {str(item["loc"][0]) if item["loc"] else "" for item in error.errors()}
    return [translate(FIELD_MESSAGES.get(name, _("Check the form and try again.")), language)
            for name in sorted(fields)]


def _enterprise_id(session, uscc: str | None) -> int | None:
    return get_enterprise(session=session, uscc=uscc).id if uscc else None


def _blank(value: str) -> str | None:
    return value.strip() or None


@router.get("/admin/users")
def users(request: Request, session: DbSession, _admin: Admin) -> Response:
    """Every account, with filters, sort and pages, and the form that creates one."""
    return _list_page(request, session)


@router.post("/admin/users")
def create_user(request: Request, session: DbSession, admin: Admin, username: Text = "", display_name: Text = "",
                password: Text = "", email: Text = "", roles: Roles = None, enterprise_uscc: Text = "",
                region_code: Text = "", language: Text = "zh_CN") -> Response:
    """Create an account with roles and bindings; audited."""
    form = dict(username=username.strip(), display_name=display_name.strip(), email=email.strip(),
                roles=roles or [], enterprise_uscc=_blank(enterprise_uscc), region_code=_blank(region_code),
                language=language if language in LANGUAGES else "zh_CN")
    chosen = request_language(request)
    try:
        data = UserIn(password=password, **form)
        user = accounts.create_user(session=session, username=data.username, password=data.password,
                                    display_name=data.display_name, roles=data.roles, email=data.email,
                                    enterprise_id=_enterprise_id(session, data.enterprise_uscc),
                                    region_code=data.region_code, language=data.language)
    except ValidationError as error:
        return _list_page(request, session, status_code=422, form=form, errors=_validation_messages(error, chosen))
    except ChainkeeperError as error:
        return _list_page(request, session, status_code=422, form=form, errors=[explain(error, chosen)])
    audit(session, admin, request, "user.create", "user", user.id, after=UserOut.of(user).model_dump(mode="json"))
    return RedirectResponse(f"/admin/users?created={user.username}", status_code=303)


def _edit_page(request: Request, session, user: User, *, status_code: int = 200, errors: list[str] | None = None,
               form: dict | None = None) -> Response:
    uscc = session.scalar(select(Enterprise.uscc).where(Enterprise.id == user.enterprise_id)) \
        if user.enterprise_id else None
    current = {"roles": [r.value for r in user.role_set], "enterprise_uscc": uscc, "region_code": user.region_code,
               "is_active": user.is_active}
    return render(request, session, "admin/user_edit.html", status_code=status_code, user=user,
                  form=form or current, errors=errors or [], roles=_role_choices(request_language(request)))


@router.get("/admin/users/{user_id}")
def edit_user(request: Request, session: DbSession, _admin: Admin, user_id: int) -> Response:
    """The form that changes a user's roles, bindings and whether the account is active."""
    return _edit_page(request, session, accounts.get_user(session=session, user_id=user_id))


@router.post("/admin/users/{user_id}")
def update_user(request: Request, session: DbSession, admin: Admin, user_id: int, roles: Roles = None,
                enterprise_uscc: Text = "", region_code: Text = "", is_active: Annotated[bool, Form()] = False,
                ) -> Response:
    """Change roles, bindings and activity; audited with the before and after states."""
    user = accounts.get_user(session=session, user_id=user_id)
    form = dict(roles=roles or [], enterprise_uscc=_blank(enterprise_uscc), region_code=_blank(region_code),
                is_active=is_active)
    chosen, before = request_language(request), UserOut.of(user).model_dump(mode="json")
    try:
        data = RolesIn(**form)
        accounts.set_roles(session=session, user=user, roles=data.roles, region_code=data.region_code,
                           enterprise_id=_enterprise_id(session, data.enterprise_uscc))
    except ValidationError as error:
        return _edit_page(request, session, user, status_code=422, form=form,
                          errors=_validation_messages(error, chosen))
    except ChainkeeperError as error:
        return _edit_page(request, session, user, status_code=422, form=form, errors=[explain(error, chosen)])
    user.is_active = data.is_active
    session.flush()
    audit(session, admin, request, "user.update", "user", user.id, before=before,
          after=UserOut.of(user).model_dump(mode="json"))
    return RedirectResponse(f"/admin/users?updated={user.username}", status_code=303)
