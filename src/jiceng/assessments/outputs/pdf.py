"""HTML to PDF with WeasyPrint, the Chinese font embedded.

The HTML comes from a Django template (autoescaped). Fonts are declared per
document (outputs.fonts): the characters drawn in bold (headings, table
headers, <strong>) and in regular weight are collected from the HTML, and only
the subsets covering them are handed to WeasyPrint. The URL fetcher refuses
every URL except the cached font files, so nothing a user typed can make the
renderer read a file or reach the network.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from django.template.loader import render_to_string

from . import fonts

BOLD_TAGS = {"h1", "h2", "h3", "th", "strong", "b"}


class _TextCollector(HTMLParser):
    """Splits the text of a page into what is drawn in bold and what is not."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.regular: list[str] = []
        self.bold: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in BOLD_TAGS:
            self.depth += 1
        if tag == "style":
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in BOLD_TAGS and self.depth:
            self.depth -= 1
        if tag == "style" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.skip:
            return
        (self.bold if self.depth else self.regular).append(data)


def split_text(html: str) -> tuple[str, str]:
    collector = _TextCollector()
    collector.feed(html)
    return "".join(collector.regular), "".join(collector.bold)


def _fetcher():
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        """Fetches the cached font files and nothing else."""

        def fetch(self, url, headers=None):
            allowed = fonts.cache_dir().as_uri() + "/"
            if not url.startswith(allowed) or ".." in url:
                raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def html_to_pdf(html: str) -> bytes:
    """Render `html` (a full document whose CSS uses font-family 'Noto Sans SC') to PDF bytes."""
    import weasyprint

    regular, bold = split_text(html)
    faces, families = fonts.font_face_css(regular, bold)
    # The template names one family, 'Noto Sans SC'; it becomes the list of the subsets' families.
    html = html.replace(f"'{fonts.FAMILY}'", families).replace("<style>", f"<style>\n{faces}\n", 1)
    return weasyprint.HTML(string=html, url_fetcher=_fetcher(), base_url=Path(fonts.cache_dir()).as_uri()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))
