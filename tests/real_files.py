"""Real files for tests that upload or read back documents: built by the libraries that write them.

A workbook from openpyxl, a document from python-docx, a PDF from pypdf, PNG and JPEG images
from Pillow, and a workbook that declares itself macro-enabled. Attachment, evidence and
import tests share these instead of each building its own.
"""

from __future__ import annotations

import io
import zipfile


def xlsx_bytes(text: str = "巡查台帐") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(text: str = "集体会审制度") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def png_bytes() -> bytes:
    return image_bytes("PNG")


def xlsm_bytes() -> bytes:
    """A real workbook declared macro-enabled in its [Content_Types].xml (what an .xlsm says of itself)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
            target.writestr(info, data)
    return out.getvalue()
