"""The API permission matrix, generated from the OpenAPI schema's list of operations.

`test_the_matrix_names_no_operation_that_is_gone` fails as soon as an endpoint is added
without an entry in OPERATIONS, and every entry is then checked for:
anonymous → 401; authenticated without any business role → 403 (the
separated administrators too, and the refusal is recorded); a user of the
sibling county → 404 for a county-A object (the same answer as "not found",
and the attempt is recorded), or for collections a success that holds nothing
of county A; read-only role → success for reads, 403 for writes; in scope →
success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from jiceng.api.v1 import api

from . import assessment_states

pytestmark = pytest.mark.django_db


def _schema_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return sorted((method.upper(), path) for path, methods in paths.items() for method in methods)


SCHEMA_OPERATIONS = _schema_operations()


def _staff_a(region):
    from jiceng.org.models import Staff

    return Staff.objects.filter(unit=region.office_a1).order_by("pk").first()


def _new_staff(region) -> dict:
    return {
        "unit": region.office_a1.pk,
        "name": "矩阵",
        "gender": "f",
        "education": "bachelor",
        "employment_type": "agency",
        "post": "window",
    }


@dataclass(frozen=True)
class Op:
    """How to call one operation on county-A data, and what each kind of caller gets."""

    path_params: Callable = lambda region: {}  # noqa: E731
    body: Callable | None = None
    write: bool = False
    success: int = 200
    # What the head of an office in county B gets.
    outsider: int = 404
    outsider_field: str | None = None
    # Collections answer outsiders with their own (empty of county A) items.
    collection: bool = False
    query: dict = field(default_factory=dict)
    # Who acts in scope, and who may see the object but not write it (403 on writes).
    insider: str = "office_head"
    reader: str = "office_staff"
    # Collections whose items carry no unit: (items, region) -> the items of county A among them.
    leaked: Callable | None = None
    # What no refused call may change, beyond the staff count.
    snapshot: Callable = lambda region: None  # noqa: E731
    # The body goes as multipart/form-data (file uploads) instead of JSON.
    multipart: bool = False


OPERATIONS: dict[tuple[str, str], Op] = {
    ("GET", "/api/v1/units/"): Op(collection=True, outsider=200),
    ("GET", "/api/v1/units/{id}"): Op(lambda r: {"id": r.office_a1.pk}),
    ("PATCH", "/api/v1/units/{id}"): Op(lambda r: {"id": r.office_a1.pk}, body=lambda r: {"computers": 3}, write=True),
    ("GET", "/api/v1/staff/"): Op(collection=True, outsider=200),
    ("POST", "/api/v1/staff/"): Op(body=_new_staff, write=True, success=201, outsider=422, outsider_field="unit"),
    ("GET", "/api/v1/staff/{id}"): Op(lambda r: {"id": _staff_a(r).pk}),
    ("PATCH", "/api/v1/staff/{id}"): Op(
        lambda r: {"id": _staff_a(r).pk}, body=lambda r: {"post": "deputy_head"}, write=True
    ),
    ("DELETE", "/api/v1/staff/{id}"): Op(lambda r: {"id": _staff_a(r).pk}, write=True, success=204),
    ("POST", "/api/v1/staff/{id}/unmask"): Op(
        lambda r: {"id": _staff_a(r).pk}, body=lambda r: {"field": "phone", "reason": "matrix"}, write=True
    ),
}
# The indicators (jiceng.metrics.api): the list names no unit; a value is the unit's (by code).
OPERATIONS.update({
    ("GET", "/api/v1/indicators/"): Op(collection=True, outsider=200, leaked=lambda items, region: []),
    ("GET", "/api/v1/indicators/{indicator}/values/{unit}"): Op(
        lambda r: {"indicator": "org.staff_count", "unit": r.office_a1.code}),
})
# The assessment workflow's operations (tests/api/assessment_states.py).
OPERATIONS.update(
    {key: Op(**kwargs, snapshot=assessment_states.snapshot) for key, kwargs in assessment_states.operations().items()}
)


def _call(api_client, key, region, path_params=None):
    method, template = key
    spec = OPERATIONS[key]
    params = spec.path_params(region) if path_params is None else path_params
    path = template.format(**params)
    body = spec.body(region) if spec.body else None
    if method == "GET":
        return api_client.get(path, spec.query or None)
    if method == "DELETE":
        return api_client.delete(path)
    if spec.multipart:
        return api_client.upload(path, body)
    return getattr(api_client, method.lower())(path, body)


def _spec(key) -> Op:
    if key not in OPERATIONS:
        pytest.fail(f"{key[0]} {key[1]} is not in the API permission matrix: add it to OPERATIONS in {__file__}")
    return OPERATIONS[key]


def test_the_matrix_names_no_operation_that_is_gone():
    # New operations are declared in tests/permissions/matrix_<app>.py (tests/permissions/test_coverage.py
    # checks that); this older matrix keeps checking the operations it lists.
    assert set(OPERATIONS) - set(SCHEMA_OPERATIONS) == set(), "remove operations that are gone"


def _refusals(before: int, actor: str) -> bool:
    from jiceng.core.models import AuditEvent, EventType

    return AuditEvent.objects.filter(seq__gt=before, event_type=EventType.ACCESS_DENIED, actor_name=actor).exists()


def _last_seq() -> int:
    from jiceng.core.models import AuditEvent

    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.mark.parametrize("key", [k for k in SCHEMA_OPERATIONS if k in OPERATIONS], ids=" ".join)
def test_the_permission_matrix(key, api_as, users, region):
    """One operation, every kind of caller; the refused ones first, so nothing has changed when the allowed one runs."""
    from jiceng.org.models import Staff, Unit

    spec = _spec(key)
    staff_before = Staff.objects.count()
    spec.path_params(region)  # builds the operation's data before the snapshot
    state_before = spec.snapshot(region)

    response = _call(api_as(None), key, region)
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), "anonymous"

    for role in ("no_role", "audit_admin", "system_admin", "security_admin"):
        before = _last_seq()
        response = _call(api_as(users[role]), key, region)
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), role
        assert _refusals(before, role), f"{role}: the refusal was not recorded"

    before = _last_seq()
    response = _call(api_as(users["other_county_head"]), key, region)
    assert response.status_code == spec.outsider, f"another county: {response.content}"
    if spec.collection:
        county_a = set(Unit.objects.filter(path__startswith=region.county_a.path).values_list("pk", flat=True))
        items = response.json()["items"]
        assert items, "the outsider should still see their own county"
        if spec.leaked is not None:
            assert spec.leaked(items, region) == [], "data of county A leaked"
        elif "code" in items[0]:
            assert {i["id"] for i in items} & county_a == set(), "units of county A leaked"
        else:
            assert {i["unit_id"] for i in items} == {region.office_b1.pk}, "staff of county A leaked"
    elif spec.outsider == 404:
        assert response.json()["code"] == "not_found"
        assert _refusals(before, "other_county_head"), "the out-of-scope attempt was not recorded"
    else:
        assert response.json()["field"] == spec.outsider_field
    assert Staff.objects.count() == staff_before

    response = _call(api_as(users[spec.reader]), key, region)
    if spec.write:
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), "read-only role"
    else:
        assert response.status_code == spec.success, f"read-only role: {response.content}"
    assert Staff.objects.count() == staff_before
    assert spec.snapshot(region) == state_before, "a refused call changed something"

    response = _call(api_as(users[spec.insider]), key, region)
    assert response.status_code == spec.success, f"in scope: {response.content}"


@pytest.mark.parametrize("key", [k for k in SCHEMA_OPERATIONS if k in OPERATIONS and "{id}" in k[1]], ids=" ".join)
def test_a_missing_object_gets_the_same_404_as_an_out_of_scope_one(key, api_as, users, region):
    _spec(key)
    response = _call(api_as(users["office_head"]), key, region, path_params={"id": 987654})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
