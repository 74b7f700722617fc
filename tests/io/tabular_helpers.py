"""Building real xlsx files for the import tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jiceng.core import pii
from jiceng.org.importers import StaffImport, UnitImport

STAFF_HEADERS = [c.header for c in StaffImport.columns]
UNIT_HEADERS = [c.header for c in UnitImport.columns]


def id_for(serial: int, birth: str = "19800101", region: str = "331002") -> str:
    body = f"{region}{birth}{serial:03d}"
    return body + pii.id_check_digit(body)


def label(column_header: str, code: str) -> str:
    """The label the template shows for an enumeration code (Chinese once the catalogue exists)."""
    from jiceng.core.tabular.columns import zh_label
    from jiceng.org import models

    enums = {
        "性别": models.Gender,
        "学历": models.Education,
        "政治面貌": models.PoliticalStatus,
        "用工类型": models.EmploymentType,
        "岗位": models.Post,
        "单位类型": models.UnitKind,
        "所类型": models.OfficeType,
        "机构规格": models.EstablishmentLevel,
    }
    return zh_label(dict(enums[column_header].choices)[code])


def staff_row(unit_code: str = "CA1", serial: int = 1, **overrides) -> dict:
    row = {
        "单位编码": unit_code,
        "姓名": f"导入{serial}",
        "性别": label("性别", "m"),
        "身份证号": id_for(serial),
        "出生日期": "",
        "学历": label("学历", "bachelor"),
        "政治面貌": label("政治面貌", "cpc"),
        "用工类型": label("用工类型", "on_establishment"),
        "编制所在单位编码": "",
        "岗位": label("岗位", "staff"),
        "任职时间": "2019-03-01",
        "手机号": f"138{serial:08d}",
        "在岗": "是",
    }
    row.update(overrides)
    return row


def write_book(path: Path, rows: list[dict], headers: list[str] | None = None, sheet: str = "人员") -> Path:
    headers = headers or (list(rows[0]) if rows else STAFF_HEADERS)
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return path


def read_back(path: Path):
    return load_workbook(path)


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted as their English ids; the Chinese forms are checked where the format matters."""
    with translation.override("en"):
        yield
