"""The declared permission matrix: what one entry says about one route, and the world it runs in.

Each app declares its routes in `tests/permissions/matrix_<app>.py` as a list of `Route`
(web pages, by URL name) or `Op` (REST operations, by method and OpenAPI path). The
generic test (`test_matrix.py`) runs every entry through the five cases of `CASES`,
and `test_coverage.py` fails on any URL pattern or API operation no matrix declares.
See docs/testing.md, "The permission matrix".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Who may call a route that needs no capability beyond being logged in (inbox, own tokens, …).
LOGIN = "login"
# Who may call a public route (log-in page, portal, language switch): anyone.
PUBLIC = "public"

# The five cases every entry is run through.
ANONYMOUS = "anonymous"
LACKING = "without_capability"
IN_SCOPE = "in_scope"
OUT_OF_SCOPE = "out_of_scope"
WRONG_ROLE = "wrong_role"
CASES = (ANONYMOUS, LACKING, IN_SCOPE, OUT_OF_SCOPE, WRONG_ROLE)

# How a refusal answers (the project's convention, see tests/permissions/test_matrix.py):
FORBIDDEN = 403  # a capability the user holds nowhere: 403, recorded as a refusal
HIDDEN = 404  # an object outside the user's scope: the same 404 as "not found", recorded
EMPTY = 200  # a list: answers, but shows nothing of the object's subtree

Builder = Callable[["World"], Any]


def _nothing(world: World) -> dict:
    return {}


@dataclass
class World:
    """The shared test region and its named users (tests/conftest.py), plus a cache for built objects."""

    region: Any
    users: dict
    cache: dict = field(default_factory=dict)

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        """Build an object the first time an entry asks for it in this test, then reuse it."""
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


@dataclass(frozen=True)
class Route:
    """One web route (by its URL name) and what each kind of caller gets.

    name        the namespaced URL name, e.g. "org:staff_edit"
    capability  the constant it needs (core/org/accounts/assessments capabilities), LOGIN or PUBLIC
    methods     the methods the matrix exercises; each POST needs `payload` and `effect`
    scoped      whether the route reaches unit-owned data (then OUT_OF_SCOPE runs)
    kwargs      the URL kwargs of an in-scope object (county A, or the city)
    actor       a user in scope holding the capability: gets `ok`
    outsider    a user holding the capability, but not over this object: gets `outside`
    lacking     users holding the capability nowhere: get `denied` (recorded)
    wrong_role  a user in scope (a role on the object's subtree) whose role lacks the capability
    denied      403 (capability check) or 404 (scoped lookup) for LACKING (and WRONG_ROLE)
    wrong_status  what WRONG_ROLE gets when it differs from `denied` (it sees the object, lacks the right: 403)
    outside     404 for an object (recorded), EMPTY for a list (nothing of county A shown)
    outside_post  what OUT_OF_SCOPE gets for a POST when it differs (a form refusing a unit: 200 or 422)
    payload     the POST body: valid, so that the in-scope call really makes its change
    effect      the state a refused call must leave unchanged (and the allowed POST changes)
    changes     False when even the allowed POST changes nothing `effect` can see
    secret      strings no refused answer may contain (county A's names on a list, a clear phone)
    """

    name: str
    capability: str
    methods: tuple[str, ...] = ("get",)
    scoped: bool = True
    kwargs: Builder = _nothing
    actor: str = "county_reviewer"
    outsider: str = "other_county_head"
    lacking: tuple[str, ...] = ("no_role", "audit_admin")
    wrong_role: str | None = None
    denied: int = HIDDEN
    wrong_status: int | None = None
    outside: int = HIDDEN
    outside_post: int | None = None
    ok: tuple[int, ...] = (200,)
    post_ok: tuple[int, ...] = (302,)
    payload: Builder | None = None
    effect: Builder | None = None
    changes: bool = True
    secret: Builder | None = None

    @property
    def key(self) -> str:
        return self.name

    def cases(self) -> list[str]:
        if self.capability == PUBLIC:
            return [ANONYMOUS, IN_SCOPE]
        cases = [ANONYMOUS, IN_SCOPE]
        if self.capability != LOGIN:
            cases.append(LACKING)
        if self.scoped:
            cases.append(OUT_OF_SCOPE)
        if self.wrong_role is not None:
            cases.append(WRONG_ROLE)
        return cases


@dataclass(frozen=True)
class Op:
    """One REST operation of /api/v1 (by method and OpenAPI path) and what each kind of caller gets.

    The API's conventions: anonymous 401 `not_authenticated`; no business role, or a role
    without the capability, 403 `permission_denied` (recorded); an object out of scope 404
    `not_found` (recorded); a collection answers an outsider with their own items only.
    """

    method: str
    path: str
    capability: str
    params: Builder = _nothing
    body: Builder | None = None
    multipart: bool = False
    ok: int = 200
    actor: str = "office_head"
    outsider: str = "other_county_head"
    lacking: tuple[str, ...] = ("no_role", "audit_admin", "system_admin", "security_admin")
    wrong_role: str | None = None
    outside: int = HIDDEN
    # For `outside` other than 404/200: the field the 4xx answer names (a unit the outsider may not use).
    outside_field: str | None = None
    effect: Builder | None = None
    changes: bool = True
    # For a collection (outside=EMPTY): (world, the answer's items) -> the items the outsider must not get.
    leaks: Callable[[World, list], list] | None = None
    scoped: bool = True

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def write(self) -> bool:
        return self.method != "GET"

    def cases(self) -> list[str]:
        cases = [ANONYMOUS, LACKING, IN_SCOPE]
        if self.scoped:
            cases.append(OUT_OF_SCOPE)
        if self.wrong_role is not None:
            cases.append(WRONG_ROLE)
        return cases


# The role each named user holds (tests/conftest.py's `users` and this package's `world`).
ROLE_OF = {
    "city_admin": "city_admin", "county_reviewer": "county_reviewer", "office_head": "office_head",
    "office_staff": "office_staff", "window_staff": "window_staff", "grid_worker": "grid_worker",
    "system_admin": "system_admin", "security_admin": "security_admin", "audit_admin": "audit_admin",
    "other_county_head": "office_head", "other_city_admin": "city_admin",
    "other_county_reviewer": "county_reviewer", "no_role": None,
    # grid's own world (tests/permissions/matrix_grid.py)
    "grid_admin": "grid_admin", "director": "community_director", "grid_worker_b": "grid_worker",
    "other_director": "community_director", "other_grid_admin": "grid_admin",
}


# --- probes shared by the matrices ------------------------------------------------------------


def audit_seq() -> int:
    from jiceng.core.models import AuditEvent

    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def refused_since(seq: int, username: str) -> bool:
    """Whether a permission refusal by `username` was recorded after audit row `seq`."""
    from jiceng.core.models import AuditEvent, EventType

    return AuditEvent.objects.filter(seq__gt=seq, event_type=EventType.ACCESS_DENIED, actor_name=username).exists()


def county_a_names(world: World) -> list[str]:
    """Names of county A's units and staff below the county itself (what a county B user must never see)."""
    from jiceng.org.models import Staff, Unit

    region = world.region
    units = Unit.objects.filter(path__startswith=region.county_a.path).exclude(pk=region.county_a.pk)
    staff = Staff.objects.filter(unit__path__startswith=region.county_a.path)
    return [u.name for u in units] + [s.name for s in staff]


def form_payload(instance, fields, **changes) -> dict:
    """The POST body of a model form as the page would send it for `instance`, with `changes`."""
    from django.forms.models import model_to_dict

    data = {}
    for name, value in model_to_dict(instance, fields=fields).items():
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "on" if value else ""
        if value == "":
            continue
        data[name] = value
    data.update(changes)
    return data


def form_as_posted(form, **changes) -> dict:
    """What a page's form posts back untouched (every field's shown value, files left out), with `changes`."""
    from django import forms

    data = {}
    for name, fld in form.fields.items():
        if isinstance(fld, forms.FileField):
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    data.update(changes)
    return data
