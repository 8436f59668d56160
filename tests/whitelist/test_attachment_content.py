"""Uploads are checked by their bytes, not the type the browser claims (issue 10, finding 14): an executable sent
as a PDF is refused on every upload door (the white list's plan through page and API, the desk's attachments)."""

import io
import zipfile

import pytest
from whitelist.test_api import call, clients  # noqa: F401  (the fixture)

from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed
from chainkeeper.whitelist.attachments import ALLOWED_TYPES, store

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


GENUINE = {
    "application/pdf": b"%PDF-1.7\n1 0 obj\n",
    "application/msword": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": docx(),
    "text/plain": "一企一策：备用供应商两家".encode("gbk"),
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
}


def test_every_accepted_type_has_a_sample():
    assert set(GENUINE) == set(ALLOWED_TYPES)


@pytest.mark.parametrize("content_type", sorted(ALLOWED_TYPES))
def test_content_must_match_the_claimed_type(engine, data_dir, content_type):
    with unit_of_work(engine) as session:
        assert store(session=session, filename="f", content_type=content_type, data=GENUINE[content_type]).id
        with pytest.raises(ValidationFailed, match="content"):
            store(session=session, filename="setup.pdf", content_type=content_type, data=EXECUTABLE)
        other = GENUINE["image/jpeg" if content_type == "image/png" else "image/png"]
        with pytest.raises(ValidationFailed, match="content"):
            store(session=session, filename="f", content_type=content_type, data=other)


def test_executable_as_pdf_is_refused_through_the_api(engine, setup, clients):  # noqa: F811
    white_list = call(clients, "province", "POST", "/lists", 201,
                      json={"name": "江苏白名单", "scope_code": "32", "categories": ["strategic"]})
    draft = call(clients, "enterprise", "POST", "/applications", 201, json={
        "list_id": white_list["id"], "category": "strategic", "chain_code": "auto", "reason": "关键线束",
        "on_site_staff": 80, "staff_list": "张三", "pledge_accepted": True})
    refused = call(clients, "enterprise", "POST", f"/applications/{draft['id']}/plan", 422,
                   files={"file": ("预案.pdf", EXECUTABLE, "application/pdf")})
    assert "content" in refused["error"]["message"]
    call(clients, "enterprise", "POST", f"/applications/{draft['id']}/plan",
         files={"file": ("预案.pdf", b"%PDF-1.4 plan", "application/pdf")})
