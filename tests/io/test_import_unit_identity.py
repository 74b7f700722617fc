"""The unit import keeps the form's rule: only the city changes a unit's name, type, level and posts."""

from __future__ import annotations

import pytest
from tabular_helpers import UNIT_HEADERS, label, write_book

from jiceng.org.importers import UnitImport
from jiceng.org.models import Unit

pytestmark = pytest.mark.django_db


def _row(office, **facts):
    cells = dict.fromkeys(UNIT_HEADERS, "")
    cells.update(
        {
            "单位编码": office.code,
            "单位名称": office.name,
            "单位类型": label("单位类型", "office"),
            "所类型": label("所类型", office.office_type) if office.office_type else "",
        }
    )
    cells.update(facts)
    return cells


def test_an_office_head_may_import_facilities_but_not_rename_the_office(users, region, tmp_path):
    office = region.office_a1
    renamed = write_book(tmp_path / "renamed.xlsx", [_row(office, 单位名称="改名所", 电脑数=9)], headers=UNIT_HEADERS, sheet="单位")
    result = UnitImport(users["office_head"]).run(renamed)
    assert [(e.row, e.column) for e in result.errors] == [(2, "单位名称")]
    assert Unit.objects.get(pk=office.pk).computers == 0  # the whole file refused

    facilities = write_book(tmp_path / "facilities.xlsx", [_row(office, 电脑数=9)], headers=UNIT_HEADERS, sheet="单位")
    result = UnitImport(users["office_head"]).run(facilities)
    assert result.ok, [e.line() for e in result.errors]
    assert Unit.objects.get(pk=office.pk).computers == 9


def test_the_city_may_rename_by_import(users, region, tmp_path):
    office = region.office_a1
    renamed = write_book(tmp_path / "renamed.xlsx", [_row(office, 单位名称="改名所")], headers=UNIT_HEADERS, sheet="单位")
    result = UnitImport(users["city_admin"]).run(renamed)
    assert result.ok, [e.line() for e in result.errors]
    assert Unit.objects.get(pk=office.pk).name == "改名所"
