"""Every declared route × the five cases: anonymous, without the capability, in scope, out of scope, wrong role.

The project's conventions, checked here once for every route:
- anonymous: a web page sends to the log-in page (302 to /accounts/login/?next=…); the API answers 401
  `not_authenticated`;
- a capability the user holds nowhere: 403, and the refusal is an audit row (core.middleware /
  the API's error handler); a route whose only guard is the scoped lookup answers 404 instead
  (nothing to see), recorded the same way;
- in scope with the capability: the route works (2xx, or 3xx after a POST), and a POST makes the
  change its `effect` probe sees (so the probe could fail);
- out of scope: the audited 404 (the same answer as "not found", with an access-denied audit row),
  or for a list, a page without anything of the object's subtree;
- in scope with the wrong role: refused like "without the capability";
and for POST (and every API write), the `effect` probe reads the same after each refusal.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from . import kit
from .kit import (
    ANONYMOUS,
    EMPTY,
    FORBIDDEN,
    HIDDEN,
    IN_SCOPE,
    LACKING,
    LOGIN,
    OUT_OF_SCOPE,
    PUBLIC,
    WRONG_ROLE,
    Op,
    Route,
)
from .registry import ENTRIES

LOGIN_URL = "/accounts/login/"


def _params():
    for entry in ENTRIES:
        methods = ("api",) if isinstance(entry, Op) else entry.methods
        for method in methods:
            for case in entry.cases():
                label = entry.key if method == "api" else f"{method.upper()} {entry.key}"
                yield pytest.param(entry, method, case, id=f"{label} [{case}]")


PARAMS = list(_params())


def test_every_case_is_generated_for_every_entry():
    assert len(PARAMS) >= 3 * len(ENTRIES)
    # Each POST entry carries what the effect check needs.
    for entry in ENTRIES:
        if isinstance(entry, Route) and "post" in entry.methods:
            assert entry.payload is not None and entry.effect is not None, f"{entry.key}: POST needs payload and effect"
        if isinstance(entry, Op) and entry.write:
            assert entry.effect is not None, f"{entry.key}: a write needs an effect probe"


@pytest.mark.parametrize(("entry", "method", "case"), PARAMS)
def test_the_matrix(entry, method, case, world, client):
    if isinstance(entry, Op):
        _api_case(entry, case, world, client)
    else:
        _web_case(entry, method, case, world, client)


# --- web routes -------------------------------------------------------------------------------


def _leaked(entry, world, response) -> list:
    if entry.secret is None or getattr(response, "streaming", False):
        return []
    text = response.content.decode(errors="replace")
    return [value for value in entry.secret(world) if value and value in text]


def _web_case(entry: Route, method: str, case: str, world, client):
    url = reverse(entry.name, kwargs=entry.kwargs(world))
    effect = entry.effect if method == "post" else None
    before = effect(world) if effect else None

    def call(username):
        client.logout()
        if username is not None:
            client.force_login(world.users[username], backend="django.contrib.auth.backends.ModelBackend")
        # Built for each call: an uploaded file is read once.
        data = entry.payload(world) if method == "post" else None
        return getattr(client, method)(url, data)

    def unchanged(who):
        if effect is not None:
            assert effect(world) == before, f"{entry.key}: a refused {method.upper()} ({who}) changed something"

    if case == ANONYMOUS:
        response = call(None)
        if entry.capability == PUBLIC:
            assert not response.get("Location", "").startswith(f"{LOGIN_URL}?next="), f"{entry.key}: public, yet asks to log in"
            assert response.status_code in (*entry.ok, *entry.post_ok), f"{entry.key}: {response.status_code}"
            return
        assert response.status_code == 302, f"{entry.key}: anonymous got {response.status_code}"
        assert response["Location"].startswith(f"{LOGIN_URL}?next="), response["Location"]
        unchanged("anonymous")
        return

    if case == IN_SCOPE:
        response = call(entry.actor)
        expected = entry.post_ok if method == "post" else entry.ok
        assert response.status_code in expected, (
            f"{entry.key} as {entry.actor}: {response.status_code}, expected one of {expected}"
        )
        if effect is not None and entry.changes:
            assert effect(world) != before, f"{entry.key}: the allowed POST changed nothing the effect probe sees"
        return

    if case == LACKING:
        refusals = [(username, entry.denied) for username in entry.lacking]
    elif case == WRONG_ROLE:
        refusals = [(entry.wrong_role, entry.wrong_status or entry.denied)]
    else:
        assert case == OUT_OF_SCOPE
        outside = entry.outside_post if method == "post" and entry.outside_post is not None else entry.outside
        refusals = [(entry.outsider, outside)]
    for username, status in refusals:
        seq = kit.audit_seq()
        response = call(username)
        assert response.status_code == status, f"{entry.key} [{case}] as {username}: {response.status_code}, not {status}"
        if status in (FORBIDDEN, HIDDEN):
            assert kit.refused_since(seq, username), f"{entry.key} [{case}]: the refusal of {username} was not recorded"
        assert _leaked(entry, world, response) == [], f"{entry.key} [{case}] shows {username} what is not theirs"
        unchanged(username)


# --- API operations ---------------------------------------------------------------------------


def _api_call(op: Op, world, client, username):
    from jiceng.api import services

    headers = {}
    if username is not None:
        secret = services.token_create(actor=world.users[username], name="matrix")[1]
        headers = {"Authorization": f"Bearer {secret}"}
    path = op.path.format(**op.params(world))
    body = op.body(world) if op.body else None
    if op.method == "GET":
        return client.get(path, headers=headers)
    if op.method == "DELETE":
        return client.delete(path, headers=headers)
    if op.multipart:
        from django.core.files.uploadedfile import SimpleUploadedFile

        fields = {k: SimpleUploadedFile(*v) if isinstance(v, tuple) else v for k, v in (body or {}).items()}
        return client.post(path, fields, headers=headers)
    import json

    return getattr(client, op.method.lower())(
        path, json.dumps(body or {}), content_type="application/json", headers=headers
    )


def _api_leaked(op: Op, world, response) -> list:
    if op.leaks is None or response.status_code != 200:
        return []
    items = response.json()["items"]
    assert items, f"{op.key}: the outsider should still get their own items"
    return op.leaks(world, items)


def _api_case(op: Op, case: str, world, client):
    op.params(world)  # builds the operation's objects before the effect is read
    before = op.effect(world) if op.effect else None

    def unchanged(who):
        if op.effect is not None:
            assert op.effect(world) == before, f"{op.key}: a refused call ({who}) changed something"

    if case == ANONYMOUS:
        response = _api_call(op, world, client, None)
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), op.key
        unchanged("anonymous")
        return
    if case == IN_SCOPE:
        response = _api_call(op, world, client, op.actor)
        assert response.status_code == op.ok, f"{op.key} as {op.actor}: {response.status_code} {response.content[:300]}"
        if op.effect is not None and op.write and op.changes:
            assert op.effect(world) != before, f"{op.key}: the allowed call changed nothing the effect probe sees"
        return
    if case == LACKING:
        refusals = [(username, 403) for username in op.lacking]
    elif case == WRONG_ROLE:
        refusals = [(op.wrong_role, 403)]
    else:
        assert case == OUT_OF_SCOPE
        refusals = [(op.outsider, op.outside)]
    for username, status in refusals:
        seq = kit.audit_seq()
        response = _api_call(op, world, client, username)
        assert response.status_code == status, f"{op.key} [{case}] as {username}: {response.status_code} {response.content[:300]}"
        if status == 403:
            assert response.json()["code"] == "permission_denied"
        elif status == 404:
            assert response.json()["code"] == "not_found"
        elif status != EMPTY and op.outside_field:
            assert response.json()["field"] == op.outside_field
        if status in (403, 404):
            assert kit.refused_since(seq, username), f"{op.key} [{case}]: the refusal of {username} was not recorded"
        assert _api_leaked(op, world, response) == [], f"{op.key} [{case}] shows {username} what is not theirs"
        unchanged(username)


def test_login_only_routes_say_so():
    # A route that needs no capability says LOGIN (or PUBLIC) explicitly; nothing is left blank.
    for entry in ENTRIES:
        assert entry.capability, entry.key
        if entry.capability in (LOGIN, PUBLIC):
            assert entry.wrong_role is None, f"{entry.key}: no capability, so no wrong role"


def _holds(username, capability) -> bool:
    from jiceng.core.capabilities import grants

    role = kit.ROLE_OF[username]
    return role is not None and grants(role, capability)


def test_the_declared_users_agree_with_the_declared_capabilities():
    """The matrix's users are checked against the capability registry, so an entry cannot name an actor
    who lacks the capability or a "lacking" user who holds it."""
    for entry in ENTRIES:
        if entry.capability in (LOGIN, PUBLIC):
            continue
        assert _holds(entry.actor, entry.capability), f"{entry.key}: {entry.actor} lacks {entry.capability}"
        for username in entry.lacking:
            assert not _holds(username, entry.capability), f"{entry.key}: {username} holds {entry.capability}"
        if entry.wrong_role is not None:
            assert not _holds(entry.wrong_role, entry.capability), f"{entry.key}: {entry.wrong_role} holds it"
        if entry.scoped:
            assert _holds(entry.outsider, entry.capability), (
                f"{entry.key}: the outsider {entry.outsider} must hold {entry.capability} elsewhere"
            )


def test_an_entry_without_a_wrong_role_needs_what_every_business_role_holds():
    from jiceng.core.capabilities import BUSINESS_ROLES, grants

    for entry in ENTRIES:
        if entry.capability in (LOGIN, PUBLIC) or entry.wrong_role is not None:
            continue
        missing = sorted(role for role in BUSINESS_ROLES if not grants(role, entry.capability))
        assert missing == [], f"{entry.key}: {missing} lack {entry.capability}, so declare a wrong_role"
