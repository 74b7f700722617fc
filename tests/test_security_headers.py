"""Security headers on every response, and nothing loaded from outside the intranet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from test_permission_matrix import ALL_ROUTES, NO_OBJECT_ROUTES

SRC = Path(__file__).resolve().parents[1] / "src" / "jiceng"


def _csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_secure_headers(response, what: str) -> None:
    assert response.has_header("Content-Security-Policy"), f"{what}: no Content-Security-Policy"
    directives = _csp_directives(response)
    assert directives.get("default-src") == ["'self'"], f"{what}: {directives}"
    for name, sources in directives.items():
        for source in sources:
            assert not re.match(r"(https?:)?//|\*$|https?:$", source), f"{what}: {name} allows {source}"
    assert directives.get("frame-ancestors") == ["'none'"]
    assert response["X-Frame-Options"] == "DENY", what
    assert response["X-Content-Type-Options"] == "nosniff", what
    assert response["Referrer-Policy"] == "same-origin", what


def _plain_routes():
    return sorted(name for name, method in NO_OBJECT_ROUTES.items() if method == "get")


@pytest.mark.parametrize("name", _plain_routes())
def test_every_page_carries_the_security_headers_for_a_signed_in_user(name, client_for, users):
    response = client_for(users["city_admin"]).get(reverse(name))
    assert_secure_headers(response, f"{name} ({response.status_code})")


@pytest.mark.parametrize("name", _plain_routes())
def test_every_page_carries_the_security_headers_for_anonymous_users(name, client, db):
    response = client.get(reverse(name))
    assert_secure_headers(response, f"{name} ({response.status_code})")


def test_error_responses_carry_the_security_headers_too(client_for, region, users):
    client = client_for(users["system_admin"])
    forbidden = client.get(reverse("core:audit_list"))
    assert forbidden.status_code == 403
    assert_secure_headers(forbidden, "403")
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert_secure_headers(missing, "404")
    out_of_scope = client.get(reverse("org:unit_detail", args=[region.office_a1.pk]))
    assert out_of_scope.status_code == 404
    assert_secure_headers(out_of_scope, "out-of-scope 404")
    wrong_method = client.get(reverse("accounts:logout"))
    assert wrong_method.status_code == 405
    assert_secure_headers(wrong_method, "405")
    redirect = client.post(reverse("accounts:logout"))
    assert redirect.status_code == 302
    assert_secure_headers(redirect, "302")


def test_the_session_cookie_is_http_only_and_same_site(client, users):
    from factories import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "office_head", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"], "the session cookie must end with the browser"


def test_the_route_walk_covers_the_pages_checked_here():
    names = {route.name for route in ALL_ROUTES}
    assert set(_plain_routes()) <= names


# --- no external resources ------------------------------------------------------

TEMPLATES = sorted(SRC.glob("**/templates/**/*.html"))
STYLESHEETS = sorted(SRC.glob("static/**/*.css"))
EXTERNAL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
EXTERNAL_CSS = re.compile(r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']\s*(?:https?:)?//)""", re.I)


def test_there_are_templates_and_stylesheets_to_scan():
    assert len(TEMPLATES) > 10 and any(p.name == "base.html" for p in TEMPLATES)
    assert any("bootstrap" in p.name for p in STYLESHEETS)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_loads_anything_from_another_host(path):
    text = path.read_text(encoding="utf-8")
    hits = [m.group(0) for m in EXTERNAL_ATTRIBUTE.finditer(text)]
    assert hits == [], f"{path.relative_to(SRC)} loads from outside: {hits}"


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: str(p.relative_to(SRC)))
def test_no_stylesheet_loads_anything_from_another_host(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    hits = [text[max(0, m.start() - 20) : m.end() + 40] for m in EXTERNAL_CSS.finditer(text)]
    assert hits == [], f"{path.relative_to(SRC)} loads from outside: {hits}"


def test_the_scanners_would_catch_an_external_reference():
    assert EXTERNAL_ATTRIBUTE.search('<script src="https://cdn.example.com/x.js">')
    assert EXTERNAL_ATTRIBUTE.search("<link href='//cdn.example.com/x.css'>")
    assert not EXTERNAL_ATTRIBUTE.search('<a href="{% url \'home\' %}">')
    assert EXTERNAL_CSS.search("@font-face{src:url(https://fonts.example.com/a.woff2)}")
    assert EXTERNAL_CSS.search('@import "http://example.com/a.css";')
    assert not EXTERNAL_CSS.search("background:url(\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\")")
