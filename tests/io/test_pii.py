"""ID numbers and phones: validation, masking, encryption at rest, look-up by hash, unmasking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from tabular_helpers import english_messages  # noqa: F401

from factories import make_staff, make_user
from jiceng.core import pii
from jiceng.core.models import AuditEvent, EventType
from jiceng.org import services
from jiceng.org.models import Staff

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example
VALID_ID_2 = "44052419800101001" + pii.id_check_digit("44052419800101001")


def refusal(value, validator=pii.validate_id_number) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value


def test_a_valid_id_number_passes():
    pii.validate_id_number(VALID_ID)
    pii.validate_id_number(VALID_ID_2)
    pii.validate_id_number(f" {VALID_ID} ")


def test_lower_case_x_is_accepted_and_normalised_to_upper_case():
    pii.validate_id_number(VALID_ID.lower())
    assert pii.normalise_id_number(VALID_ID.lower()) == VALID_ID


def test_a_wrong_check_digit_is_refused():
    assert refusal("110105194912310021").code == "id_check_digit"


def test_an_impossible_birth_date_is_refused():
    body = "11010519490231002"  # 31 February
    error = refusal(body + pii.id_check_digit(body))
    assert error.code == "id_birth_date"
    assert "19490231" in error.messages[0]


def test_a_birth_date_in_the_future_is_refused():
    body = "11010529990101002"
    assert refusal(body + pii.id_check_digit(body)).code == "id_birth_date"


def test_an_unknown_region_is_refused():
    body = "99010519491231002"
    assert refusal(body + pii.id_check_digit(body)).code == "id_region"
    body = "11000019491231002"  # a province code alone is no county
    assert refusal(body + pii.id_check_digit(body)).code == "id_region"


@pytest.mark.parametrize("value", ["11010519491231002", "11010519491231002X1", ""])
def test_a_wrong_length_is_refused(value):
    error = refusal(value)
    assert error.code == "id_length"
    assert str(len(value)) in error.messages[0]


def test_letters_inside_the_number_are_refused():
    assert refusal("1101051949123100AX").code == "id_characters"


@pytest.mark.parametrize("value", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "19912345678"])
def test_mobile_numbers_pass(value):
    pii.validate_mobile(value)
    assert pii.normalise_mobile(value) in {"13800138000", "19912345678"}


@pytest.mark.parametrize("value", ["1380013800", "12800138000", "0576-88123456", "138001380001", "abc"])
def test_bad_mobile_numbers_are_refused(value):
    assert refusal(value, pii.validate_mobile).code == "mobile_invalid"


def test_masks_keep_only_the_edges():
    assert pii.mask_id_number("110105194912310021") == "110105********0021"
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_id_number("") == ""
    assert pii.mask_phone("") == ""
    assert pii.mask_phone("12345") == "*****"


def test_the_stored_id_number_is_not_the_clear_text(region):
    staff = make_staff(region.office_a1, id_number=VALID_ID.lower(), phone="13812345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_number_hash FROM org_staff WHERE id = %s", [staff.pk])
        stored, stored_hash = cursor.fetchone()
    assert VALID_ID not in stored and VALID_ID.lower() not in stored
    assert stored.startswith("v1:")
    assert stored_hash == pii.lookup_hash(VALID_ID)
    assert Staff.objects.get(pk=staff.pk).id_number == VALID_ID


def test_exact_look_up_by_hash_finds_the_person(region):
    staff = make_staff(region.office_a1, id_number=VALID_ID)
    make_staff(region.office_a1, id_number=VALID_ID_2)
    assert list(Staff.objects.with_id_number(VALID_ID.lower())) == [staff]
    assert list(Staff.objects.filter(id_number=VALID_ID)) == [staff]
    assert not Staff.objects.filter(id_number="11010519491231003" + pii.id_check_digit("11010519491231003")).exists()


def test_other_comparisons_of_the_ciphertext_are_refused(region):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Staff.objects.filter(id_number__startswith="1101"))


def test_the_audit_trail_holds_only_masked_values(region):
    staff = make_staff(region.office_a1, id_number=VALID_ID, phone="13812345678")
    event = AuditEvent.objects.filter(event_type=EventType.CREATE, object_type="org.staff", object_id=str(staff.pk)).get()
    assert event.after["id_number"] == "110105********002X"
    assert event.after["phone"] == "138****5678"
    assert VALID_ID not in str(event.after) and "13812345678" not in str(event.after)


def test_a_staff_record_with_a_bad_id_number_is_refused(region):
    with pytest.raises(ValidationError) as info:
        make_staff(region.office_a1, id_number="110105194912310021")
    assert "id_number" in info.value.message_dict


def test_a_different_key_cannot_read_the_stored_value(region, monkeypatch):
    staff = make_staff(region.office_a1, id_number=VALID_ID)
    monkeypatch.setenv("JICENG_PII_KEY", "A" * 43)
    pii.reset_keys()
    try:
        from cryptography.exceptions import InvalidTag

        with pytest.raises(InvalidTag):
            Staff.objects.get(pk=staff.pk)
    finally:
        monkeypatch.delenv("JICENG_PII_KEY")
        pii.reset_keys()


# --- unmasking ------------------------------------------------------------------


@pytest.fixture
def person(region):
    return make_staff(region.office_a1, id_number=VALID_ID, phone="13812345678")


@pytest.mark.parametrize("role", ["city_admin", "county_reviewer", "office_head"])
def test_unmasking_shows_the_value_and_is_audited(users, person, role):
    before = AuditEvent.objects.count()
    value = services.staff_unmask(actor=users[role], staff=person, field="id_number", reason="核对社保信息")
    assert value == VALID_ID
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.event_type == EventType.UNMASK
    assert event.reason == "核对社保信息"
    assert event.details == {"field": "id_number"}
    assert event.object_id == str(person.pk)
    assert event.actor_name == role


def test_unmasking_without_a_reason_is_refused_and_not_recorded(users, person):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        services.staff_unmask(actor=users["office_head"], staff=person, field="phone", reason="  ")
    assert "reason" in info.value.message_dict
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["office_staff"])
def test_unmasking_without_the_capability_is_refused(users, person, role):
    with pytest.raises(PermissionDenied):
        services.staff_unmask(actor=users[role], staff=person, field="phone", reason="想看看")
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()


def test_unmasking_out_of_scope_is_a_404_and_a_recorded_refusal(users, person):
    with pytest.raises(Http404):
        services.staff_unmask(actor=users["other_county_head"], staff=person, field="id_number", reason="核对")
    assert AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, object_type="org.staff", object_id=str(person.pk)
    ).exists()
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()


def test_an_unmasking_role_elsewhere_does_not_open_this_unit(region, person):
    from jiceng.accounts import services as accounts

    user = make_user("mixed", "office_head", region.office_b1)
    accounts.membership_grant(actor=None, user=user, unit=region.office_a1, role="office_staff")
    with pytest.raises(PermissionDenied):
        services.staff_unmask(actor=user, staff=person, field="id_number", reason="核对")


def test_only_personal_fields_can_be_unmasked(users, person):
    with pytest.raises(ValidationError):
        services.staff_unmask(actor=users["office_head"], staff=person, field="name", reason="核对")
