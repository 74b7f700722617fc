"""Cases taken through window.services for the ratings tests (also used by the browser test)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

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


def authorise(centre, chief, head):
    from jiceng.window.models import Authorisation, Power

    return Authorisation.objects.create(unit=centre, user=chief, department="自然资源所", document="甲自然资发〔2026〕1号",
                                        powers=[p.value for p in Power], valid_from=date(2026, 1, 1), recorded_by=head)


def make_item(centre, head, code="CATS-ZJD-001"):
    return catalogue.create_item(centre, actor=head, code=code, reason="首次公布", elements=dict(ELEMENTS),
                                 materials=[{"name": "申请人身份证", "original": True, "copies": 1, "required": True}])


def received(centre, people, item, *, day=date(2026, 11, 2), handler_actor=None, **extra):
    actor = handler_actor or people["window"]
    return window.intake(centre, item, actor=actor, applicant_kind="person", applicant_name="马志强",
                         id_number=ID_NUMBER, phone="13800138000", now=at(day.year, day.month, day.day), **extra)


def finish(case, people, *, day=date(2026, 11, 3)):
    """Accept, review, decide and deliver (the four steps of seed 002), all on `day`."""
    now = at(day.year, day.month, day.day, 10)
    case = window.accept(case, actor=case.handler, expected_version=case.version, now=now)
    case = window.review(case, actor=people["back"], expected_version=case.version, opinion="符合条件", now=now)
    case = window.decide(case, actor=people["chief"], expected_version=case.version, outcome="granted",
                         text="准予", now=now)
    return window.deliver(case, actor=case.handler, expected_version=case.version, now=now)
