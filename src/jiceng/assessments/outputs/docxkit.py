"""Small python-docx helpers for official-looking Chinese documents.

Word picks the font of Chinese characters from the East Asian slot of a run
(w:rFonts/@w:eastAsia), which python-docx does not set, so every run written
here sets it. The fonts named are the ones every Chinese Windows/WPS install
has; the .docx does not embed fonts (Word does not either by default).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

BODY_FONT = "宋体"
TITLE_FONT = "黑体"


def new_document():
    document = Document()
    section = document.sections[0]
    # A4 with the margins of official documents (GB/T 9704 is 3.7/2.6/2.8/2.6 cm; rounded).
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.5), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)
    return document


def run(paragraph, text: str, *, bold: bool = False, size: float | None = None, font: str = BODY_FONT):
    r = paragraph.add_run(text)
    r.bold = bold
    r.font.name = font
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if size:
        r.font.size = Pt(size)
    return r


def paragraph(document_or_cell, text: str = "", *, align=None, bold=False, size=None, font=BODY_FONT,
              first_line_indent: bool = False):
    p = document_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if first_line_indent:
        p.paragraph_format.first_line_indent = Pt((size or 12) * 2)
    if text:
        run(p, text, bold=bold, size=size, font=font)
    return p


def title(document, text: str, size: float = 18):
    return paragraph(document, text, align=WD_ALIGN_PARAGRAPH.CENTER, size=size, font=TITLE_FONT)


def set_cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER,
             valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER, size: float | None = None) -> None:
    """Replace the cell's content with `text`, one paragraph per line."""
    cell.vertical_alignment = valign
    lines = (text or "").split("\n")
    first = cell.paragraphs[0]
    for p in cell.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    for index, line in enumerate(lines):
        p = first if index == 0 else cell.add_paragraph()
        p.alignment = align
        run(p, line, bold=bold, size=size)


def add_line(cell, text: str, *, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=False):
    p = cell.add_paragraph()
    p.alignment = align
    run(p, text, bold=bold)
    return p


def row_height(row, cm: float) -> None:
    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def column_widths(table, widths_cm: list[float]) -> None:
    # Word reads the width of each cell, not of the column: set both.
    table.autofit = False
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
