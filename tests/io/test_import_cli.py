"""`jiceng import units|staff FILE.xlsx`, `--dry-run`, `--template`: exit codes and lines."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook
from tabular_helpers import STAFF_HEADERS, UNIT_HEADERS, english_messages, id_for, staff_row, write_book  # noqa: F401

from jiceng.core.models import AuditEvent, EventType
from jiceng.org.importers import StaffImport, UnitImport
from jiceng.org.models import Staff, Unit


def jiceng_import(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_a_good_staff_file_exits_0_and_prints_the_counts(region, tmp_path):
    path = write_book(tmp_path / "staff.xlsx", [staff_row(serial=1), staff_row(unit_code="CB1", serial=2)])
    code, out, err = jiceng_import("staff", str(path))
    assert code == 0, err
    assert re.search(r"Imported 2 rows: 2 created, 0 updated, 0 unchanged \(audit record #\d+\)", out)
    event = AuditEvent.objects.filter(event_type=EventType.IMPORT).get()
    assert event.actor_name == "system"
    assert Staff.objects.with_id_number(id_for(2)).get().unit == region.office_b1


def test_a_bad_file_exits_1_with_one_line_per_error(region, tmp_path):
    bad_id = id_for(2)[:17] + ("1" if id_for(2)[17] != "1" else "2")
    rows = [staff_row(serial=1), staff_row(serial=2, 身份证号=bad_id), staff_row(serial=3, 手机号="123")]
    path = write_book(tmp_path / "staff.xlsx", rows)
    before = Staff.objects.count()
    code, out, err = jiceng_import("staff", str(path))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0] == "[人员] Row 3 身份证号: Wrong check digit."
    assert lines[1].startswith("[人员] Row 4 手机号: Not a mobile number")
    assert lines[2] == "Refused: 2 error(s); nothing was saved."
    assert Staff.objects.count() == before


def test_the_error_lines_read_in_chinese_under_the_chinese_interface(region, tmp_path):
    bad_id = id_for(2)[:17] + ("1" if id_for(2)[17] != "1" else "2")
    path = write_book(tmp_path / "staff.xlsx", [staff_row(serial=1), staff_row(serial=2, 身份证号=bad_id)])
    with translation.override("zh-hans"):
        expected_reason = translation.gettext("Wrong check digit.")
        code, _out, err = jiceng_import("staff", str(path))
    assert code == 1
    first = err.strip().splitlines()[0]
    assert first.startswith("[人员] ") and "身份证号" in first and first.endswith(expected_reason)
    assert "3" in first


def test_a_dry_run_checks_and_saves_nothing(region, tmp_path):
    path = write_book(tmp_path / "staff.xlsx", [staff_row(serial=1)])
    before = Staff.objects.count(), AuditEvent.objects.count()
    code, out, _err = jiceng_import("staff", str(path), "--dry-run")
    assert code == 0
    assert "1 would be created" in out and "Nothing was saved." in out
    assert (Staff.objects.count(), AuditEvent.objects.count()) == before


def test_import_as_a_user_keeps_to_their_scope(users, tmp_path):
    path = write_book(tmp_path / "staff.xlsx", [staff_row(unit_code="CB1")])
    code, _out, err = jiceng_import("staff", str(path), "--user", "office_head")
    assert code == 1
    assert "Unknown unit code CB1." in err


def test_an_unknown_user_is_a_usage_error(region, tmp_path):
    path = write_book(tmp_path / "staff.xlsx", [staff_row()])
    code, _out, err = jiceng_import("staff", str(path), "--user", "nobody")
    assert code == 2
    assert "nobody" in err


def test_a_missing_file_argument_is_a_usage_error(db):
    code, _out, _err = jiceng_import("staff")
    assert code == 2


@pytest.mark.parametrize("kind, importer", [("staff", StaffImport), ("units", UnitImport)])
def test_the_template_is_written_and_reads_back(db, tmp_path, kind, importer):
    path = tmp_path / f"{kind}.xlsx"
    code, out, _err = jiceng_import(kind, "--template", str(path))
    assert code == 0 and str(path) in out
    workbook = load_workbook(path)
    ws = workbook[importer.sheet_name]
    headers = [cell.value for cell in ws[1]][: len(importer.columns)]
    assert headers == [c.header for c in importer.columns]
    assert ws.freeze_panes == "A2"
    example = [cell.value for cell in ws[2]][: len(importer.columns)]
    assert example[0] == importer.columns[0].example_cell()
    # Every enumeration column has a drop-down fed by the hidden options sheet.
    options = workbook["选项"]
    assert options.sheet_state == "hidden"
    enum_columns = [i for i, c in enumerate(importer.columns, start=1) if c.labels()]
    assert enum_columns
    letters = {str(rule.sqref).split(":")[0].rstrip("0123456789") for rule in ws.data_validations.dataValidation if rule.type == "list"}
    from openpyxl.utils import get_column_letter

    assert letters == {get_column_letter(i) for i in enum_columns}
    for index in enum_columns:
        listed = [options.cell(row=r, column=index).value for r in range(2, 2 + len(importer.columns[index - 1].labels()))]
        assert listed == importer.columns[index - 1].labels()


def test_the_staff_template_example_is_itself_a_valid_row(region, tmp_path):
    """The example row must pass the importer's own checks (it is what people copy)."""
    path = tmp_path / "staff.xlsx"
    jiceng_import("staff", "--template", str(path))
    example = {h: c.example_cell() for h, c in zip(STAFF_HEADERS, StaffImport.columns, strict=True)}
    Unit.objects.filter(code="CA1").update(code="331002S01")
    example["岗位"] = staff_row()["岗位"]  # a second, different row: the example itself is skipped
    example["身份证号"] = id_for(5, birth="19491231")
    write_book(tmp_path / "copy.xlsx", [example])
    result = StaffImport(None).run(tmp_path / "copy.xlsx")
    assert result.ok, [e.line() for e in result.errors]


def test_units_import_creates_a_subtree_in_any_row_order(users, tmp_path):
    from tabular_helpers import label

    def unit(code, name, kind, parent):
        row = dict.fromkeys(UNIT_HEADERS, "")
        row.update({"单位编码": code, "单位名称": name, "单位类型": label("单位类型", kind), "上级单位编码": parent})
        return row

    rows = [unit("CATV2G", "新网格", "grid", "CATV2"), unit("CATV2", "新村", "village", "CAT")]
    path = write_book(tmp_path / "units.xlsx", rows, headers=UNIT_HEADERS, sheet="单位")
    code, out, err = jiceng_import("units", str(path), "--user", "city_admin")
    assert code == 0, err
    grid = Unit.objects.get(code="CATV2G")
    assert parent_of(grid).code == "CATV2"
    assert parent_of(parent_of(grid)).code == "CAT"
    assert AuditEvent.objects.filter(event_type=EventType.IMPORT).count() == 1


def parent_of(unit):
    return Unit.objects.get(path=unit.path[: -Unit.steplen])
