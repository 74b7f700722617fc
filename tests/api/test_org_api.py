"""Units and staff over the API: scoped like the web UI, written through the services, PII masked."""

from __future__ import annotations

import pytest

from .conftest import make_person

pytestmark = pytest.mark.django_db

# A valid ID number (GB 11643 check digit) and a mobile number.
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def person(region):
    return make_person(region.office_a1, name="王小红", phone=PHONE, id_number=ID_NUMBER)


def test_the_unit_list_is_the_callers_subtree_in_tree_order(api_as, users, region):
    body = api_as(users["county_reviewer"]).get("/api/v1/units/").json()
    assert [u["code"] for u in body["items"]] == ["CA", "CA1", "CA2", "CAT", "CATV", "CATVG"]
    assert body["count"] == 6


def test_the_unit_list_filters_by_kind_parent_and_text(api_as, users, region):
    api = api_as(users["city_admin"])
    assert [u["code"] for u in api.get("/api/v1/units/", {"kind": "office"}).json()["items"]] == ["CA1", "CA2", "CB1"]
    assert [u["code"] for u in api.get("/api/v1/units/", {"parent": "CA"}).json()["items"]] == ["CA1", "CA2", "CAT"]
    assert [u["code"] for u in api.get("/api/v1/units/", {"q": "乙"}).json()["items"]] == ["CB", "CB1"]


def test_the_unit_list_pages_with_limit_and_offset(api_as, users, region):
    body = api_as(users["city_admin"]).get("/api/v1/units/", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 9
    assert [u["code"] for u in body["items"]] == ["CA", "CA1"]


def test_a_parent_outside_the_scope_is_a_validation_error_on_that_field(api_as, users, region):
    response = api_as(users["county_reviewer"]).get("/api/v1/units/", {"parent": "CB"})
    assert response.status_code == 422
    assert response.json()["field"] == "parent"


def test_the_parent_of_a_unit_is_named_only_when_visible(api_as, users, region):
    body = api_as(users["county_reviewer"]).get(f"/api/v1/units/{region.office_a1.pk}").json()
    assert body["parent_id"] == region.county_a.pk
    top = api_as(users["county_reviewer"]).get(f"/api/v1/units/{region.county_a.pk}").json()
    assert top["parent_id"] is None  # the city is outside a county reviewer's scope


def test_patching_unit_facts_goes_through_the_service_and_is_audited(api_as, users, region):
    from jiceng.core.models import AuditEvent, EventType

    response = api_as(users["office_head"]).patch(
        f"/api/v1/units/{region.office_a1.pk}", {"computers": 7, "floor_area": "120.5", "reason": "survey"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["computers"] == 7 and response.json()["floor_area"] == 120.5
    region.office_a1.refresh_from_db()
    assert region.office_a1.computers == 7
    event = AuditEvent.objects.filter(event_type=EventType.UPDATE).latest("seq")
    assert event.after == {"computers": 7, "floor_area": "120.5"} and event.reason == "survey"


def test_patching_leaves_fields_not_sent_alone(api_as, users, region):
    api = api_as(users["office_head"])
    api.patch(f"/api/v1/units/{region.office_a1.pk}", {"has_fax": True})
    region.office_a1.refresh_from_db()
    assert region.office_a1.has_fax is True and region.office_a1.office_type == "central"


def test_the_tree_itself_cannot_be_changed_through_unit_patch(api_as, users, region):
    response = api_as(users["city_admin"]).patch(f"/api/v1/units/{region.office_a1.pk}", {"code": "X"})
    assert response.status_code == 422
    assert response.json()["field"] == "code"


def test_a_read_only_role_gets_403_on_a_visible_unit(api_as, users, region):
    response = api_as(users["office_staff"]).patch(f"/api/v1/units/{region.office_a1.pk}", {"computers": 1})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_staff_come_masked_in_lists_and_details(api_as, users, person):
    api = api_as(users["office_head"])
    listed = next(p for p in api.get("/api/v1/staff/").json()["items"] if p["id"] == person.pk)
    detail = api.get(f"/api/v1/staff/{person.pk}").json()
    for body in (listed, detail):
        assert body["id_number_masked"] == "110105********002X"
        assert body["phone_masked"] == "138****5678"
        text = str(body)
        assert ID_NUMBER not in text and PHONE not in text


def test_the_staff_list_filters(api_as, users, region, person):
    make_person(region.office_a2, name="李四", education="postgraduate", post="inspector")
    api = api_as(users["county_reviewer"])
    names = lambda params: [p["name"] for p in api.get("/api/v1/staff/", params).json()["items"]]  # noqa: E731
    assert names({"q": "王小"}) == ["王小红"]
    assert names({"education": "postgraduate"}) == ["李四"]
    assert names({"post": "inspector"}) == ["李四"]
    assert "李四" not in names({"unit": region.office_a1.pk})
    assert "王小红" in names({"unit": region.office_a1.pk, "employment_type": "on_establishment"})


def test_inactive_staff_are_listed_only_on_request(api_as, users, region):
    make_person(region.office_a1, name="退休者", active=False)
    api = api_as(users["office_head"])
    assert "退休者" not in [p["name"] for p in api.get("/api/v1/staff/").json()["items"]]
    assert "退休者" in [p["name"] for p in api.get("/api/v1/staff/", {"include_inactive": "true"}).json()["items"]]


def test_creating_staff_validates_and_audits(api_as, users, region):
    from jiceng.core.models import AuditEvent, EventType
    from jiceng.org.models import Staff

    payload = {
        "unit": region.office_a1.pk,
        "name": "赵六",
        "gender": "f",
        "education": "bachelor",
        "employment_type": "on_establishment",
        "post": "window",
        "phone": PHONE,
        "id_number": ID_NUMBER,
    }
    response = api_as(users["office_head"]).post("/api/v1/staff/", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "赵六" and body["id_number_masked"] == "110105********002X"
    staff = Staff.objects.get(pk=body["id"])
    assert staff.id_number == ID_NUMBER
    event = AuditEvent.objects.filter(event_type=EventType.CREATE).latest("seq")
    assert event.object_id == str(staff.pk) and event.actor_name == "office_head"
    assert ID_NUMBER not in str(event.after)


def test_a_bad_id_number_names_the_field_and_saves_nothing(api_as, users, region):
    from jiceng.org.models import Staff

    before = Staff.objects.count()
    response = api_as(users["office_head"]).post(
        "/api/v1/staff/",
        {
            "unit": region.office_a1.pk,
            "name": "钱七",
            "gender": "m",
            "education": "bachelor",
            "employment_type": "agency",
            "post": "staff",
            "id_number": "110105194912310021",
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error" and response.json()["field"] == "id_number"
    assert Staff.objects.count() == before


def test_staff_cannot_be_created_in_a_unit_outside_the_editable_scope(api_as, users, region):
    from jiceng.org.models import Staff

    before = Staff.objects.count()
    payload = {"unit": region.office_b1.pk, "name": "x", "gender": "m", "education": "basic",
               "employment_type": "agency", "post": "staff"}
    response = api_as(users["office_head"]).post("/api/v1/staff/", payload)
    assert response.status_code == 422 and response.json()["field"] == "unit"
    assert Staff.objects.count() == before


def test_staff_cannot_be_moved_out_of_the_editable_scope(api_as, users, person, region):
    response = api_as(users["office_head"]).patch(f"/api/v1/staff/{person.pk}", {"unit": region.office_a2.pk})
    assert response.status_code == 422 and response.json()["field"] == "unit"
    person.refresh_from_db()
    assert person.unit_id == region.office_a1.pk


def test_patching_staff_is_audited_with_the_reason(api_as, users, person):
    from jiceng.core.models import AuditEvent, EventType

    response = api_as(users["county_reviewer"]).patch(
        f"/api/v1/staff/{person.pk}", {"post": "deputy_head", "reason": "appointment"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["post"] == "deputy_head"
    event = AuditEvent.objects.filter(event_type=EventType.UPDATE).latest("seq")
    assert event.after == {"post": "deputy_head"} and event.reason == "appointment"


def test_deleting_staff_is_audited_and_refused_to_read_only_roles(api_as, users, person):
    from jiceng.core.models import AuditEvent, EventType
    from jiceng.org.models import Staff

    refused = api_as(users["office_staff"]).delete(f"/api/v1/staff/{person.pk}")
    assert refused.status_code == 403
    assert Staff.objects.filter(pk=person.pk).exists()
    response = api_as(users["office_head"]).delete(f"/api/v1/staff/{person.pk}", {"reason": "left"})
    assert response.status_code == 204
    assert not Staff.objects.filter(pk=person.pk).exists()
    event = AuditEvent.objects.filter(event_type=EventType.DELETE).latest("seq")
    assert event.reason == "left" and event.object_id == str(person.pk)


def test_unmasking_returns_the_value_and_is_audited(api_as, users, person):
    from jiceng.core.models import AuditEvent, EventType

    response = api_as(users["office_head"]).post(
        f"/api/v1/staff/{person.pk}/unmask", {"field": "id_number", "reason": "pension application"}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"field": "id_number", "value": ID_NUMBER}
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type=EventType.UNMASK)
    assert event.reason == "pension application" and event.details == {"field": "id_number"}
    assert event.actor_name == "office_head" and event.object_id == str(person.pk)


def test_unmasking_without_the_capability_is_refused_and_recorded(api_as, users, person):
    from jiceng.core.models import AuditEvent, EventType

    response = api_as(users["office_staff"]).post(
        f"/api/v1/staff/{person.pk}/unmask", {"field": "phone", "reason": "curious"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert PHONE not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_name="office_staff").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_unmasking_without_a_reason_is_refused(api_as, users, person, reason):
    from jiceng.core.models import AuditEvent, EventType

    response = api_as(users["office_head"]).post(
        f"/api/v1/staff/{person.pk}/unmask", {"field": "id_number", "reason": reason}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert ID_NUMBER not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()


def test_only_personal_fields_can_be_unmasked(api_as, users, person):
    response = api_as(users["office_head"]).post(
        f"/api/v1/staff/{person.pk}/unmask", {"field": "name", "reason": "x"}
    )
    assert response.status_code == 422 and response.json()["field"] == "field"


def test_unmasking_another_countys_staff_is_not_found(api_as, users, person):
    response = api_as(users["other_county_head"]).post(
        f"/api/v1/staff/{person.pk}/unmask", {"field": "id_number", "reason": "x"}
    )
    assert response.status_code == 404
    assert ID_NUMBER not in response.content.decode()


def test_list_queries_do_not_grow_with_the_number_of_rows(api_as, users, region, django_assert_max_num_queries):
    for i in range(30):
        make_person(region.office_a1, name=f"批量{i}")
    api = api_as(users["county_reviewer"])
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/staff/", {"limit": 50}).json()["items"]) > 30
    with django_assert_max_num_queries(12):
        api.get("/api/v1/units/")
