"""The desk's attachment upload checks the file's bytes (issue 10, finding 14): an executable sent as a PDF is
refused and nothing is attached; a real PDF is attached."""

import pytest
from coordination.test_api import client_for, file
from sqlalchemy import func, select

from chainkeeper.auth.api import login_throttle
from chainkeeper.coordination.models import CaseAttachment
from chainkeeper.db import unit_of_work

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


@pytest.fixture
def desk(engine):
    from coordination.desk_support import build_desk

    login_throttle.reset()
    return build_desk(engine)


def attachments(engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(CaseAttachment))


def test_executable_claimed_as_pdf_is_refused_on_the_desk_page(desk, engine):
    oem = client_for(desk, "oem")
    case = file(desk, oem)
    url = f"/desk/cases/{case['id']}/attachments"
    refused = oem.post(url, files={"file": ("报告.pdf", EXECUTABLE, "application/pdf")}, follow_redirects=False)
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    assert attachments(engine) == 0
    accepted = oem.post(url, files={"file": ("报告.pdf", b"%PDF-1.4 report", "application/pdf")}, follow_redirects=False)
    assert accepted.status_code == 303 and "error=" not in accepted.headers["location"]
    assert attachments(engine) == 1
