"""Shared set-up of the window tests: a service centre with its window, back office and chief representative."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from factories import UnitFactory, make_user
from jiceng.window import catalogue

TZ = ZoneInfo("Asia/Shanghai")
# Valid test numbers (GB 11643 / GB 32100 check characters).
ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


ELEMENTS = {
    "name": "农村村民宅基地审批", "item_type": "licence", "department": "自然资源所",
    "implementing_body": "甲镇人民政府", "legal_basis": "《土地管理法》第六十二条",
    "conditions": "本村村民，一户一宅", "procedure": "申请—受理—审查—决定—送达",
    "statutory_days": 20, "promised_days": 15, "no_fee": True, "place": "甲镇便民服务中心2号窗口",
    "hours": "工作日 9:00-17:00", "phone": "0954-1234567", "tag_once": True, "agency_point": True,
}
MATERIALS = [
    {"name": "申请人身份证", "original": True, "copies": 1, "required": True},
    {"name": "户口簿", "original": False, "copies": 1, "required": True},
    {"name": "宅基地申请表", "original": True, "copies": 2, "required": True},
]


@pytest.fixture
def centre(region):
    return UnitFactory(parent=region.township_a, kind="service_centre", name="甲镇便民服务中心", code="CATS")


@pytest.fixture
def people(centre, region):
    return {
        "window": make_user("w_clerk", "window_staff", centre),
        "window2": make_user("w_clerk2", "window_staff", centre),
        "back": make_user("w_back", "back_office_reviewer", centre),
        "chief": make_user("w_chief", "chief_representative", centre),
        "head": make_user("w_head", "centre_head", centre),
        "outsider": make_user("w_out", "window_staff", region.office_b1),
    }


@pytest.fixture
def item(centre, people):
    return catalogue.create_item(centre, actor=people["head"], code="CATS-ZJD-001", reason="首次公布",
                                 elements=dict(ELEMENTS), materials=[dict(m) for m in MATERIALS])


@pytest.fixture
def instant_item(centre, people):
    elements = {**ELEMENTS, "name": "不动产登记资料查询", "item_type": "public_service", "statutory_days": 1,
                "promised_days": 0, "item_class": "instant", "tag_immediate": True}
    return catalogue.create_item(centre, actor=people["head"], code="CATS-CX-001", reason="首次公布",
                                 elements=elements, materials=[MATERIALS[0]])


def person(**extra):
    return {"applicant_kind": "person", "applicant_name": "马志强", "id_number": ID_NUMBER, "phone": "13800138000",
            **extra}


def first_day() -> date:
    return date(2026, 9, 28)
