"""Printable documents in Chinese: a thin layer over fpdf2 with an embedded CJK font (subset, so a record
stays small), shared by the inspection record and, later, the per-pond dossier.

fpdf2 embeds OpenType/CFF fonts and picks a face out of a collection (.ttc), which Debian's fonts-noto-cjk
ships; ReportLab embeds only TrueType outlines, so it cannot use those fonts.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from app.config import get_settings
from gis.formats.text import printable

# Where Debian (fonts-noto-cjk) and other systems put a Simplified Chinese font; TAILINGS_PDF_FONT overrides.
CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
)
FAMILY = "cjk"
_PARSED: Any = None  # the CJK font's parsed metrics, shared by the documents of the process


@lru_cache
def cjk_font() -> tuple[Path, int]:
    """The font file and, for a collection, the index of its Simplified Chinese face."""
    configured = get_settings().pdf_font
    for path in ([configured] if configured else []) + list(CANDIDATES):
        if not path.exists():
            continue
        if path.suffix.lower() in (".ttc", ".otc"):
            names = [f["name"].getDebugName(4) or "" for f in TTCollection(str(path)).fonts]
            index = next((i for i, n in enumerate(names) if n.endswith(" SC")), 0)
            return path, index
        TTFont(str(path))  # readable
        return path, 0
    raise RuntimeError(
        "No CJK font for PDF reports: install fonts-noto-cjk or set TAILINGS_PDF_FONT to a .ttc/.otf/.ttf file"
    )


class Document(FPDF):
    """An A4 page flow with a title, headings, facts (label: value), tables and photos, all in the CJK font."""

    def __init__(self, title: str, footer: str = ""):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._add_cjk_font()
        self.set_title(printable(title))
        self.set_creator("Tailings One Map")
        self._footer_text = footer
        self.set_auto_page_break(True, margin=15)
        self.add_page()
        self.set_font(FAMILY, size=16)
        self.multi_cell(0, 9, printable(title), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def _add_cjk_font(self) -> None:
        """The CJK font, parsed once per process (~0.3 s) and copied into each document (~0.03 s).

        A copy shares the parsed metrics but gets a font file object of its own, because writing the PDF
        subsets that object in place."""
        global _PARSED
        path, index = cjk_font()
        if _PARSED is None:
            self.add_font(FAMILY, "", str(path), collection_font_number=index)
            _PARSED = copy.deepcopy(self.fonts[FAMILY])
            _PARSED.ttfont = None
        else:
            font = copy.deepcopy(_PARSED)
            font.ttfont = TTFont(str(path), recalcTimestamp=False, fontNumber=index, lazy=True)
            self.fonts[FAMILY] = font
            if font.is_cff and font.is_cid_keyed:
                self._set_min_pdf_version("1.6")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, f"{self._footer_text}  {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FAMILY, size=12)
        self.multi_cell(0, 7, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FAMILY, size=9)

    def paragraph(self, text: str, size: float = 9) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, 5, printable(text), new_x="LMARGIN", new_y="NEXT")

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        self.table([(k, v) for k, v in rows], widths=(35, 145), header=False)

    def table(  # type: ignore[override]
        self, rows: Sequence[Sequence[str]], widths: Sequence[float] | None = None, header: bool = True
    ) -> None:
        self.set_font(FAMILY, size=9)
        with FPDF.table(
            self,
            col_widths=tuple(widths) if widths else None,
            first_row_as_headings=header,
            headings_style=FontFace(fill_color=(230, 236, 240)),
            line_height=5,
            text_align="LEFT",
        ) as t:
            for r in rows:
                row = t.row()
                for cell in r:
                    row.cell("" if cell is None else printable(str(cell)))  # stored text may hold anything

    def photo(self, data: bytes, width_mm: float = 60) -> None:
        self.image(io.BytesIO(data), w=width_mm)

    def bytes(self) -> bytes:
        # The subset keeps the full font's bounding boxes: recomputing them glyph by glyph (fontTools' default)
        # took most of the time of writing a report of some hundred distinct characters, and changes nothing shown.
        for font in self.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.recalcBBoxes = False
        return bytes(self.output())
