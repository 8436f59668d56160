"""The demo agrees with itself (issue 9, finding 8): its certificates and its pass are in force on the day it is
loaded, as the desk's cases carry the dates they were filed on."""

from __future__ import annotations

from sqlalchemy import select

from chainkeeper.credentials.models import Credential
from chainkeeper.credentials.service import check_payload, local_today
from chainkeeper.db import unit_of_work
from chainkeeper.demo.service import load_demo


def test_demo_certificates_and_passes_are_valid_today(sqlite_engine, data_dir):
    load_demo(sqlite_engine, n_firms=300, seed=7)
    with unit_of_work(sqlite_engine) as session:
        credentials = list(session.scalars(select(Credential)))
        kinds = {credential.kind.value for credential in credentials}
        assert kinds == {"certificate", "vehicle_pass"}, kinds
        statuses = {check_payload(session=session, payload=c.payload, today=local_today()).status
                    for c in credentials if c.revocation is None}
    assert statuses == {"valid"}
