"""The public guide (办事指南): its PDF with a QR code back to the guide's page."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string

from jiceng.assessments.outputs.pdf import html_to_pdf


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no file, no fetch) for ``url``."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2)


def guide_pdf(item, url: str) -> bytes:
    version = item.current
    html = render_to_string("window/guide_pdf.html", {"item": item, "v": version, "materials": version.materials.all(),
                                                      "url": url, "qr": qr_svg(url)})
    return html_to_pdf(html)
