"""Route coverage: every URL pattern of the resolver and every operation of the API schema is declared.

A route no matrix declares fails here by name, with where to declare it; a declared entry whose route
is gone fails too. Public routes (log-in, portal, language, the API's own description) are declared
as such: PUBLIC entries in a matrix, or PUBLIC_PATTERNS with the reason.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jiceng.api.v1 import api

from .kit import Op, Route
from .registry import ENTRIES, PUBLIC_PATTERNS

API_PREFIX = "api/v1/"


def walk(patterns=None, prefix: str = "", namespace: str | None = None):
    """(namespaced name, pattern) of every URL pattern of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name or f"<unnamed {prefix}{entry.pattern}>", prefix + str(entry.pattern)


PATTERNS = sorted(set(walk()))
WEB = [(name, pattern) for name, pattern in PATTERNS if not pattern.startswith(API_PREFIX)]
API_PATTERNS = [(name, pattern) for name, pattern in PATTERNS if pattern.startswith(API_PREFIX)]
OPERATIONS = sorted(
    f"{method.upper()} {path}" for path, methods in api.get_openapi_schema()["paths"].items() for method in methods
)
DECLARED_ROUTES = {entry.key for entry in ENTRIES if isinstance(entry, Route)}
DECLARED_OPS = {entry.key for entry in ENTRIES if isinstance(entry, Op)}


def test_the_walk_finds_every_app():
    names = {name for name, _ in PATTERNS}
    for expected in ("home", "org:staff_detail", "accounts:login", "core:audit_list", "assessments:campaign_list",
                     "inbox:inbox", "portal:index", "tokens:list", "exports:list", "api-v1:staff_list"):
        assert expected in names
    assert len(OPERATIONS) > 20


@pytest.mark.parametrize(("name", "pattern"), WEB, ids=[name for name, _ in WEB])
def test_every_web_route_is_declared(name, pattern):
    assert not name.startswith("<unnamed"), f"{pattern}: give the route a name so a matrix can declare it"
    assert name in DECLARED_ROUTES or name in PUBLIC_PATTERNS, (
        f"route {name!r} ({pattern}) is in no permission matrix: add a Route to "
        f"tests/permissions/matrix_<app>.py (see docs/testing.md, 'The permission matrix')"
    )


@pytest.mark.parametrize("key", OPERATIONS)
def test_every_api_operation_is_declared(key):
    assert key in DECLARED_OPS, (
        f"API operation {key} is in no permission matrix: add an Op to tests/permissions/matrix_<app>.py"
    )


def _as_openapi(pattern: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


@pytest.mark.parametrize(("name", "pattern"), API_PATTERNS, ids=[name for name, _ in API_PATTERNS])
def test_every_api_url_is_an_operation_or_declared_public(name, pattern):
    paths = {key.split(" ", 1)[1] for key in OPERATIONS}
    assert _as_openapi(pattern) in paths or name in PUBLIC_PATTERNS, (
        f"{name} ({pattern}) is neither an API operation nor in PUBLIC_PATTERNS"
    )


def test_no_entry_names_a_route_that_is_gone():
    web_names = {name for name, _ in WEB}
    assert DECLARED_ROUTES - web_names == set(), "remove the entries of routes that are gone"
    assert DECLARED_OPS - set(OPERATIONS) == set(), "remove the entries of operations that are gone"
    assert set(PUBLIC_PATTERNS) - {name for name, _ in PATTERNS} == set()


def test_no_route_is_declared_twice():
    keys = [entry.key for entry in ENTRIES]
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []
    assert DECLARED_ROUTES.isdisjoint(PUBLIC_PATTERNS)


def test_a_route_that_takes_an_object_declares_how_to_build_it():
    from django.urls import NoReverseMatch, reverse

    from .kit import _nothing

    for entry in ENTRIES:
        if isinstance(entry, Route) and entry.kwargs is _nothing:
            try:
                reverse(entry.name)
            except NoReverseMatch:
                pytest.fail(f"{entry.name} takes URL parameters: give its Route `kwargs`")
