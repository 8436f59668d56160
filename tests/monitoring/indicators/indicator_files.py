"""Files shaped like the published ones: the statistics bureau's CSV export (GBK, metadata lines, footer) and a data
vendor's sheet (a header block, then date,value), built from the figures given."""

from __future__ import annotations

import io

NBS_FOOTER = ["注：1月数据与2月合并发布。", "数据来源：国家统计局"]


def nbs_csv(header: list[str], rows: list[list[str]], *, database: str = "月度数据", meta: list[str] | None = None,
            encoding: str = "gbk") -> bytes:
    """A data.stats.gov.cn export: ``数据库：…``, ``时间：…``, the table, the footer; GBK unless told otherwise."""
    lines = [f"数据库：{database}", *(meta or []), "时间：2022年", ",".join(header)]
    lines += [",".join(row) for row in rows]
    lines += NBS_FOOTER
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" + text.encode("utf-8")) if encoding == "utf-8-sig" else text.encode(encoding)


def vendor_xlsx(title: str, dated: list[tuple[str, str]], *, unit: str = "%") -> bytes:
    """A Wind/CEIC-like sheet: 指标名称 / 频率 / 单位 / 来源 rows, then month-end dates and values."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["指标名称", title], ["频率", "月"], ["单位", unit], ["来源", "国家统计局"], *[list(d) for d in dated]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
