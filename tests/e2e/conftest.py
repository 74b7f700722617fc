"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

The whole package is skipped, with the reason printed by `pytest -ra`, when
/usr/bin/chromium is absent (`apt-get install -y chromium`); Playwright's own
browser download is never used. Each test gets the demo region built afresh
in the test database (the live server needs a transactional database, which
is emptied after every test).

Screenshots of every step go to var/screenshots/. With
JICENG_DOCS_SCREENSHOTS=1 the tests also refresh the README images in
docs/screenshots/ (off by default, so that a test run leaves the work tree clean).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from e2e_browser import CHROMIUM, CHROMIUM_ARGS, DEAD_END_PROXY, DESKTOP, Tour

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


@pytest.fixture(scope="package", autouse=True)
def _cheaper_argon2():
    # At its production cost Argon2 takes about half a second per hash on a
    # 2-core machine; each test builds the demo (ten accounts) and logs in
    # several times, which alone would pass the suite's time budget. The same
    # hasher and the same log-in code run, with less memory and one pass.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Argon2PasswordHasher, "time_cost", 1)
        patch.setattr(Argon2PasswordHasher, "memory_cost", 1024)
        patch.setattr(Argon2PasswordHasher, "parallelism", 1)
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

    def __init__(self) -> None:
        from jiceng.org.demo import ACCOUNTS, DEMO_PASSWORD, build_demo

        build_demo()
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


@pytest.fixture
def demo(live_server) -> Demo:
    return Demo()


@pytest.fixture
def open_tour(browser, live_server, request):
    """Open a fresh browser context (a new person, no cookies); all are checked for problems at the end."""
    tours: list[Tour] = []

    def open_(label: str = "", *, viewport: dict | None = None, mobile: bool = False) -> Tour:
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            is_mobile=mobile,
            has_touch=mobile,
        )
        name = request.node.name + (f"-{label}" if label else "")
        tour = Tour(context, live_server.url, SHOTS_DIR, name)
        tours.append(tour)
        return tour

    yield open_
    problems = [f"[{tour.name}] {problem}" for tour in tours for problem in tour.watcher.problems]
    for tour in tours:
        tour.close()
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
