"""The window's demo: the catalogue of both demo townships' centres and a year of cases at every step.

Accounts: ``back`` (back-office reviewer), ``chief`` (chief representative, with a recorded
authorisation) and ``centrehead`` at 章安街道民生服务中心, beside the existing ``window`` account;
the other centre gets its own clerk, reviewer and chief so its cases are worked the same way.
Everything is written through the services, so it is on the audit trail like real work.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiceng.core.capabilities import Role
from jiceng.core.workdays import calendar
from jiceng.org.models import Unit, UnitKind

from . import catalogue, services
from .models import Authorisation, Case, ServiceItem

PASSWORD = "Jiceng#2026"
BASIS_LAND = "《中华人民共和国土地管理法》；《中华人民共和国土地管理法实施条例》"
BASIS_REG = "《不动产登记暂行条例》第十四条；《不动产登记暂行条例实施细则》"
BASIS_MIN = "《中华人民共和国矿产资源法》；《矿产资源开采登记管理办法》"
ID = ("申请人身份证", True, 1, True)
HUKOU = ("户口簿", False, 1, True)
FORM = ("申请表", True, 2, True)
# name, type, class, statutory, promised, basis, tags, materials
ITEMS = [
    ("农村村民宅基地审批", "licence", "parallel", 20, 15, BASIS_LAND, ("once", "agency"),
     [ID, HUKOU, FORM, ("宅基地使用承诺书", True, 1, True), ("四邻意见书", True, 1, False)]),
    ("乡村建设规划许可证核发", "licence", "parallel", 20, 12, "《中华人民共和国城乡规划法》第四十一条", ("once",),
     [ID, FORM, ("建设工程设计方案", False, 1, True), ("村委会意见", True, 1, True)]),
    ("临时用地审批（初审）", "licence", "limited", 20, 10, BASIS_LAND + "第五十七条", ("nearby",),
     [ID, FORM, ("土地复垦方案", False, 1, True), ("临时使用土地合同", False, 1, True)]),
    ("设施农业用地备案", "registration", "limited", 15, 5, "《自然资源部 农业农村部关于设施农业用地管理有关问题的通知》",
     ("online", "nearby"), [ID, FORM, ("用地协议", False, 1, True)]),
    ("不动产登记资料查询", "public_service", "instant", 1, 0, BASIS_REG, ("immediate", "online", "nearby"),
     [ID, ("查询申请书", True, 1, True)]),
    ("不动产权证书补证（初审）", "registration", "limited", 20, 10, BASIS_REG, ("nearby",),
     [ID, FORM, ("遗失声明", False, 1, True)]),
    ("土地承包经营权流转备案", "registration", "limited", 10, 5, "《农村土地承包法》第三十六条", ("agency", "once"),
     [ID, ("流转合同", False, 2, True)]),
    ("宅基地和农房确权登记（初审）", "confirmation", "limited", 30, 20, BASIS_REG, ("agency",),
     [ID, HUKOU, ("权属来源证明", False, 1, True), ("宗地图", False, 1, False)]),
    ("土地权属争议调处申请", "ruling", "limited", 30, 30, "《土地权属争议调查处理办法》", ("nearby",),
     [ID, ("调处申请书", True, 1, True), ("争议地块证明材料", False, 1, True)]),
    ("地质灾害隐患报告受理", "public_service", "instant", 1, 0, "《地质灾害防治条例》第二十条", ("immediate", "nearby"),
     [("报告人联系方式", True, 1, True)]),
    ("采矿权延续登记（初审）", "licence", "parallel", 40, 30, BASIS_MIN, ("online",),
     [FORM, ("采矿许可证", True, 1, True), ("营业执照", False, 1, True), ("开发利用方案", False, 1, True)]),
    ("耕地占补平衡指标核实", "confirmation", "limited", 20, 15, BASIS_LAND + "第三十条", (),
     [FORM, ("项目立项文件", False, 1, True)]),
    ("建设项目用地预审（初审）", "licence", "parallel", 20, 15, "《建设项目用地预审管理办法》", ("online",),
     [FORM, ("项目建议书", False, 1, True), ("选址示意图", False, 1, True)]),
    ("测绘成果资料提供", "public_service", "limited", 10, 3, "《中华人民共和国测绘法》第三十四条", ("online", "once"),
     [ID, ("使用证明函", True, 1, True)]),
    ("土地征收补偿政策咨询答复", "public_service", "instant", 1, 0, BASIS_LAND + "第四十八条", ("immediate",),
     [ID]),
    ("农村集体经营性建设用地入市申请（初审）", "licence", "parallel", 30, 20, BASIS_LAND + "第六十三条", (),
     [FORM, ("村民会议决议", True, 1, True), ("规划条件", False, 1, True)]),
]


def _tags(tags):
    return {"tag_once": "once" in tags, "tag_online": "online" in tags, "tag_nearby": "nearby" in tags,
            "tag_immediate": "immediate" in tags, "agency_point": "agency" in tags, "grid_help": "agency" in tags}


def demo_loaded() -> bool:
    return ServiceItem.objects.exists()


def _account(username, name, role, unit):
    from jiceng.accounts import services as accounts
    from jiceng.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = accounts.user_create(actor=None, username=username, full_name=name, password=PASSWORD,
                                    must_change_password=False)
        accounts.membership_grant(actor=None, user=user, unit=unit, role=role)
    return user


def _people(centre, main: bool):
    from jiceng.accounts.models import User

    tag = "" if main else centre.code
    window = User.objects.filter(username="window").first() if main else None
    town = centre.get_parent().name
    people = {
        "window": window or _account(f"window{tag}", f"{town} 窗口 许丽", Role.WINDOW_STAFF, centre),
        "window2": _account(f"window2{tag}" if tag else "window2", f"{town} 窗口 何建军", Role.WINDOW_STAFF, centre),
        "back": _account(f"back{tag}" if tag else "back", f"{town} 后台 冯志刚", Role.BACK_OFFICE_REVIEWER, centre),
        "chief": _account(f"chief{tag}" if tag else "chief", f"{town} 首席代表 曹文静", Role.CHIEF_REPRESENTATIVE,
                          centre),
        "head": _account(f"centrehead{tag}" if tag else "centrehead", f"{town} 中心主任 袁海涛", Role.CENTRE_HEAD, centre),
    }
    Authorisation.objects.create(unit=centre, user=people["chief"], department="自然资源所",
                                 document=f"{town}政发〔2026〕3号 关于明确首席代表授权的通知",
                                 powers=["decide", "coordinate", "review_report", "seal"],
                                 valid_from=date(2026, 1, 1), recorded_by=people["head"])
    return people


def _at(day: date, rng, hour=None) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour or rng.randint(9, 16), rng.randint(0, 59))))


def _applicant(rng):
    from jiceng.core.pii import id_check_digit

    surname, given = rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"), rng.choice(["伟", "芳", "建国", "秀英", "志强", "海燕"])
    birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 18000))
    first17 = f"331002{birth:%Y%m%d}{rng.randint(100, 999)}"
    return {"applicant_kind": "person", "applicant_name": surname + given,
            "id_number": first17 + id_check_digit(first17), "phone": f"13{rng.randint(100000000, 999999999)}"}


def _work(case, people, rng, today: date, received: date, cal):
    """Move one case as far as a real one would have got by ``today``."""
    w, v = people["window"], case.item_version
    steps = [received]
    for _ in range(6):
        steps.append(cal.add_working_days(steps[-1], rng.randint(0, 3) if v.promised_days else 0))
    roll = rng.random()
    if roll < 0.05:
        return services.refuse(case, actor=w, expected_version=case.version, reason="申请事项不属于本机关职权范围",
                               basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项", now=_at(received, rng))
    if roll < 0.15:
        services.give_notice(case, actor=w, expected_version=case.version, now=_at(received, rng),
                                    items=[{"material": v.materials.first().name, "problem": "复印件不清晰，需重新提供"}])
        back = cal.add_working_days(received, rng.randint(2, 8))
        case = Case.objects.get(pk=case.pk)
        if back > today:
            return case
        case = Case.objects.get(pk=case.pk)
        case = services.return_materials(case, actor=w, expected_version=case.version, now=_at(back, rng))
        steps = [back, *steps[1:]]
        steps = [max(s, back) for s in steps]
    case = Case.objects.get(pk=case.pk)
    if case.state == "received" and not (roll > 0.97 and received > today - timedelta(days=10)):
        hour = _at(steps[0], rng)
        case = services.accept(case, actor=w, expected_version=case.version, now=hour)
    else:
        return case
    if v.promised_days == 0:  # an instant item: reviewed and decided at the window's desk within minutes
        start = case.accepted_at
        case = services.review(case, actor=people["back"], expected_version=case.version, opinion="材料齐全",
                               now=start + timedelta(minutes=rng.randint(1, 5)))
        case = services.decide(case, actor=people["chief"], expected_version=case.version, outcome="granted",
                               text="当场办结", now=start + timedelta(minutes=rng.randint(6, 20)))
        return services.deliver(case, actor=w, expected_version=case.version, now=case.decided_at)
    late = rng.random() < 0.12
    review_day = cal.add_working_days(case.accepted_on, rng.randint(1, max(1, v.promised_days // 2)))
    if review_day > today:
        return case
    case = services.review(case, actor=people["back"], expected_version=case.version,
                           opinion="经审查，材料齐全，符合法定条件", now=_at(review_day, rng))
    decide_days = v.promised_days + (rng.randint(1, 6) if late else -rng.randint(0, v.promised_days // 2))
    decide_day = cal.add_working_days(case.accepted_on, max(decide_days, 1))
    if decide_day > today:
        return case
    case = services.decide(case, actor=people["chief"], expected_version=case.version,
                           outcome="granted" if rng.random() < 0.93 else "denied",
                           text="经审查，准予许可" if rng.random() < 0.93 else "不符合法定条件，不予许可",
                           now=_at(decide_day, rng))
    deliver_day = cal.add_working_days(decide_day, rng.randint(0, 3))
    if deliver_day > today:
        return case
    return services.deliver(case, actor=w, expected_version=case.version, now=_at(deliver_day, rng))


@transaction.atomic
def build_demo():
    rng = random.Random(20261204)
    cal = calendar()
    today = timezone.localdate()
    centres = list(Unit.objects.filter(kind=UnitKind.SERVICE_CENTRE).order_by("code"))
    for n, centre in enumerate(centres):
        people = _people(centre, main=(n == 0))
        items = []
        for i, (name, kind, cls, stat, prom, basis, tags, mats) in enumerate(ITEMS, start=1):
            elements = {"name": name, "item_type": kind, "item_class": cls, "statutory_days": stat,
                        "promised_days": prom, "department": "自然资源所", "implementing_body": centre.get_parent().name
                        + "人民政府", "legal_basis": basis, "conditions": "申请人符合法定条件，材料齐全、符合法定形式",
                        "procedure": "申请与受理—审查—决定—送达", "place": f"{centre.name}自然资源窗口",
                        "hours": "工作日 8:30-12:00，14:30-17:30", "phone": "0576-8866" + f"{n}{i:03d}"[-4:],
                        "cross_township": name.startswith("不动产登记资料"), **_tags(tags)}
            materials = [{"name": m[0], "original": m[1], "copies": m[2], "required": m[3]} for m in mats]
            items.append(catalogue.create_item(centre, actor=people["head"], code=f"{centre.code}-ZR-{i:03d}",
                                               reason="2026年政务服务事项目录公布", elements=elements,
                                               materials=materials))
        catalogue.revise_item(items[0], actor=people["head"], reason="落实承诺时限压缩要求",
                              elements={"promised_days": 12})
        day = max(date(today.year, 1, 5), today - timedelta(days=335))
        while day <= today:
            if cal.count(day - timedelta(days=1), day, "working") == 1:
                for _ in range(rng.randint(0, 3)):
                    item = rng.choice(items)
                    case = services.intake(centre, item, actor=people[rng.choice(("window", "window2"))],
                                           now=_at(day, rng), **_applicant(rng))
                    try:
                        _work(case, people, rng, today, day, cal)
                    except ValidationError:
                        # A limit reaching into a year whose holiday schedule is not loaded yet (late December
                        # without next year's notice): the case waits at its step, as it would at the window.
                        pass
            day += timedelta(days=1)
    return centres
