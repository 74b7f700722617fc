"""Staff import: a good file saves whole with one audit record; every bad case is refused and nothing saved."""

from __future__ import annotations

import datetime
import hashlib
import zipfile

import pytest
from tabular_helpers import STAFF_HEADERS, english_messages, id_for, label, staff_row, write_book  # noqa: F401

from factories import make_staff
from jiceng.core.models import AuditEvent, EventType
from jiceng.org.importers import StaffImport
from jiceng.org.models import Staff


@pytest.fixture
def book(tmp_path):
    def make(rows, headers=None, name="staff.xlsx"):
        return write_book(tmp_path / name, rows, headers)

    return make


def run(user, path, **kwargs):
    return StaffImport(user).run(path, **kwargs)


def only_error(result):
    assert not result.ok
    assert len(result.errors) == 1, [e.line() for e in result.errors]
    return result.errors[0]


def test_a_good_file_is_saved_whole_with_one_audit_record(users, book):
    path = book([staff_row(serial=1), staff_row(unit_code="CA2", serial=2)])
    before_staff, before_events = Staff.objects.count(), AuditEvent.objects.count()
    result = run(users["county_reviewer"], path)
    assert result.ok, [e.line() for e in result.errors]
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    assert Staff.objects.count() == before_staff + 2
    assert AuditEvent.objects.count() == before_events + 1
    event = AuditEvent.objects.get(seq=result.audit_seq)
    assert event.event_type == EventType.IMPORT
    assert event.details["file"] == "staff.xlsx"
    assert event.details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (event.details["created"], event.details["updated"]) == (2, 0)
    assert event.unit_name == "甲县局"  # filed under the lowest unit above both offices
    person = Staff.objects.with_id_number(id_for(1)).get()
    assert person.unit.code == "CA1"
    assert person.birth_date == datetime.date(1980, 1, 1)  # taken from the ID number
    assert person.post_start == datetime.date(2019, 3, 1)
    assert person.phone == "13800000001"
    assert person.political_status == "cpc"


def test_reimporting_updates_matching_rows_instead_of_duplicating(users, book):
    run(users["county_reviewer"], book([staff_row(serial=1), staff_row(serial=2)], name="first.xlsx"))
    count = Staff.objects.count()
    changed = staff_row(serial=1, 姓名="改名", 手机号="13912345678", 学历=label("学历", "postgraduate"))
    result = run(users["county_reviewer"], book([changed, staff_row(serial=2)], name="second.xlsx"))
    assert result.ok, [e.line() for e in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Staff.objects.count() == count
    person = Staff.objects.with_id_number(id_for(1)).get()
    assert (person.name, person.phone, person.education) == ("改名", "13912345678", "postgraduate")
    event = AuditEvent.objects.get(seq=result.audit_seq)
    [change] = event.details["changes"]
    assert change["id"] == person.pk
    assert change["before"]["name"] == "导入1" and change["after"]["name"] == "改名"
    assert change["after"]["phone"] == "139****5678"  # masked in the trail
    assert "13912345678" not in str(event.details)


def test_the_same_file_twice_changes_nothing_the_second_time(users, book):
    path = book([staff_row(serial=1)])
    run(users["office_head"], path)
    result = run(users["office_head"], path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert Staff.objects.with_id_number(id_for(1)).count() == 1


def test_a_dry_run_checks_everything_and_saves_nothing(users, book):
    before = (Staff.objects.count(), AuditEvent.objects.count())
    result = run(users["office_head"], book([staff_row(serial=1)]), dry_run=True)
    assert result.ok and result.created == 1
    assert (Staff.objects.count(), AuditEvent.objects.count()) == before


def test_the_template_example_row_left_in_place_is_skipped(users, tmp_path):
    from jiceng.core.tabular.writing import write_template

    path = tmp_path / "template.xlsx"
    with open(path, "wb") as stream:
        write_template(StaffImport.columns, StaffImport.sheet_name, stream)
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook["人员"].append([staff_row(serial=7)[h] for h in STAFF_HEADERS])
    workbook.save(path)
    result = run(users["office_head"], path)
    assert result.ok, [e.line() for e in result.errors]
    assert result.created == 1


# --- refusals: each case names sheet, row, column and reason, and nothing is saved ---------------


def assert_nothing_saved(before):
    assert (Staff.objects.count(), AuditEvent.objects.filter(event_type=EventType.IMPORT).count()) == before


@pytest.fixture
def before(users):
    return Staff.objects.count(), AuditEvent.objects.filter(event_type=EventType.IMPORT).count()


def test_a_missing_column_is_refused(users, book, before):
    headers = [h for h in STAFF_HEADERS if h != "岗位"]
    error = only_error(run(users["office_head"], book([staff_row()], headers=headers)))
    assert (error.row, error.column, error.message) == (1, "岗位", "Missing column.")
    assert_nothing_saved(before)


def test_an_unknown_column_is_refused(users, book, before):
    row = staff_row()
    row["备注"] = "x"
    error = only_error(run(users["office_head"], book([row], headers=[*STAFF_HEADERS, "备注"])))
    assert (error.row, error.column, error.message) == (1, "备注", "Unknown column.")
    assert_nothing_saved(before)


def test_a_missing_required_value_is_refused(users, book, before):
    result = run(users["office_head"], book([staff_row(serial=1), staff_row(serial=2, 姓名="")]))
    error = only_error(result)
    assert (error.sheet, error.row, error.column, error.message) == ("人员", 3, "姓名", "A value is required.")
    assert error.line() == "[人员] Row 3 姓名: A value is required."
    assert_nothing_saved(before)


def test_an_invalid_id_number_is_refused(users, book, before):
    bad = id_for(1)[:17] + ("0" if id_for(1)[17] != "0" else "1")
    error = only_error(run(users["office_head"], book([staff_row(), staff_row(serial=2, 身份证号=bad)])))
    assert (error.row, error.column, error.message) == (3, "身份证号", "Wrong check digit.")
    assert_nothing_saved(before)


def test_an_id_number_stored_as_a_number_is_refused(users, book, before):
    error = only_error(run(users["office_head"], book([staff_row(身份证号=110105194912310021)])))
    assert error.column == "身份证号"
    assert "Excel lost its last digits" in error.message
    assert_nothing_saved(before)


def test_an_invalid_phone_is_refused(users, book, before):
    error = only_error(run(users["office_head"], book([staff_row(手机号="0576-8812345")])))
    assert (error.row, error.column) == (2, "手机号")
    assert "Not a mobile number" in error.message
    assert_nothing_saved(before)


def test_a_duplicate_in_the_file_is_refused(users, book, before):
    result = run(users["office_head"], book([staff_row(serial=1), staff_row(serial=2), staff_row(serial=1, 姓名="另一人")]))
    error = only_error(result)
    assert (error.row, error.column, error.message) == (4, "身份证号", "Duplicate of row 2 in this file.")
    assert_nothing_saved(before)


def test_a_duplicate_against_a_record_out_of_scope_is_refused(users, region, book):
    make_staff(region.office_b1, id_number=id_for(1))
    counts = Staff.objects.count(), AuditEvent.objects.filter(event_type=EventType.IMPORT).count()
    error = only_error(run(users["office_head"], book([staff_row(serial=2), staff_row(serial=1)])))
    assert (error.row, error.column) == (3, "身份证号")
    assert error.message == "This ID number is already registered in a unit you cannot edit."
    assert_nothing_saved(counts)


@pytest.mark.parametrize("code", ["CB1", "NOPE"])
def test_a_unit_outside_scope_is_unknown_like_a_missing_one(users, book, before, code):
    error = only_error(run(users["office_head"], book([staff_row(unit_code=code)])))
    assert (error.column, error.message) == ("单位编码", f"Unknown unit code {code}.")
    assert_nothing_saved(before)


def test_a_value_outside_its_enumeration_is_refused(users, book, before):
    error = only_error(run(users["office_head"], book([staff_row(岗位="宇航员")])))
    assert error.column == "岗位"
    assert error.message.startswith("宇航员 is not one of:")
    assert_nothing_saved(before)


def test_a_date_that_is_not_a_date_is_refused(users, book, before):
    error = only_error(run(users["office_head"], book([staff_row(任职时间="2019-02-30")])))
    assert (error.column, error.message) == ("任职时间", "Not a date: 2019-02-30.")
    assert_nothing_saved(before)


def test_a_birth_date_contradicting_the_id_number_is_refused(users, book, before):
    error = only_error(run(users["office_head"], book([staff_row(出生日期=datetime.date(1981, 1, 1))])))
    assert error.column == "出生日期"
    assert "1980-01-01" in error.message
    assert_nothing_saved(before)


def test_all_errors_are_collected_not_just_the_first(users, book, before):
    rows = [staff_row(serial=1, 姓名=""), staff_row(serial=2, 手机号="1"), staff_row(unit_code="CB1", serial=3)]
    result = run(users["office_head"], book(rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "姓名"), (3, "手机号"), (4, "单位编码")]
    assert_nothing_saved(before)


def test_a_file_that_is_not_an_xlsx_is_refused(users, tmp_path, before):
    path = tmp_path / "staff.xlsx"
    path.write_text("单位编码,姓名\nCA1,张三\n", encoding="utf-8")
    error = only_error(run(users["office_head"], path))
    assert error.row == 0
    assert "not an xlsx file" in error.message
    assert_nothing_saved(before)


def test_a_zip_that_is_not_a_workbook_is_refused(users, tmp_path, before):
    path = tmp_path / "staff.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not an xlsx file" in only_error(run(users["office_head"], path)).message
    assert_nothing_saved(before)


def test_an_oversized_file_is_refused(users, book, before, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    error = only_error(run(users["office_head"], book([staff_row()])))
    assert "too large" in error.message
    assert_nothing_saved(before)


def test_a_zip_bomb_is_refused_before_it_is_opened(users, tmp_path, before, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert path.stat().st_size < 200 * 1024
    error = only_error(run(users["office_head"], path))
    assert "unpacks to more than 50 MiB" in error.message
    assert_nothing_saved(before)


def test_a_zip_bomb_that_lies_about_its_size_is_refused(users, tmp_path, before, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
    path = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    # Rewrite the declared uncompressed size (central directory and local header) to 1 KiB.
    data = bytearray(path.read_bytes())
    real = (8 * 1024 * 1024).to_bytes(4, "little")
    assert data.count(real) == 2
    data = data.replace(real, (1024).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    error = only_error(run(users["office_head"], path))
    assert error.row == 0
    assert "unpacks to more than" in error.message or "damaged" in error.message
    assert_nothing_saved(before)


def test_too_many_zip_entries_are_refused(users, tmp_path, before, settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 10
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(20):
            archive.writestr(f"xl/media/{index}.bin", "x")
    assert "too many parts" in only_error(run(users["office_head"], path)).message
    assert_nothing_saved(before)


def test_a_scope_lost_during_the_import_saves_nothing(users, book, before):
    from jiceng.accounts.models import Membership

    class RevokedMidway(StaffImport):
        def fetch_existing(self, keys):
            # The membership goes after the rows were checked, before they are written.
            Membership.objects.filter(user=self.actor).delete()
            self.actor = type(self.actor).objects.get(pk=self.actor.pk)
            return super().fetch_existing(keys)

    result = RevokedMidway(users["office_head"]).run(book([staff_row()]))
    error = only_error(result)
    assert error.message == "Your scope changed during the import; nothing was saved."
    assert_nothing_saved(before)
