"""A letter's spreadsheet shares the import reader (issue 10, findings 1, 11, 16): bounded, scoped, row errors
instead of 500s, in the caller's language."""

import pytest
from coordination.test_api import client_for
from xlsx_bombs import Unpacked

from chainkeeper.auth.api import login_throttle

HEADER = "诉求企业统一社会信用代码,堵点企业统一社会信用代码,堵点企业名称,堵点所在区县代码,问题类别,问题概述\n"


@pytest.fixture
def desk(engine):
    from coordination.desk_support import build_desk

    login_throttle.reset()
    return build_desk(engine)


def draft(client) -> str:
    letter = client.post("/api/v1/desk/letters", json={"to_region_code": "32", "subject": "清单"}).json()
    return f"/api/v1/desk/letters/{letter['id']}"


def test_zip_bomb_letter_is_refused_at_once(desk, xlsx_bomb, monkeypatch):
    jilin = client_for(desk, "jilin")
    url = draft(jilin)
    unpacked = Unpacked(monkeypatch)
    response = jilin.post(url + "/import", files={"file": ("清单.xlsx", xlsx_bomb.read_bytes(), "application/zip")})
    assert unpacked.bytes < 8 * 2**20  # of the 400 MB it holds: refused at once, on any machine
    assert response.status_code == 422 and "解压后有 400.0 MB" in response.json()["error"]["message"]


def test_oversized_field_is_a_row_error(desk):
    jilin = client_for(desk, "jilin")
    url = draft(jilin)
    row = f"{desk.usccs['changchun']},{desk.usccs['kunshan']},,,零部件供应,{'断' * 140_000}\n"
    response = jilin.post(url + "/import", files={"file": ("清单.csv", (HEADER + row).encode(), "text/csv")})
    assert response.status_code == 422
    assert [(d["row"], d["column"]) for d in response.json()["error"]["details"]] == [(2, "问题概述")]
    assert jilin.get(url).json()["case_ids"] == []


def test_requester_outside_the_sending_province_is_a_row_error(desk):
    jilin = client_for(desk, "jilin")
    url = draft(jilin)
    rows = (f"{desk.usccs['changchun']},{desk.usccs['kunshan']},,,零部件供应,线束断供\n"
            f"{desk.usccs['kunshan']},{desk.usccs['ningbo']},,,零部件供应,替江苏企业诉求\n")
    response = jilin.post(url + "/import", files={"file": ("清单.csv", (HEADER + rows).encode(), "text/csv")})
    assert response.status_code == 422
    assert [d["row"] for d in response.json()["error"]["details"]] == [3]
    assert jilin.get(url).json()["case_ids"] == []
