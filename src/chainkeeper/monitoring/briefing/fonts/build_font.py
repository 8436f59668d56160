"""Build the briefing PDF's CJK font: Noto Sans CJK SC Regular (SIL OFL 1.1), subset to ASCII, Latin-1,
general and CJK punctuation, full-width forms and the 7,445 characters of GB 2312, with its CFF (cubic) outlines
converted to TrueType (quadratic) outlines so that reportlab can embed it, then gzipped.

Run once by hand (fontTools is a build-time tool, not a dependency of the platform)::

    python3 -m pip install fonttools==4.61.1
    python3 src/chainkeeper/monitoring/briefing/fonts/build_font.py \
        /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The source is Debian's ``fonts-noto-cjk`` (see PROVENANCE.md for the version and checksums).
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, newTable

HERE = Path(__file__).parent
TARGET = HERE / "NotoSansSC-Briefing.ttf.gz"
SC_INDEX_NAME = "Noto Sans CJK SC"
MAX_ERR = 1.0  # font units (of 1,000 per em): the approximation error otf2ttf uses


def gb2312() -> set[int]:
    """Every character GB 2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def wanted() -> set[int]:
    """ASCII, Latin-1, punctuation, CJK symbols, full-width forms and GB 2312."""
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2212, 0x2212),
              (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2460, 0x24FF)]
    chars = {c for start, end in ranges for c in range(start, end + 1)}
    return chars | gb2312()


def sc_font(path: str):
    """The Simplified Chinese member of the collection."""
    for font in TTCollection(path).fonts:
        if SC_INDEX_NAME in str(font["name"].getDebugName(1)):
            return font
    raise SystemExit(f"no {SC_INDEX_NAME} in {path}")


def to_truetype(font) -> None:
    """Replace the CFF table by glyf/loca with quadratic outlines (what fontTools' otf2ttf does)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names: smaller
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp.recalc(font)


def main(source: str) -> None:
    font = sc_font(source)
    options = Options()
    options.layout_features = []  # reportlab uses cmap + hmtx only
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG", "vhea", "vmtx", "VORG"]
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=wanted())
    subsetter.subset(font)
    to_truetype(font)
    raw = HERE / "_build.ttf"
    font.save(raw)
    TARGET.write_bytes(gzip.compress(raw.read_bytes(), 9, mtime=0))
    raw.unlink()
    print(TARGET, TARGET.stat().st_size)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
