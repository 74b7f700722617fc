"""Every page of the site map at 390 px (issue 12): the document is never wider than the screen.

The site map is built by walking, for each demo role, its menu and every same-site link on the pages
reached (two clicks deep), one page per URL pattern (the digits of an id stand for every id: one unit
page, one submission page), skipping downloads and the log-out. Wide tables must scroll inside their
own box or become cards; the page itself must not scroll sideways.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from .browser import PHONE

pytestmark = pytest.mark.e2e

ROLES = ["city", "county", "county2", "head", "staff", "window", "grid", "sysadmin", "secadmin", "auditor"]
SKIP = re.compile(r"(logout|/export|\.xlsx|\.docx|\.pdf|\.zip|/download|/evidence/|/attachments/|/api/|"
                  r"/scoresheet|/declaration|/notice|/i18n/|/static/|/media/|/delete/|/mark-read|/tokens/|format=|"
                  r"/template|/errors/)")
LIMIT = 60  # pages per role: the walk is breadth first, the menu's pages come first


def pattern(path: str) -> str:
    parts = urlsplit(path)
    return re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"=[^&]*", "=", parts.query) if parts.query else "")


def links(tour) -> list[str]:
    hrefs = tour.page.locator("main a[href], nav a[href]").evaluate_all(
        "links => links.map(a => a.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc and parts.netloc != urlsplit(tour.base_url).netloc:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not SKIP.search(path) and "#" not in path:
            out.append(path)
    return out


def too_wide(tour) -> int:
    """How many pixels the document is wider than the 390 px screen (0 when it fits). Against the screen's
    width, not window.innerWidth: a mobile browser widens its layout viewport to a page that overflows."""
    return tour.page.evaluate(f"Math.max(0, document.documentElement.scrollWidth - {PHONE['width']})")


@pytest.fixture
def demo_with_campaigns(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from jiceng.assessments.demo import build_campaign

    build_campaign()
    return demo


def test_every_page_fits_a_phone(open_tour, demo_with_campaigns):
    demo = demo_with_campaigns
    problems, walked = [], {}
    for username in ROLES:
        tour = open_tour(username, viewport=PHONE, mobile=True)
        tour.login(username, demo.password)
        seen: set[str] = set()
        queue = ["/"]
        visited = 0
        depth = {"/": 0}
        while queue and visited < LIMIT:
            path = queue.pop(0)
            key = pattern(path)
            if key in seen:
                continue
            seen.add(key)
            try:
                response = tour.page.goto(tour.url(path))
            except Exception as exc:  # a download link the pattern did not catch: not a page
                if "Download is starting" in str(exc):
                    continue
                raise
            tour.settle()
            if response is None or response.status != 200 or "text/html" not in response.headers.get(
                    "content-type", ""):
                continue
            visited += 1
            extra = too_wide(tour)
            if extra:
                problems.append(f"{username} {path}: {extra}px wider than the 390 px screen")
            if depth[path] < 2:
                for found in links(tour):
                    if found not in depth:
                        depth[found] = depth[path] + 1
                        queue.append(found)
        walked[username] = visited
    # The walk really reached the pages of each role (menu and beyond), not just the home page.
    assert walked["city"] >= 10 and walked["county"] >= 6 and walked["head"] >= 5, walked
    assert not problems, "\n".join(problems)
