"""The ledgers demo for 海门中心所: a year of petitions (most closed, a few open, one overdue), the flood-season and
holiday duty rosters with logs and reports, hazard points and their patrols, house-building applications at every
step, construction-land supervision and filings."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from jiceng.core import demo

OFFICE = "331002S01"


def loaded() -> bool:
    from .models import Petition

    return Petition.objects.filter(unit__code=OFFICE).exists()


def build() -> None:
    from jiceng.accounts.models import User
    from jiceng.org.models import Unit

    from . import services
    from .specs import get

    rng = random.Random(2026)
    unit = Unit.objects.get(code=OFFICE)
    head, staff = User.objects.get(username="head"), User.objects.get(username="staff")
    today = timezone.localdate()
    year = today.year

    def step(spec, obj, name, actor=staff, **values):
        return services.row_step(spec, actor=actor, obj=obj, name=name, expected_version=obj.version, values=values)

    pet = get("petitions")
    for i in range(1, 41):
        # 60 calendar days must end in a year with a loaded holiday schedule: received by the end of October.
        last = min(today, date(year, 10, 30))
        opened = date(year, 1, 5) + timedelta(days=int((last - date(year, 1, 5)).days * i / 41))
        p = services.row_create(pet, actor=staff, unit=unit, values={
            "number": f"海信〔{year}〕{i}号", "opened_on": opened, "channel": rng.choice(["visit", "letter", "phone", "hotline"]),
            "superior_assigned": i % 5 == 0, "category": rng.choice(["land", "housing", "expropriation", "mineral"]),
            "petitioner": rng.choice(["王某", "陈某", "林某", "黄某"]),
            "subject": rng.choice(["反映邻居建房占用宅基地", "反映征地补偿未到位", "反映村口耕地被堆土", "询问建房审批进度"])})
        if opened < today - timedelta(days=75) or (i < 36 and i != 20):
            p = step(pet, p, "handle", handling="已实地核查，约谈当事人。")
            p = step(pet, p, "reply", reply="已书面答复信访人。", replied_on=min(opened + timedelta(days=20), today))
            step(pet, p, "close", actor=head, satisfaction=rng.choice(["satisfied", "satisfied", "basic"]))

    duty = get("duty")
    for offset in range(0, 92, 3):  # the flood season, every third day
        day = date(year, 6, 1) + timedelta(days=offset)
        services.row_create(duty, actor=staff, unit=unit, values={
            "kind": "flood", "duty_date": day, "leader": "张志宏", "staff": rng.choice(["李佳怡", "王协管员"]),
            "phone": "0576-88000000", "log": "雨情平稳，巡查隐患点 2 处，无异常。"})
    for day in (date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)):
        services.row_create(duty, actor=staff, unit=unit, values={
            "kind": "holiday", "duty_date": day, "leader": "张志宏", "staff": "李佳怡", "phone": "0576-88000000",
            "log": "国庆假期值班，无突发情况。"})
    services.row_create(get("reports"), actor=staff, unit=unit, values={
        "kind": "urgent", "occurred_at": timezone.make_aware(datetime(year, 7, 12, 5, 40)),
        "reported_at": timezone.make_aware(datetime(year, 7, 12, 6, 10)), "reported_to": "椒江分局",
        "subject": "白云山脚小型崩塌", "content": "强降雨致后山崩塌约 20 方，无人员伤亡，已转移 3 户 9 人。"})

    hazards, hp = get("hazards"), get("hazard_patrols")
    points = []
    for n, (name, kind, lon, lat) in enumerate([("白云山后山滑坡", "landslide", 121.421, 28.668),
                                                 ("沿江村崩塌点", "collapse", 121.452, 28.690),
                                                 ("东山村泥石流沟", "debris_flow", 121.470, 28.702)], start=1):
        points.append(services.row_create(hazards, actor=staff, unit=unit, values={
            "code": f"ZH-{n:02d}", "name": name, "hazard_type": kind, "location": {"type": "Point", "coordinates": [lon, lat]},
            "households": 3 * n, "people": 10 * n, "monitor": rng.choice(["陈监测员", "林监测员"]),
            "monitor_phone": "", "active": True}))
    for month in (5, 6, 7, 8, 9):
        for point in points:
            services.row_create(hp, actor=staff, unit=unit, values={
                "point": point, "patrol_date": date(year, month, 15), "inspector": "李佳怡",
                "status": "deforming" if (month == 7 and point.code == "ZH-01") else "stable",
                "notes": "坡体出现裂缝，已设警示牌。" if month == 7 and point.code == "ZH-01" else "未见异常。"})

    housing = get("housing")
    for i, stop in enumerate(["applied", "pre_notice", "approved", "published", "staked", "completed", "completed"]):
        h = services.row_create(housing, actor=staff, unit=unit, values={
            "opened_on": date(year, 2 + i, 10), "applicant": f"{rng.choice('王陈林黄周')}某{i + 1}", "village": "东山村",
            "site": f"东山村{i + 1}组", "land_area": 110 + i * 5, "floor_area": None})
        chain = [("pre_notice", staff, {"pre_notice_on": date(year, 2 + i, 12)}),
                 ("approve", head, {"approved_on": date(year, 2 + i, 25), "approval_number": f"椒宅批〔{year}〕{i + 1}号"}),
                 ("publish", staff, {"published_on": date(year, 2 + i, 27)}),
                 ("stake", staff, {"staked_on": date(year, 3 + i, 5)}),
                 ("complete", staff, {"completed_on": date(year, 3 + i, 28)})]
        order = ["applied", "pre_notice", "approved", "published", "staked", "completed"]
        for name, actor, values in chain[:order.index(stop)]:
            h = step(housing, h, name, actor=actor, **values)

    land = get("land")
    for parcel, idle in (("椒江-2025-08 工业地块", False), ("海门-2024-03 商住地块", True)):
        services.row_create(land, actor=staff, unit=unit, values={
            "parcel": parcel, "holder": "台州某实业有限公司", "contract_on": date(year - 1, 6, 1),
            "agreed_start": date(year - 1, 12, 1), "info_published_on": date(year - 1, 6, 10),
            "start_declared_on": None if idle else date(year - 1, 11, 20), "completion_accepted_on": None,
            "idle": idle, "notes": "已下发闲置土地认定书。" if idle else ""})

    filings = get("filings")
    for i in range(1, 13):
        opened = date(year, i if i <= today.month else today.month, 6)
        f = services.row_create(filings, actor=staff, unit=unit, values={
            "opened_on": opened, "title": f"{year}年第{i}批次建设用地报批资料", "filing_type": "建设用地报批",
            "submitted_by": "海门街道"})
        if opened < today - timedelta(days=10):
            step(filings, f, "file", filed_on=opened + timedelta(days=3), filed_to="椒江分局")


demo.register("ledgers", build=build, loaded=loaded, after=["accounts"],
              built_message="演示台账已载入 / demo ledgers loaded")
