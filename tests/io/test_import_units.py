"""Unit import: new units placed under their parents, facts updated by code, refusals scoped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tabular_helpers import UNIT_HEADERS, english_messages, label, write_book  # noqa: F401

from jiceng.core.models import AuditEvent, EventType
from jiceng.org.importers import UnitImport
from jiceng.org.models import Unit


def unit_row(code, name, kind, parent, **facts):
    row = dict.fromkeys(UNIT_HEADERS, "")
    row.update({"单位编码": code, "单位名称": name, "单位类型": label("单位类型", kind), "上级单位编码": parent})
    row.update(facts)
    return row


@pytest.fixture
def book(tmp_path):
    def make(rows, name="units.xlsx"):
        return write_book(tmp_path / name, rows, headers=UNIT_HEADERS, sheet="单位")

    return make


def only_error(result):
    assert not result.ok
    assert len(result.errors) == 1, [e.line() for e in result.errors]
    return result.errors[0]


def test_a_new_office_gets_its_facts(users, book):
    facts = {"所类型": label("所类型", "township"), "办公用房面积（平方米）": 85.5, "会议室": "是", "电脑数": 4}
    row = unit_row("CA3", "甲三所", "office", "CA", **facts)
    result = UnitImport(users["city_admin"]).run(book([row]))
    assert result.ok, [e.line() for e in result.errors]
    office = Unit.objects.get(code="CA3")
    assert parent_of(office).code == "CA"
    assert (office.office_type, office.floor_area, office.has_meeting_room, office.computers) == ("township", Decimal("85.5"), True, 4)
    assert AuditEvent.objects.get(seq=result.audit_seq).details["created_ids"] == [office.pk]


def test_reimport_updates_facts_by_code_and_audits_the_change(users, book):
    row = unit_row("CA1", "甲一中心所", "office", "CA", 所类型=label("所类型", "central"), 车辆数=3)
    result = UnitImport(users["county_reviewer"]).run(book([row]))
    assert result.ok, [e.line() for e in result.errors]
    assert (result.created, result.updated) == (0, 1)
    assert Unit.objects.get(code="CA1").vehicles == 3
    [change] = AuditEvent.objects.get(seq=result.audit_seq).details["changes"]
    assert change["before"]["vehicles"] == 0 and change["after"]["vehicles"] == 3
    assert Unit.objects.filter(code="CA1").count() == 1


def test_an_exported_unit_file_imports_back_unchanged(users, client_for, tmp_path):
    response = client_for(users["county_reviewer"]).get("/org/units/export/")
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    # The export adds a staff count column the import does not know: drop it, as a user would.
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    ws = workbook.active
    ws.delete_cols(len(UNIT_HEADERS) + 1)
    workbook.save(path)
    result = UnitImport(users["county_reviewer"]).run(path)
    assert result.ok, [e.line() for e in result.errors]
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Unit.objects.filter(path__startswith=users["county_reviewer"].scope_paths("edit")[0]).count()


def test_a_kind_the_parent_does_not_allow_is_refused(users, book):
    error = only_error(UnitImport(users["city_admin"]).run(book([unit_row("CAX", "错层", "grid", "CA")])))
    assert error.column == "单位类型"
    assert "cannot be placed under" in error.message
    assert not Unit.objects.filter(code="CAX").exists()


def test_creating_units_needs_the_structure_capability(users, book):
    error = only_error(UnitImport(users["county_reviewer"]).run(book([unit_row("CA3", "甲三所", "office", "CA")])))
    assert error.message == "Your role does not allow creating units."
    assert not Unit.objects.filter(code="CA3").exists()


def test_a_parent_outside_scope_is_an_unknown_unit(users, book):
    error = only_error(UnitImport(users["city_admin"]).run(book([unit_row("CAT9", "新镇", "township", "NOPE")])))
    assert (error.column, error.message) == ("上级单位编码", "Unknown unit code NOPE.")


def test_a_code_used_outside_scope_is_a_duplicate(users, book):
    from jiceng.accounts import services as accounts

    accounts.membership_grant(actor=None, user=users["county_reviewer"], unit=users["county_reviewer"].memberships.get().unit, role="city_admin")
    user = type(users["county_reviewer"]).objects.get(pk=users["county_reviewer"].pk)
    error = only_error(UnitImport(user).run(book([unit_row("CB1", "乙一所", "office", "CB")])))
    assert error.column == "单位编码"
    assert error.message == "This code is already used by a unit you cannot edit."


def test_an_existing_unit_cannot_be_moved_or_change_kind(users, book):
    result = UnitImport(users["city_admin"]).run(book([unit_row("CA1", "甲一中心所", "township", "CB")]))
    assert {e.column for e in result.errors} == {"单位类型", "上级单位编码"}
    assert parent_of(Unit.objects.get(code="CA1")).code == "CA"


def test_new_units_whose_parents_go_round_in_a_circle_are_refused(users, book):
    rows = [unit_row("V1", "村一", "village", "V2"), unit_row("V2", "村二", "village", "V1")]
    result = UnitImport(users["city_admin"]).run(book(rows))
    assert not result.ok
    assert {e.message for e in result.errors} <= {
        "The parent codes of the new units go round in a circle.",
        "A Village / community agency point cannot be placed under a Village / community agency point.",
    }
    assert not Unit.objects.filter(code__in=["V1", "V2"]).exists()


def test_a_value_outside_a_unit_enumeration_is_refused(users, book):
    error = only_error(UnitImport(users["city_admin"]).run(book([unit_row("CA3", "甲三所", "office", "CA", 机构规格="副处级")])))
    assert error.column == "机构规格"
    assert EventType.IMPORT not in set(AuditEvent.objects.values_list("event_type", flat=True))


def parent_of(unit):
    return Unit.objects.get(path=unit.path[: -Unit.steplen])
