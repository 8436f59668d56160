"""The briefing as a PDF, drawn server-side with reportlab (no browser): the same sections, figures, tables and
bar charts as the page, from the same content JSON, with a CJK font embedded (a subset of Noto Sans CJK SC with
TrueType outlines, shipped in ``fonts/``; see its PROVENANCE.md)."""

from __future__ import annotations

import gzip
import io
from functools import lru_cache
from importlib import resources

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from chainkeeper.i18n import translate
from chainkeeper.monitoring.briefing.content import localise, shown

FONT = "ChainkeeperCJK"
PALETTE = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272"]  # the page's ECharts colours
WIDTH = A4[0] - 36 * mm
MAX_TABLE_ROWS = 40


@lru_cache(maxsize=1)
def register_font() -> str:
    """Register the shipped CJK font with reportlab (once per process) and return its name."""
    data = resources.files("chainkeeper.monitoring.briefing").joinpath("fonts/NotoSansSC-Briefing.ttf.gz")
    pdfmetrics.registerFont(TTFont(FONT, io.BytesIO(gzip.decompress(data.read_bytes()))))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = register_font()
    return {"title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=4 * mm),
            "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm,
                                 textColor=colors.HexColor("#1d3b6a"), keepWithNext=1),
            "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13),
            "caption": ParagraphStyle("caption", fontName=font, fontSize=9, leading=13, keepWithNext=1),
            "note": ParagraphStyle("note", fontName=font, fontSize=8, leading=11, textColor=colors.HexColor("#555")),
            "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)}


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _numbers(values: list) -> list[float]:
    return [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0 for v in values]


def _short(text: str, length: int = 12) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_drawing(chart: dict) -> Drawing:
    """A reportlab drawing of a bar chart of the content (categories × series), with its title and legend."""
    font = register_font()
    horizontal = chart.get("horizontal")
    count = max(len(chart["categories"]), 1)
    height = (60 + 16 * count) if horizontal else 190
    drawing = Drawing(WIDTH, height + 40)
    plot = HorizontalBarChart() if horizontal else VerticalBarChart()
    left = 110 if horizontal else 36
    plot.x, plot.y = left, 50 if not horizontal else 14
    plot.width, plot.height = WIDTH - left - 12, height - (60 if not horizontal else 20)
    plot.data = [_numbers(series["data"]) or [0.0] for series in chart["series"]] or [[0.0]]
    plot.categoryAxis.categoryNames = [_short(c, 14 if horizontal else 10) for c in chart["categories"]] or [""]
    for axis in (plot.categoryAxis.labels, plot.valueAxis.labels):
        axis.fontName, axis.fontSize = font, 7
    if not horizontal:
        plot.categoryAxis.labels.angle, plot.categoryAxis.labels.boxAnchor = 40, "ne"
    plot.categoryAxis.joinAxisMode = "left" if horizontal else "bottom"  # labels clear of negative bars
    plot.valueAxis.forceZero = True
    plot.barSpacing, plot.groupSpacing = 1, 6
    for index in range(len(plot.data)):
        plot.bars[index].fillColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        plot.bars[index].strokeColor = None
    drawing.add(plot)
    drawing.add(String(0, height + 26, chart["title"], fontName=font, fontSize=10))
    legend = Legend()
    legend.fontName, legend.fontSize, legend.alignment = font, 8, "right"
    legend.x, legend.y, legend.dx, legend.dy, legend.columnMaximum = 4, height + 16, 8, 8, 1
    legend.deltax = 90
    legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), s["name"])
                             for i, s in enumerate(chart["series"])]
    drawing.add(legend)
    return drawing


def _table(found: dict, styles: dict) -> list:
    rows = found["rows"][:MAX_TABLE_ROWS]
    data = [[_paragraph(c, styles["cell"]) for c in found["columns"]]]
    data += [[_paragraph(shown(cell), styles["cell"]) for cell in row] for row in rows]
    if not rows:
        data.append([_paragraph("—", styles["cell"])] + [""] * (len(found["columns"]) - 1))
    first = WIDTH * 0.34
    widths = [first] + [(WIDTH - first) / max(len(found["columns"]) - 1, 1)] * (len(found["columns"]) - 1)
    grid = Table(data, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f8")),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    return [_paragraph(found["title"], styles["caption"]), grid, Spacer(1, 3 * mm)]


def _figures(part: dict, styles: dict) -> Table:
    cells = [[_paragraph(item["label"], styles["body"]),
              _paragraph(f"{shown(item['value'])} {item.get('unit') or ''}".strip(), styles["body"])]
             for item in part["figures"]]
    grid = Table(cells, colWidths=[WIDTH * 0.6, WIDTH * 0.4])
    grid.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dddddd"))]))
    return grid


def _section(part: dict, styles: dict) -> list:
    flow: list = [_paragraph(part["title"], styles["h2"])]
    if part["figures"]:
        flow += [_figures(part, styles), Spacer(1, 3 * mm)]
    for chart in part["charts"]:
        if chart["categories"]:
            flow += [KeepTogether([bar_drawing(chart)]), Spacer(1, 3 * mm)]
    for found in part["tables"]:
        flow += _table(found, styles)
    flow += [_paragraph(note, styles["note"]) for note in part["notes"]]
    return flow


def _footer(text: str):
    def draw(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.drawString(18 * mm, 10 * mm, text)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()
    return draw


def briefing_pdf(content: dict, language: str) -> bytes:
    """The briefing ``content`` as a PDF in ``language``."""
    styles, found = _styles(), localise(content, language)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, title=found["title"], author="chainkeeper",
                                 initialFontName=FONT)
    period = translate("{first} to {last}", language, first=found["first_day"], last=found["last_day"])
    flow: list = [_paragraph(found["title"], styles["title"]), _paragraph(period, styles["body"])]
    for part in found["sections"]:
        flow += _section(part, styles)
    if found["pending"]:
        flow += [_paragraph(translate("Sections not yet available", language), styles["h2"]),
                 _paragraph("、".join(found["pending"]) if language == "zh_CN" else ", ".join(found["pending"]),
                            styles["body"])]
    footer = _footer(found["title"])
    document.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
