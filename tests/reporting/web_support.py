"""Clients of the real app for the reporting tests, signed in as a world user, and workbooks built in memory."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import Workbook
from reporting.support import PASSWORD

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app


def client_for(world, username: str) -> TestClient:
    """A client signed in as ``username`` with its CSRF header set (pages read the form field too)."""
    login_throttle.reset()
    client = TestClient(create_app(engine=world.engine), follow_redirects=False)
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.csrf = response.json()["csrf_token"]
    client.headers["x-csrf-token"] = client.csrf
    return client


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX file with the given sheets (first one first), rows as lists of cells."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
