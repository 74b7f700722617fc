"""Every API error is JSON with a stable code, a message in the caller's language (Chinese by default) and the field."""

from __future__ import annotations

import pytest

from jiceng.api.errors import ErrorCode

pytestmark = pytest.mark.django_db

NEW_STAFF = {"gender": "m", "education": "bachelor", "employment_type": "agency", "post": "staff"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _check_shape(body):
    assert set(body) == {"code", "message", "field", "errors"}
    assert body["code"] in {c.value for c in ErrorCode}
    assert body["message"]


def test_the_codes_are_stable():
    assert {c.value for c in ErrorCode} == {
        "not_authenticated",
        "permission_denied",
        "not_found",
        "validation_error",
        "conflict",
        "server_error",
        "method_not_allowed",
        "deadline_passed",
    }


def test_a_missing_field_is_named_with_a_chinese_message_by_default(api_as, users, region):
    response = api_as(users["office_head"]).post("/api/v1/staff/", {**NEW_STAFF, "unit": region.office_a1.pk})
    assert response.status_code == 422
    body = response.json()
    _check_shape(body)
    assert body["code"] == "validation_error" and body["field"] == "name"
    assert _is_chinese(body["message"]), body["message"]


def test_messages_stay_chinese_whatever_accept_language_says(api_as, users, region):
    # The project's rule (core.middleware.ChineseFirstLocaleMiddleware): only an explicit choice changes it.
    response = api_as(users["office_head"]).post(
        "/api/v1/staff/", {**NEW_STAFF, "unit": region.office_a1.pk}, headers={"Accept-Language": "en"}
    )
    assert _is_chinese(response.json()["message"])


def test_the_language_cookie_chooses_english(api_as, users, region, client):
    client.cookies["django_language"] = "en"
    response = api_as(users["office_head"]).post("/api/v1/staff/", {**NEW_STAFF, "unit": region.office_a1.pk})
    assert response.json()["message"] == "This field is required."


def test_every_field_at_fault_is_listed(api_as, users, region):
    response = api_as(users["office_head"]).post("/api/v1/staff/", {"unit": region.office_a1.pk, "gender": "x"})
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"name", "gender", "education", "employment_type", "post"} <= fields


def test_a_body_that_is_not_json_is_a_400_validation_error(api_as, users, region):
    api = api_as(users["office_head"])
    response = api.client.post(
        "/api/v1/staff/", data="{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    _check_shape(response.json())
    assert response.json()["code"] == "validation_error"


def test_an_unknown_id_is_not_found(api_as, users, region):
    response = api_as(users["office_head"]).get("/api/v1/units/987654")
    assert response.status_code == 404
    _check_shape(response.json())
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/units/0", "/api/v1/units/-1", f"/api/v1/units/{2**64}", "/api/v1/units/abc"])
def test_an_impossible_id_is_a_validation_error_on_id(api_as, users, region, path):
    response = api_as(users["office_head"]).get(path)
    assert response.status_code == 422
    assert response.json()["field"] == "id"


def test_nul_characters_are_refused_before_the_database(api_as, users, region):
    response = api_as(users["office_head"]).post(
        "/api/v1/staff/", {**NEW_STAFF, "unit": region.office_a1.pk, "name": "a\x00b"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "name"
    assert _is_chinese(response.json()["message"])


def test_nul_in_a_query_filter_is_refused(api_as, users, region):
    response = api_as(users["office_head"]).get("/api/v1/units/", {"q": "a\x00"})
    assert response.status_code == 422 and response.json()["field"] == "q"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"offset": -1}, "offset"), ({"kind": "planet"}, "kind")],
)
def test_bad_paging_and_filters_name_the_parameter(api_as, users, region, params, field):
    response = api_as(users["office_head"]).get("/api/v1/units/", params)
    assert response.status_code == 422 and response.json()["field"] == field


def test_a_model_rule_from_the_service_comes_back_on_its_field(api_as, users, region):
    response = api_as(users["office_head"]).patch(f"/api/v1/units/{region.office_a1.pk}", {"floor_area": "12.34"})
    assert response.status_code == 422 and response.json()["field"] == "floor_area"


def test_a_record_still_referred_to_is_a_409_conflict(api_as, users, region, monkeypatch):
    """No endpoint can reach a protected row yet (nothing refers to a staff record), so the
    service is made to raise what a future reference would, through the real endpoint."""
    from django.db.models import ProtectedError

    from jiceng.org import services
    from jiceng.org.models import Staff

    person = Staff.objects.filter(unit=region.office_a1).first()

    def protected(**kwargs):
        raise ProtectedError("referred to", {person})

    monkeypatch.setattr(services, "staff_delete", protected)
    response = api_as(users["office_head"]).delete(f"/api/v1/staff/{person.pk}")
    assert response.status_code == 409
    _check_shape(response.json())
    assert response.json()["code"] == "conflict"
    assert Staff.objects.filter(pk=person.pk).exists()


def test_errors_are_json_even_for_anonymous_callers(client, region):
    response = client.post("/api/v1/staff/", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    _check_shape(response.json())


def test_text_is_trimmed_and_blank_is_refused(api_as, users, region):
    from jiceng.org.models import Unit

    # The city: an office may no longer rename itself (org.services IDENTITY_FIELDS).
    api = api_as(users["city_admin"])
    response = api.patch(f"/api/v1/units/{region.office_a1.pk}", {"name": "   "})
    assert response.status_code == 422 and response.json()["field"] == "name"
    response = api.patch(f"/api/v1/units/{region.office_a1.pk}", {"name": "  甲一所  "})
    assert response.status_code == 200
    assert Unit.objects.get(pk=region.office_a1.pk).name == "甲一所"


def test_a_method_the_address_lacks_is_a_json_405_with_the_allowed_methods(api_as, users, region):
    api = api_as(users["office_head"])
    response = api.client.put("/api/v1/staff/", data="{}", content_type="application/json", headers=api.headers)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    _check_shape(body)
    assert body["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert "PUT" in body["message"] and _is_chinese(body["message"])


def test_an_unknown_api_address_is_a_json_404(api_as, users, region, client):
    for response in (api_as(users["office_head"]).get("/api/v1/no-such-thing/"), client.get("/api/v1/nope")):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        _check_shape(response.json())
        assert response.json()["code"] == "not_found"


def test_the_api_root_says_where_the_api_is_described(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"title": "Jiceng API", "version": "1", "docs": "/api/v1/docs",
                               "openapi": "/api/v1/openapi.json"}
    assert client.get(response.json()["openapi"]).status_code == 200


def test_an_address_without_its_slash_is_a_json_404_that_names_the_right_one(client):
    response = client.get("/api/v1/staff")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert "/api/v1/staff/" in response.json()["message"]
    assert "/api/v1/nope/" not in client.get("/api/v1/nope").json()["message"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_api_root_takes_only_get_and_answers_others_with_the_json_405(method):
    from django.test import Client

    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/")
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "method_not_allowed" and response["Allow"] == "GET, HEAD"
