"""The pages: import with its error list and marked file, masked personal data, unmasking with a reason."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tabular_helpers import english_messages, id_for, staff_row, write_book  # noqa: F401

from factories import make_staff
from jiceng.core.models import AuditEvent, EventType
from jiceng.org.models import Staff

PHONE = "13812345678"


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/octet-stream")


@pytest.fixture
def person(region):
    return make_staff(region.office_a1, name="赵六", id_number=id_for(9), phone=PHONE)


# --- import pages ------------------------------------------------------------------


def test_a_good_upload_is_imported(users, client_for, tmp_path):
    path = write_book(tmp_path / "good.xlsx", [staff_row(serial=1), staff_row(serial=2)])
    response = client_for(users["office_head"]).post("/org/import/staff/", {"file": upload(path), "import": "1"})
    assert response.status_code == 200
    assert 'data-testid="import-result"' in response.content.decode()
    assert Staff.objects.with_id_number(id_for(2)).exists()
    event = AuditEvent.objects.filter(event_type=EventType.IMPORT).get()
    assert (event.details["file"], event.actor_name) == ("good.xlsx", "office_head")


def test_check_only_saves_nothing(users, client_for, tmp_path):
    path = write_book(tmp_path / "good.xlsx", [staff_row(serial=1)])
    response = client_for(users["office_head"]).post("/org/import/staff/", {"file": upload(path), "check": "1"})
    assert response.status_code == 200
    assert not Staff.objects.with_id_number(id_for(1)).exists()
    assert not AuditEvent.objects.filter(event_type=EventType.IMPORT).exists()


def test_a_bad_upload_lists_every_error_and_offers_the_marked_file(users, client_for, tmp_path):
    rows = [staff_row(serial=1), staff_row(serial=2, 姓名=""), staff_row(serial=3, 手机号="12")]
    path = write_book(tmp_path / "bad.xlsx", rows)
    client = client_for(users["office_head"])
    before = Staff.objects.count()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/org/import/staff/", {"file": upload(path), "import": "1"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "A value is required." in page and "Not a mobile number" in page
    assert Staff.objects.count() == before
    token = response.context["error_token"]
    marked = client.get("/org/import/errors/", {"token": token})
    workbook = load_workbook(io.BytesIO(b"".join(marked.streaming_content)))
    listed = [[c.value for c in row] for row in workbook["错误清单"].iter_rows()]
    assert listed[0] == ["工作表", "行", "列", "原因"]
    assert [(row[1], row[2]) for row in listed[1:]] == [(3, "姓名"), (4, "手机号")]
    sheet = workbook["人员"]
    name_cell = sheet.cell(row=3, column=2)
    assert name_cell.fill.fgColor.rgb.endswith("FF9999")
    assert "A value is required." in name_cell.comment.text
    phone_cell = sheet.cell(row=4, column=12)
    assert phone_cell.value == "12" and phone_cell.comment is not None
    assert sheet.cell(row=2, column=2).comment is None  # a good row stays unmarked


def test_the_marked_file_belongs_to_the_session_that_uploaded(users, client_for, tmp_path, client):
    path = write_book(tmp_path / "bad.xlsx", [staff_row(姓名="")])
    token = client_for(users["office_head"]).post("/org/import/staff/", {"file": upload(path)}).context["error_token"]
    client.logout()
    other = client_for(users["county_reviewer"])
    assert other.get("/org/import/errors/", {"token": token}).status_code == 404


def test_a_file_that_is_not_an_xlsx_is_refused_on_the_page(users, client_for):
    fake = SimpleUploadedFile("staff.xlsx", b"\xd0\xcf\x11\xe0 old excel", content_type="application/vnd.ms-excel")
    client = client_for(users["office_head"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/org/import/staff/", {"file": fake})
    assert response.status_code == 422
    assert "not an xlsx file" in response.content.decode()


def test_importing_needs_an_editable_unit(users, client_for):
    assert client_for(users["office_staff"]).get("/org/import/staff/").status_code == 403


def test_the_template_downloads(users, client_for):
    response = client_for(users["office_head"]).get("/org/import/staff/template/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["人员"].cell(row=1, column=4).value == "身份证号"


# --- masking and unmasking on the pages ----------------------------------------------------


def test_lists_and_the_detail_page_show_personal_data_masked(users, client_for, person):
    client = client_for(users["county_reviewer"])
    listing = client.get("/org/staff/").content.decode()
    assert "138****5678" in listing and PHONE not in listing
    detail = client.get(f"/org/staff/{person.pk}/").content.decode()
    assert "138****5678" in detail and PHONE not in detail
    assert id_for(9)[:6] + "********" + id_for(9)[-4:] in detail and id_for(9) not in detail
    assert 'data-testid="unmask-id_number"' in detail


def test_the_edit_form_does_not_reveal_the_stored_values(users, client_for, person):
    page = client_for(users["office_head"]).get(f"/org/staff/{person.pk}/edit/").content.decode()
    assert PHONE not in page and id_for(9) not in page
    assert "138****5678" in page  # as the placeholder


def test_saving_the_edit_form_with_blank_personal_fields_keeps_them(users, client_for, person):
    from jiceng.org.forms import StaffForm

    form = StaffForm(instance=Staff.objects.get(pk=person.pk), user=users["office_head"])
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(unit=person.unit_id, name="赵六改", phone="", id_number="", reason="", active="on")
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client_for(users["office_head"]).post(f"/org/staff/{person.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Staff.objects.get(pk=person.pk)
    assert (saved.name, saved.phone, saved.id_number) == ("赵六改", PHONE, id_for(9))


def test_unmasking_on_the_page_shows_the_value_and_records_it(users, client_for, person):
    client = client_for(users["office_head"])
    response = client.post(f"/org/staff/{person.pk}/unmask/id_number/", {"reason": "核对社保"})
    assert response.status_code == 200
    assert id_for(9) in response.content.decode()
    event = AuditEvent.objects.filter(event_type=EventType.UNMASK).get()
    assert (event.reason, event.details["field"], event.actor_name) == ("核对社保", "id_number", "office_head")


def test_unmasking_through_htmx_returns_only_the_value(users, client_for, person):
    response = client_for(users["office_head"]).post(
        f"/org/staff/{person.pk}/unmask/phone/", {"reason": "回访"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert PHONE in text and "<html" not in text
    assert "<form" not in text  # the reason form is replaced by the value


def test_an_htmx_unmasking_without_a_reason_shows_why_in_the_form(users, client_for, person):
    client = client_for(users["office_head"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/org/staff/{person.pk}/unmask/phone/", {"reason": " "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Give the reason for seeing this in full." in text and "<form" in text
    assert PHONE not in text
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()


def test_only_personal_fields_have_an_unmask_address(users, client_for, person):
    assert client_for(users["office_head"]).post(f"/org/staff/{person.pk}/unmask/name/", {"reason": "x"}).status_code == 404


def test_unmasking_without_a_reason_is_refused_on_the_page(users, client_for, person):
    response = client_for(users["office_head"]).post(f"/org/staff/{person.pk}/unmask/phone/", {"reason": ""})
    assert response.status_code == 400
    assert PHONE not in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()


def test_unmasking_without_the_capability_is_forbidden_and_recorded(users, client_for, person):
    page = client_for(users["office_staff"]).get(f"/org/staff/{person.pk}/").content.decode()
    assert 'data-testid="unmask-phone"' not in page
    response = client_for(users["office_staff"]).post(f"/org/staff/{person.pk}/unmask/phone/", {"reason": "看看"})
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_name="office_staff").exists()


def test_unmasking_out_of_scope_is_a_404(users, client_for, person):
    response = client_for(users["other_county_head"]).post(f"/org/staff/{person.pk}/unmask/phone/", {"reason": "看看"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.UNMASK).exists()


def test_an_oversized_upload_is_refused_as_too_large(users, client_for, tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2048
    path = write_book(tmp_path / "big.xlsx", [staff_row(serial=i) for i in range(1, 60)])
    assert path.stat().st_size > 2048
    client = client_for(users["office_head"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/org/import/staff/", {"file": upload(path)})
    assert response.status_code == 422
    assert "too large" in response.content.decode()
    assert not Staff.objects.with_id_number(id_for(1)).exists()
