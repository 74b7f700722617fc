"""The enforcement demo (registered with core.demo after the accounts): a year of clues, cases at every step,
certified officers, a satellite spot batch and the monthly reports, for 椒江分局's offices, written through the
services so that it is on the audit trail like any other data."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from jiceng.core import demo

from .models import ClueSource, DocumentKind, Officer

COUNTY = "331002"
OFFICE = "331002S01"
OFFICER = ("officer", "海门所 执法员 黄鹏飞")
PLACES = ["东山村3组", "杨司村村口", "章安村后山", "海门街道江边", "洪家工业区东侧", "下陈村农田", "前所村林地"]
WHAT = ["农田内新建砖混房屋", "未经批准挖山取土", "占用耕地堆放建材", "林地内私建厂棚", "河道旁违规采砂", "基本农田挖塘养鱼"]
PARTIES = ["张某海", "李某国", "王某", "台州某某建材有限公司", "陈某华", "某某石料厂"]
# The step each demo case is left at (every step of the workflow is shown).
TARGETS = ["found", "checked", "stop_ordered", "escalated", "filed", "investigated", "notified", "reviewed", "decided",
           "served", "executed", "closed", "archived", "archived", "closed", "served"]


def _aware(day: date, hour: int = 10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def loaded() -> bool:
    return Officer.objects.filter(user__username=OFFICER[0]).exists()


def _users():
    from jiceng.accounts import services as accounts
    from jiceng.accounts.demo import DEMO_PASSWORD
    from jiceng.accounts.models import User
    from jiceng.core.capabilities import Role
    from jiceng.org.models import Unit

    office = Unit.objects.get(code=OFFICE)
    officer = User.objects.filter(username=OFFICER[0]).first()
    if officer is None:
        officer = accounts.user_create(actor=None, username=OFFICER[0], full_name=OFFICER[1], password=DEMO_PASSWORD,
                                       must_change_password=False)
        accounts.membership_grant(actor=None, user=officer, unit=office, role=Role.ENFORCEMENT_OFFICER)
    return office, officer, User.objects.get(username="head"), User.objects.get(username="county")


def _advance(case, target, start: date, officer, head):
    from . import services

    order = ["found", "checked", "stop_ordered", "filed", "investigated", "notified", "decided", "served", "executed",
             "closed", "archived"]
    if target in ("escalated",):
        order = ["found", "checked", "stop_ordered", "escalated"]
    if target == "reviewed":
        order = ["found", "checked", "stop_ordered", "filed", "investigated", "notified", "reviewed"]
    day = start

    def step(name, actor, gap, **values):
        nonlocal case, day
        day = day + timedelta(days=gap)
        case = services.case_step(actor=actor, case=case, step=name, expected_version=case.version, now=_aware(day),
                                  values=values)

    def doc(kind):
        nonlocal case
        services.case_document_generate(actor=officer, case=case, kind=kind, pdf=False)
        case.refresh_from_db()

    for state in order[1:order.index(target) + 1] if target in order else []:
        if state == "checked":
            step("check", officer, 1, check_findings="经现场核查，情况属实", checked_on=day + timedelta(days=1))
        elif state == "stop_ordered":
            doc(DocumentKind.STOP_ORDER)
            step("stop_order", officer, 0, stop_served_on=day, stop_reported_on=day)
        elif state == "escalated":
            step("escalate", officer, 3, escalated_on=day + timedelta(days=3))
        elif state == "filed":
            doc(DocumentKind.FILING)
            step("file", head, 2, filed_on=day + timedelta(days=2), public_filing=case.pk % 3 == 0)
        elif state == "investigated":
            step("investigate", officer, 20, investigation_summary="未经批准擅自占用土地，事实清楚")
            case = services.case_set_penalty(actor=officer, case=case, fine=20000 + case.pk * 500,
                                             penalty_text="责令退还非法占用的土地，限期拆除新建建筑物",
                                             hearing_qualifies=case.pk % 2 == 0, major=target == "reviewed")
        elif state == "notified":
            doc(DocumentKind.NOTICE)
            step("notify", officer, 1, notified_on=day + timedelta(days=1))
        elif state == "reviewed":
            step("legal_review", officer, 10, review_opinion="事实清楚，证据确凿，程序合法")
        elif state == "decided":
            doc(DocumentKind.DECISION)
            step("decide", head, 10, decided_on=day + timedelta(days=10))
        elif state == "served":
            step("serve", officer, 2, served_on=day + timedelta(days=2))
            if case.pk % 2 == 0:
                case = services.case_publish(actor=officer, case=case, on=day + timedelta(days=5))
        elif state == "executed":
            step("execute", officer, 10, executed_on=day + timedelta(days=10), execution="paid",
                 paid_amount=case.fine)
        elif state == "closed":
            doc(DocumentKind.CLOSING)
            step("close", officer, 3, closing_summary="处罚决定已执行完毕，建议结案")
        elif state == "archived":
            from .models import ARCHIVE_CHECKLIST

            case = services.case_checklist(actor=officer, case=case, ticked={k: True for k, _l in ARCHIVE_CHECKLIST})
            step("archive", officer, 5, archived_on=day + timedelta(days=5))
    return case


@transaction.atomic
def build():
    from jiceng.org.models import Unit

    from . import services, spots
    from .reports import report_generate, report_submit

    rng = random.Random(14)
    office, officer, head, county_user = _users()
    for user, name, number in ((officer, "黄鹏飞", "浙执 331002001"), (head, "张志宏", "浙执 331002002")):
        services.officer_register(actor=county_user, unit=office, user=user, name=name, certificate_no=number,
                                  valid_from=date(2024, 3, 1), valid_to=date(2028, 2, 28))
    sources = [ClueSource.PATROL] * 5 + [ClueSource.HOTLINE] * 3 + [ClueSource.WECHAT_LETTER, ClueSource.SUPERIOR,
                                                                     ClueSource.MEDIA, ClueSource.SATELLITE]
    clues = []
    for i in range(48):
        day = date(2026, 1, 5) + timedelta(days=i * 7)
        source = rng.choice(sources)
        clues.append(services.clue_register(
            actor=officer, unit=office, source=source, description=f"{rng.choice(PLACES)}{rng.choice(WHAT)}",
            place=rng.choice(PLACES), registered_at=_aware(day, 9),
            location={"type": "Point", "coordinates": [121.43 + rng.random() / 10, 28.68 + rng.random() / 10]},
            anonymous=source == ClueSource.HOTLINE and i % 2 == 0,
            reporter_name="" if source != ClueSource.HOTLINE else "王某某", source_ref=f"12336-2026-{i:04d}"
            if source == ClueSource.HOTLINE else "",
            supervised=source == ClueSource.SUPERIOR, supervision_due=day + timedelta(days=15)
            if source == ClueSource.SUPERIOR else None))
    # Cases from the earlier clues, each left at its step; the later clues stay open (some overdue).
    for i, target in enumerate(TARGETS):
        clue = clues[i * 2]
        case = services.case_open(actor=officer, clue=clue, title=clue.description[:60], party=PARTIES[i % len(PARTIES)],
                                  party_is_person="公司" not in PARTIES[i % len(PARTIES)] and "厂" not in PARTIES[i % 6],
                                  resource="mineral" if i % 4 == 3 else "land")
        _advance(case, target, clue.opened_on, officer, head)
    for clue in clues[33:38]:
        services.clue_close(actor=officer, clue=clue, reason="not_violation", note="经核查，已取得用地批准手续")
    # The year's satellite spots for the county, a third judged.
    county = Unit.objects.get(code=COUNTY)
    rows = "spot_id,division,year,area,permitted_area,forbidden_area,farmland_area\n" + "".join(
        f"3310022026{n:04d},331002,2026,{rng.randint(1, 40)}.{rng.randint(0, 9)},0,{rng.randint(0, 3)},"
        f"{rng.randint(0, 2)}\n" for n in range(1, 121))
    spots.spot_import(actor=county_user, unit=county, year=2026, data=rows.encode(), name="2026年度卫片图斑.csv")
    # Monthly reports January-October submitted, November's not yet.
    for month in range(1, 11):
        report_submit(actor=officer, report=report_generate(actor=officer, unit=office, year=2026, month=month))
    return True


def summary() -> list[str]:
    return [f"  {OFFICER[0]:<10} enforcement_officer {OFFICER[1]}"]


demo.register("enforcement", build=build, loaded=loaded, after=["org", "accounts"], summary=summary,
              built_message="执法监察演示数据已载入 / enforcement demo loaded",
              present_message="执法监察演示数据已存在 / enforcement demo already loaded")
