"""The API docs page and the token page in a real browser: self-hosted, clean under our CSP, working.

Drives Debian's chromium (skipped without it, like tests/e2e). Every request
for another host is sent to a proxy address where nothing listens, and counted
as a failure: the page must load nothing from outside this machine.
"""

from __future__ import annotations

from contextlib import contextmanager
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


@contextmanager
def watched_page(monkeypatch, cookies=()):
    """A chromium page that can reach only this machine; yields (page, problems)."""
    from playwright.sync_api import sync_playwright

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
        context.add_cookies(list(cookies))
        context.add_init_script(CSP_REPORTER)
        page = context.new_page()
        page.on("console", lambda m: m.type in {"error", "warning"} and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: _local(r.url) or problems.append(f"non-local request: {r.url}"))
        page.on("requestfailed", lambda r: _local(r.url) and problems.append(f"failed: {r.url}"))
        try:
            yield page, problems
        finally:
            browser.close()


def test_the_docs_page_works_offline_under_the_csp_and_calls_the_api_with_a_token(
    live_server, transactional_db, region, users, token_for, monkeypatch
):
    secret = token_for(users["office_head"])
    with watched_page(monkeypatch) as (page, problems):
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
    assert problems == [], "\n".join(problems)


def test_a_token_is_created_and_revoked_on_the_page(live_server, transactional_db, users, client, monkeypatch):
    from django.conf import settings

    from jiceng.api.models import ApiToken

    client.force_login(users["office_head"], backend="django.contrib.auth.backends.ModelBackend")
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}
    with watched_page(monkeypatch, [cookie]) as (page, problems):
        page.goto(f"{live_server.url}/accounts/tokens/")
        page.get_by_label("名称").or_(page.locator("#id_name")).first.fill("GIS 同步")
        page.locator("form button[type=submit].btn-success").click()
        shown = page.get_by_test_id("new-token").locator("input").input_value()
        assert shown.startswith("jct_")
        page.screenshot(path=str(SHOTS / "api-tokens.png"), full_page=False)
        # Shown once: opening the page again does not show it.
        page.goto(f"{live_server.url}/accounts/tokens/")
        assert shown not in page.content()
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("form[action$='/revoke/'] button").click()
        page.wait_for_url(f"{live_server.url}/accounts/tokens/")
        page.locator("td .badge.text-bg-secondary").wait_for()
    assert problems == [], "\n".join(problems)
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE")
    token = ApiToken.objects.get()
    assert token.name == "GIS 同步" and token.revoked_at is not None
