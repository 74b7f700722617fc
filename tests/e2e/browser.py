"""What the browser tests drive: a watched page with log-in, navigation and screenshots.

`Watcher` listens to everything the page does and keeps a list of problems:
console errors and warnings (Chromium reports a Content-Security-Policy
violation there, and an init script reports every `securitypolicyviolation`
event there too), uncaught page errors, failed requests, error responses of
sub-resources, and any request to a host other than this machine. Such a
request never leaves the machine: the browser is launched with DEAD_END_PROXY.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright's own browser download is never used
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Every request for another host goes to a proxy address where nothing listens,
# so it fails on this machine and never reaches a network (the watcher reports
# it too). Blocking by request interception would work as well but turns the
# browser cache off and makes every page fetch all its fonts again.
DEAD_END_PROXY = {"server": "http://127.0.0.1:9", "bypass": "localhost,127.0.0.1,[::1]"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}  # a common phone; the grid workers' device

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# Runs in every document before its own scripts; CDP-injected scripts are not
# subject to the page's CSP, so this reports violations of it reliably.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS


class Watcher:
    """Collects what went wrong in one browser context; `problems` must stay empty."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.expected_error_documents: set[str] = set()

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type not in {"error", "warning"}:
            return
        text = message.text
        location = (message.location or {}).get("url", "")
        # A page the test asked for and expects to be a 404 is logged as a
        # failed resource by Chromium; that one is the point of the test.
        if text.startswith("Failed to load resource") and location in self.expected_error_documents:
            return
        self.problems.append(f"console {message.type}: {text} ({location})")

    def _request(self, request) -> None:
        self.requests.append(request.url)
        if not is_local(request.url):
            self.problems.append(f"request to a non-local host: {request.method} {request.url}")

    def _request_failed(self, request) -> None:
        if not is_local(request.url):
            return  # already reported as non-local
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status < 400:
            return
        if response.request.resource_type == "document" and response.url in self.expected_error_documents:
            return
        self.problems.append(f"HTTP {response.status} for {response.request.resource_type} {response.url}")


def prepare_context(context) -> None:
    """What every browser context of the suite gets once, before its first page."""
    context.add_init_script(CSP_REPORTER)


class Tour:
    """One person at the browser: a page, its watcher and its screenshots.

    A person's cookies live in the browser context, which the suite shares
    between tests (a new context costs a second of CPU; see conftest.open_tour),
    so the context must belong to one person at a time.
    """

    def __init__(self, context, base_url: str, shots_dir: Path, name: str) -> None:
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.watcher = Watcher()
        self.page = context.new_page()
        self.watcher.attach(self.page)
        self.page.set_default_timeout(10_000)
        self.shots_dir = shots_dir
        self.name = re.sub(r"[^\w-]+", "-", name).strip("-")
        self._shots = 0

    # --- navigation -----------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, path: str, status: int = 200):
        url = self.url(path)
        if status >= 400:
            self.watcher.expected_error_documents.add(url)
        response = self.page.goto(url)
        assert response is not None and response.status == status, (
            f"{path}: expected HTTP {status}, got {response and response.status}"
        )
        self.settle()
        return response

    def settle(self) -> None:
        """Wait until the page and the fonts it uses have loaded, so nothing is cut off mid-request."""
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => null)")

    def click_and_load(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()
        self.settle()

    # --- accounts ------------------------------------------------------------------

    def login(self, username: str, password: str) -> None:
        """Log in through the real form; the test checks where it lands."""
        if "/accounts/login/" not in self.page.url:
            self.goto("/accounts/login/")
        form = self.page.get_by_test_id("login-form")
        form.locator("[name=username]").fill(username)
        form.locator("[name=password]").fill(password)
        self.click_and_load(form.locator("button[type=submit]"))

    def logout(self) -> None:
        button = self.page.get_by_test_id("logout")
        if not button.is_visible():  # a phone: the menu is collapsed
            self.page.locator(".navbar-toggler").click()
        self.click_and_load(button)
        assert urlsplit(self.page.url).path == "/accounts/login/"

    # --- what the page shows ---------------------------------------------------------

    def nav_paths(self) -> list[str]:
        return self.page.get_by_test_id("nav").locator("a.nav-link").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)"
        )

    def column(self, table_testid: str, index: int) -> list[str]:
        """The texts of one column of a table (index from 0), header excluded."""
        return self.page.get_by_test_id(table_testid).locator(f"tbody tr td:nth-child({index + 1})").all_inner_texts()

    def shot(self, step: str, *, full_page: bool = True, also: Path | None = None) -> Path:
        self._shots += 1
        path = self.shots_dir / f"{self.name}-{self._shots:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        if also is not None:
            also.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(also), full_page=False)
        return path

    def close(self) -> None:
        if not self.page.is_closed():
            self.page.close()
