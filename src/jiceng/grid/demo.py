"""The grid's part of `jiceng demo`: the grids of 章安街道 (331002007) with profiles and AB pairs, workers, households
and residents (fictitious, valid ID numbers), a quarter of logs up to today, signed weeks, a graded quarter and the
current quarter's survey; a community director and the township's grid administrator.

Registered from GridConfig.ready() after org's region and the accounts. Logs are bulk-written (one audit record for
the demo build, not one per line); everything else goes through the services.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jiceng.core import audit, demo, pii
from jiceng.core.capabilities import Role
from jiceng.core.models import EventType

TOWNSHIP = "331002007"
ACCOUNTS = [("director", "东山村 书记兼主任 黄丽萍", Role.COMMUNITY_DIRECTOR, "331002007201"),
            ("gridadmin", "章安街道综治中心 郑伟", Role.GRID_ADMIN, TOWNSHIP)]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
GIVEN = "建国秀英海燕志强丽华文博春梅晓东玉兰德明桂芳永红国庆淑珍"
CATEGORY_MIX = [["alone_elderly"], ["orphan"], ["disabled"], ["single_mother"], ["migrant"], ["entitled"],
                ["released"], ["alone_elderly", "disabled"], [], [], [], [], [], []]


def loaded() -> bool:
    from .models import GridProfile

    return GridProfile.objects.filter(unit__code__startswith=TOWNSHIP).exists()


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))


def _id(rng, serial: int) -> str:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    body = f"331002{born:%Y%m%d}{serial % 1000:03d}"
    return body + pii.id_check_digit(body)


def _square(i: int) -> dict:
    x, y = 121.52 + 0.01 * (i % 4), 28.70 + 0.01 * (i // 4)
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 0.009, y], [x + 0.009, y + 0.008], [x, y + 0.008],
                                                [x, y]]]}


@transaction.atomic
def build():
    from jiceng.accounts import services as accounts
    from jiceng.accounts.demo import DEMO_PASSWORD
    from jiceng.accounts.models import User
    from jiceng.org.models import Unit

    from . import rules
    from .models import GridWorker, Household, LogEntry, PayBasis, PoolEntry, Signoff
    from .services import grading, surveys
    from .services import grids as gs
    from .services import residents as rs
    from .visit_rules import week_of

    rng = random.Random(20211115)
    today = timezone.localdate()
    township = Unit.objects.get(code=TOWNSHIP)
    city = Unit.objects.get(depth=1, path=township.path[:4])
    PayBasis.objects.get_or_create(unit=city, defaults={"star_subsidies": {"1": "800", "2": "1000", "3": "1200",
                                                                            "4": "1400", "5": "1600"},
                                                        "certificate_allowance": "300"})
    users = {}
    for username, full_name, role, code in ACCOUNTS:
        if not User.objects.filter(username=username).exists():
            user = accounts.user_create(actor=None, username=username, full_name=full_name, password=DEMO_PASSWORD,
                                        must_change_password=False)
            accounts.membership_grant(actor=None, user=user, unit=Unit.objects.get(code=code), role=role)
        users[username] = User.objects.get(username=username)
    grid_user = User.objects.filter(username="grid").first()
    grids = list(Unit.objects.filter(kind="grid").within(township).order_by("code"))
    profiles, serial = {}, 0
    for i, grid in enumerate(grids):
        profiles[grid.code] = gs.save_profile(actor=None, unit=grid, area="rural", boundary=_square(i),
                                              duties="基础信息采集、社情民意联络、矛盾纠纷排查、村民事务代办",
                                              extent=f"{grid.name}（约{rng.randint(80, 160)}户）")
    for grid in grids:
        if grid.code.endswith("G1") and grid.code[:-1] + "2" in profiles:
            gs.pair(actor=None, a=profiles[grid.code], b=profiles[grid.code[:-1] + "2"])
    start = rules.quarter_range(rules.previous_quarter(rules.quarter_of(today)))[0]
    entries = []
    for i, grid in enumerate(grids):
        worker, _ = gs.appoint(actor=None, unit=grid, name="吴浩宇" if i == 0 else _name(rng),
                               appointment="group_leader", user=grid_user if i == 0 else None,
                               work_phone=f"139{rng.randrange(10**7, 10**8)}", star_level=rng.randint(2, 4),
                               contract_start=date(2021, 3, 1), term_end=date(2026, 12, 31) if i == 3 else
                               date(2027, 3, 31), certificate="social_work" if i % 3 == 0 else "none")
        residents = []
        for h in range(8):
            household = Household.objects.create(unit=grid, address=f"{grid.name[:-4]}{h + 1}组{rng.randint(1, 60)}号",
                                                 head_name=_name(rng))
            for _m in range(rng.randint(1, 3)):
                serial += 1
                cats = rng.choice(CATEGORY_MIX)
                residents.append(rs.add_resident(actor=None, household=household, name=_name(rng),
                                                 id_number=_id(rng, serial),
                                                 phone=f"13{rng.randint(5, 9)}{rng.randrange(10**7, 10**8)}",
                                                 categories=cats))
        diligent = 0.95 if i % 4 else 0.6  # one grid in four lags behind: overdue visits show
        day = start
        while day <= today:
            if rng.random() < diligent:
                entries.append(LogEntry(unit=grid, worker=worker, day=day, kind="patrol", found="网格巡查，无异常",
                                        recorded_by=worker.user))
            for r in residents:
                cats = set(r.category_codes())
                weekly = cats & {"alone_elderly", "orphan"}
                chance = (1 / 7 if weekly else 1 / 28 if cats else 1 / 150) * diligent
                if rng.random() < chance:
                    entries.append(LogEntry(unit=grid, worker=worker, day=day, kind="visit", resident=r,
                                            household_id=r.household_id, category=",".join(sorted(cats))[:30],
                                            found=rng.choice(["身体状况良好", "反映路灯损坏，已上报", "代办低保年审",
                                                              "了解就业需求", "生活困难，联系民政"]),
                                            recorded_by=worker.user))
            day += timedelta(days=1)
        for week in range(12):
            monday = week_of(today)[0] - timedelta(days=7 * (week + 1))
            if monday >= start:
                Signoff.objects.create(unit=grid, worker=worker, kind="week", start=monday,
                                       end=monday + timedelta(days=6), signed_by=users["director"],
                                       signed_at=timezone.now(), entries=0)
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    last_quarter = rules.previous_quarter(rules.quarter_of(today))
    for period in (last_quarter, rules.quarter_of(today)):
        for worker in GridWorker.objects.filter(unit__in=grids):
            survey = surveys.draw(actor=None, worker=worker, period=period, size=8, seed=f"demo-{period}-{worker.pk}")
            for pk in survey.drawn[: 8 if period == last_quarter else 5]:
                surveys.answer(actor=None, survey=survey, resident_id=pk, satisfied=rng.random() < 0.9)
    grading.grade_quarter(actor=users["gridadmin"], township=township, period=last_quarter)
    for n, score in enumerate((88.5, 92, 79, 95.5)):
        PoolEntry.objects.create(unit=city, name=_name(rng), exam_score=score,
                                 entered_on=today - timedelta(days=90 + 200 * (n == 3)))
    audit.record(EventType.CREATE, actor=None, actor_name="system", unit=township,
                 after={"demo": "grid", "grids": len(grids), "log_entries": len(entries)})
    return len(grids)


def reset():
    """Nothing to clear first: core's reset removes every grid row with the rest."""


demo.register("grid", build=build, loaded=loaded, after=["org", "accounts"],
              built_message="网格演示数据已载入 / demo grids loaded",
              summary=lambda: [f"  {u:<10} {r:<16} {n}" for u, n, r, _c in ACCOUNTS])
