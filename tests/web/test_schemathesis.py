"""Schemathesis against the OpenAPI schema, authenticated with an API token: no 500s, responses match the schema."""

import pytest
import schemathesis
from accounts_fixture import build_world
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_token, create_user
from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app

BUSINESS_RULES = [positive_data_acceptance]
"""Schema-valid requests may still be refused by a rule (a wrong current password, a taken username)."""
NOT_FUZZED = {"/api/v1/auth/logout"}  # would end the session other cases run in; covered by account tests


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory):
    from db_templates import migrated_sqlite

    from chainkeeper.db import make_engine

    engine = make_engine(migrated_sqlite(tmp_path_factory.mktemp("fuzz") / "fuzz.db"))
    build_world(engine)
    return create_app(engine=engine), engine


def fresh_admin_token(engine, name: str) -> str:
    """A new administrator and token per operation: fuzzing may revoke tokens or change the roles it runs as."""
    with unit_of_work(engine) as session:
        admin = create_user(session=session, username=name, password="fuzzing-admin-1", display_name=name,
                            roles={Role.admin})
        return create_token(session=session, user=admin, name="fuzz").plaintext


@pytest.fixture(scope="module")
def api_schema(fuzz_target):
    app, _token = fuzz_target
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def operations(api_schema):
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.path not in NOT_FUZZED:
            yield operation


def test_every_operation_is_fuzzed(api_schema):
    paths = {operation.path for operation in operations(api_schema)}
    assert {"/api/v1/enterprises", "/api/v1/users", "/api/v1/tokens/{token_id}"} <= paths


def test_api_conforms(api_schema, fuzz_target):
    """Each operation gets generated requests (valid and invalid); none may fail the schema's checks."""
    _app, engine = fuzz_target
    for number, operation in enumerate(operations(api_schema)):
        token = fresh_admin_token(engine, f"fuzz_admin_{number}")

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=BUSINESS_RULES)

        check()
