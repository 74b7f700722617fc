"""The permission matrix: every URL pattern of the project, walked from the resolver.

A new route cannot be forgotten: `test_every_route_is_registered` fails until the
route is added to OBJECT_ROUTES (it takes an object from the URL) or to
NO_OBJECT_ROUTES (it does not), and then the generated tests check it for
anonymous users (sent to the log-in page), for a user of the sibling county
(404 for an object of county A, the same answer as "not found") and for an
in-scope user (the route works).

Answers the code gives, documented here once: a role without the capability a
page needs (accounts, roles, audit trail) gets 403 and the refusal is recorded;
a business object outside the user's scope, or outside their *editable* scope
for an edit route, gets 404 like a missing object (and the attempt is recorded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN_URL = "/accounts/login/"


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def walk(patterns=None, prefix: str = "", namespace: str | None = None):
    """Every URL pattern of the project, with its namespaced name and its parameters."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            params = tuple(getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex)
            yield Route(name or f"<unnamed {prefix}{entry.pattern}>", prefix + str(entry.pattern), params)


# The API answers with 401/403 JSON, not log-in redirects; tests/api/test_permission_matrix.py
# walks its operations from the OpenAPI schema instead.
ALL_ROUTES = sorted((r for r in walk() if not r.pattern.startswith("api/v1/")), key=lambda r: r.name)


@dataclass(frozen=True)
class ObjectRoute:
    """How to build an object of county A for a route that takes one, and who may use it."""

    kwargs: Callable[[object, dict], dict]
    method: str = "get"
    # Who in county A may use the route, and the status they get.
    allowed: str = "county_reviewer"
    allowed_status: int = 200
    # What the office head of county B gets: 404 for unit-scoped data; 403 where a
    # capability (not a unit) guards the page and nothing is unit-scoped.
    outsider_status: int = 404


def _patrol_of(region):
    from patrols.objects import patrol_of

    return patrol_of(region)


def _finding_of(region):
    from patrols.objects import finding_of

    return finding_of(region)


def _petition_of(region):
    from ledgers.objects import petition_of

    return petition_of(region)
def _issue13(name, key):
    """kwargs of a staffing or ratings route: the object `key` of the new matrix's builders (step routes add a step)."""

    def kwargs(region, users):
        from permissions.kit import World
        from permissions.matrix_ratings import _world as ratings_world
        from permissions.matrix_staffing import _setup as staffing_world

        world = World(region=region, users=users)
        obj = (ratings_world(world) if name.startswith("ratings:") else staffing_world(world))[key]
        step = {"staffing:leave_step": "approve", "staffing:breach_step": "confirm",
                "ratings:rectification_step": "call_back"}.get(name)
        return {"pk": obj.pk, **({"step": step} if step else {})}

    return kwargs


def _staff_of(unit):
    from jiceng.org.models import Staff

    return Staff.objects.filter(unit=unit).first()


def _membership_of(user):
    return user.memberships.get()


def _token_of(user):
    from jiceng.api.services import token_create

    return token_create(actor=user, name="matrix")[0]


def _export_job_of(user):
    # A finished background export (core.export_jobs), run here without a worker: only its owner may reach it.
    from jiceng.core.export_jobs import export_job_run
    from jiceng.core.models import ExportJob

    job = ExportJob.objects.create(user=user, kind="staff", title="matrix")
    export_job_run(str(job.pk))
    return str(job.pk)


def _assessment(name):
    # Objects of an assessment campaign over county A only (tests/assessments/matrix.py).
    from assessments import matrix

    return getattr(matrix, name)


def _metrics_flag(region):
    from jiceng.metrics.models import DataFlag

    return DataFlag.objects.get_or_create(unit=region.office_a1, key="submission:999999", item="3.3.1", defaults=dict(
        indicator="org.staff_count", period="2026", claimed=1.5, supported=0, value=80.0, numerator=8,
        denominator=10))[0]


def _evidence_attachment(region, users):
    # The one attachment download (core.downloads), on the matrix's evidence file of county A.
    from jiceng.assessments.models import Evidence

    return {"pk": Evidence.objects.get(**_assessment("evidence_pk")(region, users)).attachment_id}


def _grid(attr):
    # The grid world of tests/grid/conftest.py (two grids of village A, their workers and residents).
    def build(region, users):
        from grid.conftest import build_world

        world = build_world(region, users)
        if attr == "case":
            from jiceng.grid.services import dismissal

            case = dismissal.raise_case(actor=world.director, worker=world.worker_a, ground="4", evidence="probe")
            return {"pk": case.pk}
        return {"pk": getattr(world, attr).pk}

    return build


OBJECT_ROUTES: dict[str, ObjectRoute] = {
    "core:attachment_download": ObjectRoute(_evidence_attachment),
    "assessments:campaign_detail": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    "assessments:review_queue": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    "assessments:audit_queue": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    "assessments:campaign_publish": ObjectRoute(
        lambda r, u: _assessment("campaign_pk")(r, u), method="post", allowed="city_admin", allowed_status=302,
        outsider_status=403,
    ),
    "assessments:campaign_cancel": ObjectRoute(
        lambda r, u: _assessment("campaign_pk")(r, u), allowed="city_admin", outsider_status=403,
    ),
    "assessments:submission_detail": ObjectRoute(lambda r, u: _assessment("submission_pk")(r, u)),
    "assessments:submission_self": ObjectRoute(lambda r, u: _assessment("draft_pk")(r, u), allowed="office_head"),
    "assessments:submission_review": ObjectRoute(lambda r, u: _assessment("submission_pk")(r, u)),
    "assessments:submission_audit": ObjectRoute(lambda r, u: _assessment("submission_pk")(r, u),
                                                allowed="city_admin"),
    "assessments:veto_create": ObjectRoute(
        lambda r, u: _assessment("submission_pk")(r, u), method="post", allowed="city_admin", allowed_status=302,
        outsider_status=403,
    ),
    "assessments:bonus_create": ObjectRoute(
        lambda r, u: _assessment("submission_pk")(r, u), method="post", allowed="city_admin", allowed_status=302,
        outsider_status=403,
    ),
    # The city's deadline changes: a campaign's stage deadlines, one draft's extension (延期).
    "assessments:campaign_deadlines": ObjectRoute(
        lambda r, u: _assessment("campaign_pk")(r, u), method="post", allowed="city_admin", allowed_status=302,
        outsider_status=403,
    ),
    "assessments:deadline_extend": ObjectRoute(
        lambda r, u: _assessment("draft_pk")(r, u), method="post", allowed="city_admin", allowed_status=302,
        outsider_status=403,
    ),
    "assessments:flag_dismiss": ObjectRoute(
        lambda r, u: _assessment("flag_pk")(r, u), method="post", allowed="city_admin", allowed_status=302,
        outsider_status=403,
    ),
    "assessments:evidence_download": ObjectRoute(lambda r, u: _assessment("evidence_pk")(r, u)),
    "assessments:veto_evidence": ObjectRoute(lambda r, u: _assessment("veto_pk")(r, u)),
    "assessments:evidence_delete": ObjectRoute(
        lambda r, u: _assessment("evidence_pk")(r, u), method="post", allowed="office_head", allowed_status=302
    ),
    # Outputs of a campaign and of a submission (declaration, evidence, sheets, dashboard).
    "assessment_outputs:dashboard": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    "assessment_outputs:scoresheet": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    "assessment_outputs:notice": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u), allowed="city_admin"),
    "assessment_outputs:declaration_docx": ObjectRoute(lambda r, u: _assessment("submission_pk")(r, u)),
    "assessment_outputs:declaration_pdf": ObjectRoute(lambda r, u: _assessment("submission_pk")(r, u)),
    "assessment_outputs:evidence_zip": ObjectRoute(lambda r, u: _assessment("submission_pk")(r, u)),
    # A user's own API token: another user's is "not found" (and the attempt recorded).
    "tokens:revoke": ObjectRoute(
        lambda r, u: {"pk": _token_of(u["county_reviewer"]).pk}, method="post", allowed_status=302
    ),
    # A user's own background export: anyone else's is "not found" (and the attempt recorded).
    "exports:job": ObjectRoute(lambda r, u: {"job": _export_job_of(u["county_reviewer"])}),
    "exports:progress": ObjectRoute(lambda r, u: {"job": _export_job_of(u["county_reviewer"])}),
    "exports:download": ObjectRoute(lambda r, u: {"job": _export_job_of(u["county_reviewer"])}),
    # Patrols (tests/patrols/objects.py): the field page, its track and findings, and the map of county A.
    "patrols:detail": ObjectRoute(lambda r, u: {"pk": _patrol_of(r).pk}),
    "patrols:track_add": ObjectRoute(lambda r, u: {"pk": _patrol_of(r).pk}, method="post", allowed="office_staff",
                                     allowed_status=400),
    "patrols:finding_add": ObjectRoute(lambda r, u: {"pk": _patrol_of(r).pk}, method="post", allowed="office_staff",
                                       allowed_status=400),
    "patrols:finding_clue": ObjectRoute(lambda r, u: {"pk": _finding_of(r).pk}, method="post", allowed="office_staff",
                                        allowed_status=302),
    "patrols:map": ObjectRoute(lambda r, u: {"pk": r.county_a.pk}),
    "patrols:map_data": ObjectRoute(lambda r, u: {"pk": r.county_a.pk}),
    # Office ledgers (tests/ledgers/objects.py): a petition of office CA1.
    "ledgers:row": ObjectRoute(lambda r, u: {"kind": "petitions", "pk": _petition_of(r).pk}),
    "ledgers:step": ObjectRoute(lambda r, u: {"kind": "petitions", "pk": _petition_of(r).pk}, method="post",
                                allowed="office_staff", allowed_status=302),
    "ledgers:attach": ObjectRoute(lambda r, u: {"kind": "petitions", "pk": _petition_of(r).pk}, method="post",
                                  allowed="office_staff", allowed_status=302),
    "org:unit_detail": ObjectRoute(lambda r, u: {"pk": r.office_a1.pk}),
    "metrics:unit_dashboard": ObjectRoute(lambda r, u: {"code": r.county_a.code}),
    "metrics:flag_decide": ObjectRoute(lambda r, u: {"pk": _metrics_flag(r).pk}, method="post", allowed_status=302,
                                       allowed="county_reviewer", outsider_status=403),
    "org:unit_children": ObjectRoute(lambda r, u: {"pk": r.township_a.pk}),
    "org:unit_edit": ObjectRoute(lambda r, u: {"pk": r.office_a1.pk}),
    "org:staff_detail": ObjectRoute(lambda r, u: {"pk": _staff_of(r.office_a1).pk}),
    "org:staff_edit": ObjectRoute(lambda r, u: {"pk": _staff_of(r.office_a1).pk}),
    "org:staff_delete": ObjectRoute(
        lambda r, u: {"pk": _staff_of(r.office_a2).pk}, method="post", allowed_status=302
    ),
    "org:staff_unmask": ObjectRoute(
        lambda r, u: {"pk": _staff_of(r.office_a1).pk, "field": "phone"}, method="post"
    ),
    "accounts:user_detail": ObjectRoute(
        lambda r, u: {"pk": u["office_head"].pk}, allowed="system_admin", outsider_status=403
    ),
    "accounts:membership_revoke": ObjectRoute(
        lambda r, u: {"pk": _membership_of(u["office_staff"]).pk},
        method="post",
        allowed="security_admin",
        allowed_status=302,
        outsider_status=403,
    ),
    # Staffing and ratings (issue 13): objects built by tests/permissions/matrix_staffing.py and matrix_ratings.py.
    **{name: ObjectRoute(_issue13(name, kwargs), method=method, allowed="office_head",
                         allowed_status=200 if method == "get" or name == "ratings:invite" else 302)
       for name, kwargs, method in (
           ("staffing:post_detail", "post", "get"), ("staffing:post_absent", "post", "post"),
           ("staffing:absence_end", "absence", "post"), ("staffing:worker_detail", "a", "get"),
           ("staffing:training_new", "a", "post"), ("staffing:leave_step", "leave", "post"),
           ("staffing:breach_step", "breach", "post"), ("ratings:invite", "case", "post"),
           ("ratings:rectification_detail", "row", "get"), ("ratings:rectification_step", "row", "post"))},
    # grid (issue 15): the county reviewer sees the non-sensitive residents and the logs of county A; only the
    # township's grid administrator unmasks (tests/permissions/matrix_grid.py), signs nothing (the director does: 404 for
    # everyone else), grades the quarter (the township's own right: 404 for everyone else).
    "grid:resident_detail": ObjectRoute(_grid("elderly")),
    "grid:resident_unmask": ObjectRoute(_grid("elderly"), method="post", allowed_status=404),  # the probe names no field
    "grid:worker_log": ObjectRoute(_grid("worker_a")),
    "grid:sign_off": ObjectRoute(_grid("worker_a"), method="post", allowed_status=404),
    "grid:grade_quarter": ObjectRoute(lambda r, u: {"pk": r.township_a.pk}, allowed_status=404),
    "grid:dismissal": ObjectRoute(_grid("case")),
}

def _window(builder: str):
    """A county A window object, built the way tests/permissions/matrix_window.py builds it."""

    def kwargs(region, users):
        from permissions import matrix_window
        from permissions.kit import World

        return getattr(matrix_window, builder)(World(region, users))

    return kwargs


OBJECT_ROUTES.update({
    "window:case_detail": ObjectRoute(_window("_case")),
    "window:case_step": ObjectRoute(_window("_step"), method="post", allowed="window_staff", allowed_status=302),
    "window:notice_document": ObjectRoute(lambda r, u: {"pk": _window("_notice")(r, u).pk, "fmt": "docx"}),
    "window:decision_document": ObjectRoute(lambda r, u: {"pk": _window("_decided")(r, u).pk, "fmt": "docx"}),
})

# Routes that take no object, with the method that exercises them.
NO_OBJECT_ROUTES: dict[str, str] = {
    "assessments:campaign_list": "get",
    "inbox:inbox": "get",
    "metrics:dashboard": "get",
    "metrics:records": "get",
    "inbox:mark_read": "post",
    "portal:index": "get",
    "assessments:campaign_create": "get",
    "tokens:list": "get",
    "home": "get",
    "set_language": "post",
    "accounts:login": "get",
    "accounts:logout": "post",
    "accounts:password_change": "get",
    "accounts:user_list": "get",
    "accounts:user_create": "get",
    "accounts:membership_list": "get",
    "accounts:role_matrix": "get",
    "accounts:onboarding": "get",
    "accounts:onboarding_roles": "get",
    "accounts:onboarding_request": "get",
    "org:unit_tree": "get",
    "org:staff_list": "get",
    "org:staff_create": "get",
    "core:audit_list": "get",
    "core:ledger_overdue": "get",
    "core:audit_export": "get",
    "org:staff_export": "get",
    "org:unit_export": "get",
    "org:import_staff": "get",
    "org:import_units": "get",
    "org:import_template_staff": "get",
    "org:import_template_units": "get",
    "org:import_errors": "get",
    "exports:list": "get",
    "staffing:post_list": "get",
    "staffing:sign_in": "get",
    "staffing:leave_list": "get",
    "staffing:leave_new": "post",
    "staffing:breach_list": "get",
    "staffing:breach_new": "post",
    "ratings:rectification_list": "get",
    "ratings:figures": "get",
    "window_public:guide_index": "get",
    "grid:home": "get",
    "grid:resident_list": "get",
    "grid:resident_export": "get",
    "grid:log_entry": "get",
    "grid:import_grid_residents": "get",
    "grid:import_template_grid_residents": "get",
    "grid:import_errors": "get",
    "core:offline_sw": "get",
    "patrols:list": "get",
    "patrols:create": "get",
    "patrols:area_list": "get",
    "patrols:report": "get",
    "patrols:map_home": "get",
    "window:case_list": "get",
    "window:intake": "get",
    "window:figures": "get",
    "window:catalogue": "get",
    "window:catalogue_export": "get",
    "window:catalogue_import": "post",
    "ledgers:index": "get",
    "ledgers:import_errors": "get",
}
# The office ledgers (jiceng.ledgers): a list and a new-row page per ledger, and the import pages.
from jiceng.ledgers.listings import IMPORTABLE as _LEDGER_IMPORTS  # noqa: E402
from jiceng.ledgers.specs import SPECS as _LEDGER_SPECS  # noqa: E402

NO_OBJECT_ROUTES.update({f"ledgers:{kind}_{page}": "get" for kind in _LEDGER_SPECS for page in ("list", "create")})
NO_OBJECT_ROUTES.update({f"ledgers:{page}_ledgers_{kind}": "get" for kind in _LEDGER_IMPORTS
                         for page in ("import", "import_template")})

# Public pages that take an object (the published results of a campaign): no
# log-in and no scope, so they are checked apart from the scoped object routes.
PUBLIC_OBJECT_ROUTES: dict[str, ObjectRoute] = {
    "portal:campaign": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    "portal:campaign_notice": ObjectRoute(lambda r, u: _assessment("campaign_pk")(r, u)),
    # An unknown rating token: the same 404 for everyone (the valid ones are in tests/permissions/matrix_ratings.py).
    "ratings_public:rate": ObjectRoute(lambda r, u: {"token": "A" * 43}),
    # The window's guides (no item with this code: the public page does not exist).
    "window_public:guide_detail": ObjectRoute(lambda r, u: {"code": "NO-SUCH-ITEM"}),
    "window_public:guide_pdf": ObjectRoute(lambda r, u: {"code": "NO-SUCH-ITEM"}),
    # A grid's public notice (第二十一条) exists once its profile is recorded; the shared region's grid has none.
    "grid_public:notice": ObjectRoute(lambda r, u: {"code": r.grid_a.code}),
    "grid_public:poster": ObjectRoute(lambda r, u: {"code": r.grid_a.code}),
}

# Reachable without logging in.
PUBLIC_ROUTES = {"accounts:login", "accounts:logout", "set_language", "portal:index", "window_public:guide_index",
                 *PUBLIC_OBJECT_ROUTES}
PUBLIC_ROUTES |= {"core:offline_sw"}  # the offline queue's service worker script (core.offline)


def _unpublished_case(region, users):
    # An enforcement case whose decision is not published: the public page does not exist for it.
    from jiceng.enforcement.models import Case

    case = Case.objects.create(unit=region.office_a1, state="decided", opened_on="2026-09-28", found_on="2026-09-28",
                               title="未公开", party="张三", decided_on="2026-10-20")
    return {"pk": case.pk}


# enforcement: the published penalty decisions (seed 000 5.1-5.3), without log-in.
NO_OBJECT_ROUTES["enforcement_public:disclosure_list"] = "get"
PUBLIC_OBJECT_ROUTES["enforcement_public:disclosure_detail"] = ObjectRoute(_unpublished_case)
PUBLIC_ROUTES |= {"enforcement_public:disclosure_list", "enforcement_public:disclosure_detail"}


def _enforcement(kind):
    def build(region, users):
        from enforcement.builders import case_in, certify, clue

        certify(users["office_head"], region.office_a1)
        row = clue(region.office_a1) if kind == "clue" else case_in(region.office_a1, kind, decided_on="2026-10-20")
        return {"pk": row.pk}

    return build


# enforcement: the clue and case ledgers (the office head of CA1 works the case).
NO_OBJECT_ROUTES.update({"enforcement:clue_list": "get", "enforcement:clue_create": "get", "enforcement:case_list": "get"})
OBJECT_ROUTES.update({
    "enforcement:clue_detail": ObjectRoute(_enforcement("clue")),
    "enforcement:case_open": ObjectRoute(_enforcement("clue"), method="post", allowed="office_head", allowed_status=302),
    "enforcement:case_detail": ObjectRoute(_enforcement("checked")),
    "enforcement:case_step": ObjectRoute(_enforcement("found"), method="post", allowed="office_head", allowed_status=302),
    "enforcement:case_document": ObjectRoute(_enforcement("checked"), method="post", allowed="office_head",
                                             allowed_status=302),
    "enforcement:case_publish": ObjectRoute(_enforcement("served"), method="post", allowed="office_head",
                                            allowed_status=302),
})


def _method(route: Route) -> str:
    if route.name in OBJECT_ROUTES:
        return OBJECT_ROUTES[route.name].method
    return NO_OBJECT_ROUTES[route.name]


def test_the_walk_finds_the_routes_of_every_app():
    names = {route.name for route in ALL_ROUTES}
    assert {"home", "org:staff_detail", "accounts:login", "core:audit_list"} <= names


# Registration is checked once, by tests/permissions/test_coverage.py: a new route is declared in
# tests/permissions/matrix_<app>.py only. This older matrix keeps checking the routes it lists (and the
# missing-object 404 below), but no longer asks new routes to be added here too.
LISTED = {*OBJECT_ROUTES, *NO_OBJECT_ROUTES, *PUBLIC_OBJECT_ROUTES, *PUBLIC_ROUTES}


def test_the_registries_name_no_route_that_is_gone():
    names = {route.name for route in ALL_ROUTES}
    assert set(OBJECT_ROUTES) - names == set()
    assert set(NO_OBJECT_ROUTES) - names == set()


def _url(route: Route, region, users) -> str:
    if route.name in OBJECT_ROUTES:
        return reverse(route.name, kwargs=OBJECT_ROUTES[route.name].kwargs(region, users))
    return reverse(route.name)


@pytest.mark.parametrize("route", [r for r in ALL_ROUTES if r.name in LISTED and r.name not in PUBLIC_ROUTES],
                         ids=lambda r: r.name)
def test_anonymous_users_are_sent_to_the_login_page(route, client, region, users):
    if route.name not in OBJECT_ROUTES and route.name not in NO_OBJECT_ROUTES:
        pytest.fail(f"{route.name} is not registered (see test_every_route_is_registered)")
    url = _url(route, region, users)
    response = getattr(client, _method(route))(url)
    assert response.status_code == 302, f"{route.name}: anonymous got {response.status_code}"
    assert response["Location"].startswith(f"{LOGIN_URL}?next="), response["Location"]


@pytest.mark.parametrize("name", sorted(PUBLIC_OBJECT_ROUTES))
def test_public_object_pages_answer_everyone_alike_without_a_log_in(name, client, client_for, region, users):
    url = reverse(name, kwargs=PUBLIC_OBJECT_ROUTES[name].kwargs(region, users))
    anonymous = client.get(url)
    assert not anonymous.get("Location", "").startswith(LOGIN_URL)
    # Nothing of the campaign is published yet: the public page does not exist.
    assert anonymous.status_code == 404
    assert client_for(users["city_admin"]).get(url).status_code == anonymous.status_code


def test_public_routes_answer_anonymous_users_without_a_log_in(client, region, users):
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("portal:index")).status_code == 200
    # Logging out or choosing a language without a session just redirects, not to an error.
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_a_user_of_another_county_gets_404_for_a_county_a_object(name, client_for, region, users):
    from jiceng.core.models import AuditEvent, EventType

    spec = OBJECT_ROUTES[name]
    url = reverse(name, kwargs=spec.kwargs(region, users))
    client = client_for(users["other_county_head"])
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # the last seq (not the count: PostgreSQL numbers rows from a sequence)
    response = getattr(client, spec.method)(url, {"reason": "probe"} if spec.method == "post" else None)
    assert response.status_code == spec.outsider_status, f"{name}: {response.status_code}"
    # Whether 403 or 404, the attempt goes on the record.
    refusal = AuditEvent.objects.filter(seq__gt=before, event_type=EventType.ACCESS_DENIED).first()
    assert refusal is not None, f"{name}: the refused attempt was not recorded"
    assert refusal.actor_name == "other_county_head"


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_the_same_object_route_works_for_a_user_in_scope(name, client_for, region, users):
    spec = OBJECT_ROUTES[name]
    url = reverse(name, kwargs=spec.kwargs(region, users))
    client = client_for(users[spec.allowed])
    response = getattr(client, spec.method)(url, {"reason": "tidy-up"} if spec.method == "post" else None)
    assert response.status_code == spec.allowed_status, f"{name} as {spec.allowed}: {response.status_code}"


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_a_missing_object_gets_the_same_404_as_an_out_of_scope_one(name, client_for, region, users):
    spec = OBJECT_ROUTES[name]
    kwargs = {key: 987654 for key in spec.kwargs(region, users)}
    client = client_for(users[spec.allowed])
    response = getattr(client, spec.method)(reverse(name, kwargs=kwargs), {"reason": "x"} if spec.method == "post" else None)
    assert response.status_code == 404


def _county_a_names(region):
    from jiceng.org.models import Staff, Unit

    units = Unit.objects.filter(path__startswith=region.county_a.path)
    staff = Staff.objects.filter(unit__path__startswith=region.county_a.path)
    return [u.name for u in units] + [s.name for s in staff]


def _county_b_names(region):
    from jiceng.org.models import Staff, Unit

    units = Unit.objects.filter(path__startswith=region.county_b.path)
    staff = Staff.objects.filter(unit__path__startswith=region.county_b.path)
    return [u.name for u in units] + [s.name for s in staff]


LIST_PAGES = ["home", "org:unit_tree", "org:staff_list"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_never_show_rows_of_another_county(name, client_for, region, users):
    content = client_for(users["other_county_head"]).get(reverse(name))
    assert content.status_code == 200
    text = content.content.decode()
    leaked = [n for n in _county_a_names(region) if n in text]
    assert leaked == [], f"{name} shows county A rows to a county B user: {leaked}"


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_show_the_county_reviewer_only_county_a(name, client_for, region, users):
    response = client_for(users["county_reviewer"]).get(reverse(name))
    assert response.status_code == 200
    text = response.content.decode()
    leaked = [n for n in _county_b_names(region) if n in text]
    assert leaked == [], f"{name} shows county B rows to the county A reviewer: {leaked}"


def test_the_staff_list_shows_every_in_scope_row(client_for, region, users):
    text = client_for(users["county_reviewer"]).get(reverse("org:staff_list")).content.decode()
    from jiceng.org.models import Staff

    for staff in Staff.objects.filter(unit__path__startswith=region.county_a.path):
        assert staff.name in text


def test_the_htmx_staff_rows_are_scoped_too(client_for, region, users):
    response = client_for(users["other_county_head"]).get(reverse("org:staff_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text  # the partial, not the whole page
    assert [n for n in _county_a_names(region) if n in text] == []
    assert _staff_of(region.office_b1).name in text


def test_the_staff_form_offers_only_units_the_user_may_edit(client_for, region, users):
    text = client_for(users["office_head"]).get(reverse("org:staff_create")).content.decode()
    assert region.office_a1.name in text
    assert region.office_a2.name not in text
    assert region.office_b1.name not in text
