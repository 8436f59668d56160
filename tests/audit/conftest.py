"""Fixtures of the audit tests: a database (each backend) whose audit log is empty before and after the test."""

import pytest
from audit.audit_support import wipe_audit_log


@pytest.fixture
def audit_engine(engine):
    """``engine`` with an empty audit log (the append-only triggers stop ``clear_data`` from emptying it)."""
    wipe_audit_log(engine)
    yield engine
    wipe_audit_log(engine)
