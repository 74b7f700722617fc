"""The interactive API docs: self-hosted, clean under our CSP, and usable with a token.

Drives Debian's chromium (skipped without it, like tests/e2e). Every request
for another host is sent to a proxy address where nothing listens, and counted
as a failure: the page must load nothing from outside this machine.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM}"),
]

CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in {"localhost", "127.0.0.1", "::1"}


def test_the_docs_page_works_offline_under_the_csp_and_calls_the_api_with_a_token(
    live_server, transactional_db, region, users, token_for, monkeypatch
):
    from playwright.sync_api import sync_playwright

    secret = token_for(users["office_head"])
    problems: list[str] = []
    # Playwright's sync API runs an event loop on this thread; the ORM is not used while it runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
            proxy={"server": "http://127.0.0.1:9", "bypass": "localhost,127.0.0.1,[::1]"},
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.add_init_script(CSP_REPORTER)
        page = context.new_page()
        page.on("console", lambda m: m.type in {"error", "warning"} and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: _local(r.url) or problems.append(f"non-local request: {r.url}"))
        page.on("requestfailed", lambda r: _local(r.url) and problems.append(f"failed: {r.url}"))

        response = page.goto(f"{live_server.url}/api/v1/docs")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        operation = page.locator("#operations-units-unit_list")
        operation.wait_for()

        page.locator("button.authorize").first.click()
        page.locator(".auth-container input").first.fill(secret)
        page.locator(".auth-btn-wrapper button.authorize").click()
        page.locator(".auth-btn-wrapper button.btn-done").click()

        operation.locator(".opblock-summary").click()
        operation.locator("button.try-out__btn").click()
        with page.expect_response(lambda r: "/api/v1/units/" in r.url) as answer:
            operation.locator("button.execute").click()
        assert answer.value.status == 200
        assert answer.value.request.headers["authorization"] == f"Bearer {secret}"
        assert [u["code"] for u in answer.value.json()["items"]] == ["CA1"]
        operation.locator(".live-responses-table .response-col_status").first.wait_for()
        page.screenshot(path=str(SHOTS / "api-docs.png"), full_page=False)
        browser.close()
    assert problems == [], "\n".join(problems)
