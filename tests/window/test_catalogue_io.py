"""The catalogue's xlsx export and its all-or-nothing import (new items, new versions, row errors)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jiceng.window import catalogue_io
from jiceng.window.models import ServiceItem, ServiceItemVersion

pytestmark = pytest.mark.django_db


def _sheet(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    return wb, wb.active


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_export_reads_back_and_import_makes_a_new_version_and_a_new_item(centre, people, item):
    wb, ws = _sheet(catalogue_io.export_xlsx([item]))
    rows = list(ws.iter_rows(values_only=True))
    headers = rows[0]
    row = dict(zip(headers, rows[1], strict=True))
    assert row["事项编码"] == item.code and row["事项名称"] == "农村村民宅基地审批" and row["事项类型"] == "行政许可"
    assert row["申请材料"].splitlines()[0] == "申请人身份证|原件|1|必需" and row["收费"] == "不收费"
    col = {h: i + 1 for i, h in enumerate(headers)}
    ws.cell(2, col["承诺时限（工作日）"], 10)
    ws.cell(2, col["变更理由"], "压缩承诺时限")
    new = list(rows[1])
    new[col["事项编码"] - 1] = "CATS-ZJD-002"
    new[col["事项名称"] - 1] = "宅基地使用权变更（初审）"
    ws.append(new)
    result = catalogue_io.import_xlsx(centre, _bytes(wb), actor=people["head"])
    assert result == {"created": 1, "revised": 1, "unchanged": 0}
    item = ServiceItem.objects.get(pk=item.pk)
    assert item.current.number == 2 and item.current.promised_days == 10
    assert item.current.change_reason == "压缩承诺时限" and item.current.materials.count() == 3
    assert ServiceItem.objects.get(code="CATS-ZJD-002").current.name == "宅基地使用权变更（初审）"
    again = catalogue_io.import_xlsx(centre, catalogue_io.export_xlsx([item]), actor=people["head"])
    assert again == {"created": 0, "revised": 0, "unchanged": 1}


def test_an_import_with_errors_saves_nothing_and_names_row_and_column(centre, people, item):
    wb, ws = _sheet(catalogue_io.export_xlsx([item]))
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    ws.cell(2, col["承诺时限（工作日）"], 30)  # longer than the statutory 20
    new = [c.value for c in ws[2]]
    new[col["事项编码"] - 1] = "CATS-NEW-001"
    new[col["申请材料"] - 1] = "身份证|原件|一份|必需"
    ws.append(new)
    before = ServiceItemVersion.objects.count()
    with pytest.raises(catalogue_io.CatalogueImportError) as err:
        catalogue_io.import_xlsx(centre, _bytes(wb), actor=people["head"])
    lines = [str(e) for e in err.value.errors]
    assert any(e.row == 2 and e.column == "承诺时限（工作日）" for e in err.value.errors), lines
    assert any(e.row == 3 and e.column == "申请材料" for e in err.value.errors), lines
    assert ServiceItemVersion.objects.count() == before and not ServiceItem.objects.filter(code="CATS-NEW-001").exists()


def test_not_a_workbook_is_refused(centre, people):
    with pytest.raises(catalogue_io.CatalogueImportError):
        catalogue_io.import_xlsx(centre, b"not a workbook", actor=people["head"])
