"""The guards every browser test relies on must themselves be able to fail."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, DEAD_END_PROXY, is_local

pytestmark = pytest.mark.e2e


def test_watcher_catches_a_csp_violation(open_tour, live_server):
    # An inline script is forbidden by the CSP, so injecting one must be reported.
    tour = open_tour()
    tour.goto("/accounts/login/")
    tour.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    tour.page.wait_for_timeout(200)
    assert tour.page.evaluate("window.__ran") is None, "the CSP let an inline script run"
    caught = [p for p in tour.watcher.problems if "Content Security Policy" in p or "CSP violation" in p]
    assert caught, tour.watcher.problems
    tour.watcher.problems.clear()  # seen and expected: the fixture's final check is for surprises


def test_only_this_machine_counts_as_local():
    assert is_local("http://localhost:8000/static/x.css")
    assert is_local("http://127.0.0.1:41234/")
    assert is_local("http://[::1]:8000/")
    assert is_local("data:image/svg+xml,<svg/>")
    assert not is_local("https://cdn.jsdelivr.net/npm/bootstrap.css")
    assert not is_local("http://10.0.0.1/")
    assert not is_local("http://localhost.example.com/")


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.seen.append(self.requestline)
        body = b"proxied"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_foreign_hosts_go_to_the_proxy_and_this_one_does_not(browser, live_server):
    """The browser's proxy set-up, with a recorder on this machine standing in for the dead end.

    A host under the reserved .invalid domain must arrive at the proxy (so in
    the real set-up it goes nowhere, not even to a DNS server), while the live
    server must be reached directly.
    """
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    proxy = {**DEAD_END_PROXY, "server": f"http://127.0.0.1:{server.server_address[1]}"}
    other = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        proxy=proxy,
    )
    try:
        page = other.new_page()
        page.goto("http://jiceng-e2e.invalid/probe")
        assert page.inner_text("body") == "proxied"
        assert "GET http://jiceng-e2e.invalid/probe HTTP/1.1" in _Recorder.seen
        assert all("//jiceng-e2e.invalid/" in line for line in _Recorder.seen), _Recorder.seen
        page.goto(live_server.url + "/accounts/login/")
        assert page.locator("[data-testid=login-form]").count() == 1
        assert not [line for line in _Recorder.seen if "localhost" in line or "127.0.0.1" in line]
    finally:
        other.close()
        server.shutdown()
        server.server_close()
