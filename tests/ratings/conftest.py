"""A service centre with a window, its people and an item, and cases taken to their end through window.services."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from factories import UnitFactory, make_user
from jiceng.window import catalogue
from jiceng.window import services as window

TZ = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "11010519491231002X"
ELEMENTS = {
    "name": "农村村民宅基地审批", "item_type": "licence", "department": "自然资源所",
    "implementing_body": "甲镇人民政府", "legal_basis": "《土地管理法》第六十二条",
    "conditions": "本村村民，一户一宅", "procedure": "申请—受理—审查—决定—送达",
    "statutory_days": 20, "promised_days": 15, "no_fee": True, "place": "甲镇便民服务中心2号窗口",
    "hours": "工作日 9:00-17:00", "phone": "0954-1234567", "tag_once": True,
}


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def centre(region):
    return UnitFactory(parent=region.township_a, kind="service_centre", name="甲镇便民服务中心", code="CATS")


@pytest.fixture
def people(centre, region):
    from jiceng.window.models import Authorisation, Power

    people = {
        "window": make_user("w_clerk", "window_staff", centre),
        "window2": make_user("w_clerk2", "window_staff", centre),
        "back": make_user("w_back", "back_office_reviewer", centre),
        "chief": make_user("w_chief", "chief_representative", centre),
        "head": make_user("w_head", "centre_head", centre),
        "outsider": make_user("w_out", "window_staff", region.office_b1),
    }
    Authorisation.objects.create(unit=centre, user=people["chief"], department="自然资源所", document="甲自然资发〔2026〕1号",
                                 powers=[p.value for p in Power], valid_from=date(2026, 1, 1),
                                 recorded_by=people["head"])
    return people


@pytest.fixture
def item(centre, people):
    return catalogue.create_item(centre, actor=people["head"], code="CATS-ZJD-001", reason="首次公布",
                                 elements=dict(ELEMENTS), materials=[{"name": "申请人身份证", "original": True,
                                                                     "copies": 1, "required": True}])


def received(centre, people, item, *, day=date(2026, 11, 2), handler_actor=None, **extra):
    actor = handler_actor or people["window"]
    materials = [m.pk for m in item.current_version.materials.all()] if hasattr(item, "current_version") else []
    return window.intake(centre, item, actor=actor, applicant_kind="person", applicant_name="马志强",
                         id_number=ID_NUMBER, phone="13800138000", materials_ticked=materials,
                         now=at(day.year, day.month, day.day), **extra)


def finish(case, people, *, day=date(2026, 11, 3)):
    """Accept, review, decide and deliver (the four steps of seed 002), all on `day`."""
    now = at(day.year, day.month, day.day, 10)
    case = window.accept(case, actor=case.handler, expected_version=case.version, now=now)
    case = window.review(case, actor=people["back"], expected_version=case.version, opinion="符合条件", now=now)
    case = window.decide(case, actor=people["chief"], expected_version=case.version, outcome="granted",
                         text="准予", now=now)
    return window.deliver(case, actor=case.handler, expected_version=case.version, now=now)


@pytest.fixture
def ended_case(centre, people, item):
    return finish(received(centre, people, item), people)
