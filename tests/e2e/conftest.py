"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

The whole package is skipped, with the reason printed by `pytest -ra`, when
/usr/bin/chromium is absent (`apt-get install -y chromium`); Playwright's own
browser download is never used. Each test starts from the demo region
(jiceng.org.demo) in the test database; the live server needs a
transactional database, which is emptied after every test.

Screenshots of every step go to var/screenshots/. With
JICENG_DOCS_SCREENSHOTS=1 the tests also refresh the README images in
docs/screenshots/ (off by default, so that a test run leaves the work tree clean).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, DEAD_END_PROXY, DESKTOP, Tour, prepare_context

SKIP_REASON = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install -y chromium)"

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHOTS_DIR = REPO / "var" / "screenshots"
DOCS_SHOTS_DIR = REPO / "docs" / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        if item.get_closest_marker("e2e") is None:
            raise pytest.UsageError(f"{item.nodeid}: every browser test must be marked @pytest.mark.e2e")
        if not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="package", autouse=True)
def _django_beside_playwright():
    # Playwright's sync API runs an asyncio event loop on the test's own thread
    # (it switches to it with greenlets). Django then believes it is called from
    # async code and refuses ORM calls made by the test (the demo build, look-ups,
    # the flush after each test) with SynchronousOnlyOperation. The loop only
    # talks to the browser and never touches the database, so the check is a
    # false alarm here: DJANGO_ALLOW_ASYNC_UNSAFE turns it off, for this package
    # only (Django reads the variable at each call).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_django_beside_playwright):
    from playwright.sync_api import sync_playwright

    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for old in SHOTS_DIR.glob("*.png"):
        old.unlink()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, proxy=DEAD_END_PROXY
        )
        yield browser
        browser.close()


class Demo:
    """The demo region in the test database, with look-ups by unit code."""

    def __init__(self, snapshot: dict) -> None:
        from jiceng.accounts.demo import ACCOUNTS, DEMO_PASSWORD

        _build_or_restore(snapshot)
        self.password = DEMO_PASSWORD
        self.accounts = {account.username: account for account in ACCOUNTS}

    def unit(self, code: str):
        from jiceng.org.models import Unit

        return Unit.objects.get(code=code)

    def unit_path(self, code: str) -> str:
        return f"/org/units/{self.unit(code).pk}/"

    def unit_names_under(self, code: str) -> set[str]:
        from jiceng.org.models import Unit

        return set(Unit.objects.filter(path__startswith=self.unit(code).path).values_list("name", flat=True))


def _build_or_restore(snapshot: dict) -> None:
    # The live server needs a transactional database, emptied after each test,
    # so every test needs the demo again; building it through the services
    # takes seconds. On the SQLite test database the first build is copied
    # aside with SQLite's backup API and copied back for the next tests: page
    # for page the database build_demo() left, audit chain included. Elsewhere
    # (PostgreSQL) each test builds it.
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from jiceng.core import demo

    def build_demo():  # the region and its accounts, as the e2e tests expect (no campaign)
        demo.build(["accounts"])

    if connection.vendor != "sqlite":
        build_demo()
        return
    connection.ensure_connection()
    if "db" not in snapshot:
        build_demo()
        snapshot["db"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot["db"])
    else:
        snapshot["db"].backup(connection.connection)
        ContentType.objects.clear_cache()  # ids come from the copy, not from the flush


@pytest.fixture(scope="package")
def _demo_snapshot():
    snapshot: dict = {}
    yield snapshot
    if "db" in snapshot:
        snapshot["db"].close()


@pytest.fixture
def demo(live_server, _demo_snapshot) -> Demo:
    return Demo(_demo_snapshot)


@pytest.fixture(scope="package")
def _contexts(browser):
    """Browser contexts by screen and language, shared by the tests (see open_tour)."""
    contexts: dict = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_tour(_contexts, browser, live_server, request):
    """A new person at the browser: no cookies, a fresh page, watched for problems until the test ends.

    A fresh browser context per person would be the simplest isolation, but
    each costs about a second of CPU (measured: 1.1-1.6 s against 0.4 s for a
    new page in a warm context), which the suite's time budget cannot afford
    thirty times over.
    The suite keeps one context per kind of screen and browser language, and
    gives each person its cookies cleared and a new page; the previous
    person's page is closed, so a test cannot go on acting as someone whose
    session has been wiped.
    """
    tours: list[Tour] = []

    def open_(
        label: str = "", *, viewport: dict | None = None, mobile: bool = False, locale: str = "zh-CN"
    ) -> Tour:
        viewport = viewport or DESKTOP
        key = (viewport["width"], viewport["height"], mobile, locale)
        context = _contexts.get(key)
        if context is None:
            context = browser.new_context(
                viewport=viewport, locale=locale, timezone_id="Asia/Shanghai", is_mobile=mobile, has_touch=mobile
            )
            prepare_context(context)
            _contexts[key] = context
        for earlier in tours:
            if earlier.context is context:
                earlier.close()
        context.clear_cookies()
        name = request.node.name + (f"-{label}" if label else "")
        tour = Tour(context, live_server.url, SHOTS_DIR, name)
        tours.append(tour)
        return tour

    yield open_
    problems = [f"[{tour.name}] {problem}" for tour in tours for problem in tour.watcher.problems]
    for tour in tours:
        tour.close()
        tour.context.clear_cookies()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def tour(open_tour) -> Tour:
    return open_tour()


@pytest.fixture
def docs_shot():
    """The README image path for `name`, or None unless JICENG_DOCS_SCREENSHOTS=1."""

    def path_for(name: str) -> Path | None:
        if os.environ.get("JICENG_DOCS_SCREENSHOTS") != "1":
            return None
        return DOCS_SHOTS_DIR / f"{name}.png"

    return path_for
