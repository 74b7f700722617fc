"""The patrols demo: a year of patrols (2026, up to today) for 海门中心所, with areas, plans, tracks and findings."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from jiceng.core import demo

OFFICE = "331002S01"
AREAS = [("沿江片", "李佳怡", "东山村、沿江村"), ("城区片", "张志宏", "海门街道城区地块"), ("山区片", "李佳怡", "白云山周边")]
CENTRE = (121.4402, 28.6801)


def loaded() -> bool:
    from .models import Patrol

    return Patrol.objects.filter(unit__code=OFFICE).exists()


def _track(rng, day, start_hour, origin):
    lon, lat = origin
    segments = []
    minute = 0
    for _piece in range(rng.choice((1, 2, 2, 3))):  # gaps where the signal dropped
        coords, times = [], []
        for _step in range(rng.randint(6, 14)):
            lon += rng.uniform(-0.0012, 0.0018)
            lat += rng.uniform(-0.0010, 0.0015)
            coords.append([round(lon, 6), round(lat, 6)])
            times.append(timezone.make_aware(datetime(day.year, day.month, day.day, start_hour, 0)
                                             + timedelta(minutes=minute)).isoformat())
            minute += rng.randint(1, 3)
        minute += rng.randint(8, 20)
        segments.append({"coordinates": coords, "times": times})
        lon += 0.002
    return segments, (lon, lat)


def build() -> None:
    from jiceng.accounts.models import User
    from jiceng.org.models import Unit

    from . import services

    rng = random.Random(14)
    unit = Unit.objects.get(code=OFFICE)
    head, staff = User.objects.get(username="head"), User.objects.get(username="staff")
    areas = [services.area_create(actor=head, unit=unit, name=n, responsible=r, description=d) for n, r, d in AREAS]
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        for area in areas:
            services.plan_set(actor=head, area=area, month=date(today.year, month, 1), planned=4,
                              notes="汛期加密巡查" if month in (5, 6, 7, 8) else "")
        for week in range(4):
            day = date(today.year, month, min(3 + week * 7, 28))
            if day > today:
                break
            area = areas[(month + week) % len(areas)]
            key = month in (1, 2, 10) and week == 0  # 元旦、春节、国庆
            patrol = services.patrol_create(
                actor=staff, unit=unit, patrol_date=day, inspectors=rng.choice(["李佳怡、张志宏", "李佳怡、王协管员"]),
                area=area, route=f"{area.description}一线", key_period=key, unannounced=week == 2,
                summary="未发现新增违法用地。" if week % 2 else "发现疑似违法占地，已登记。")
            origin = (CENTRE[0] + rng.uniform(-0.05, 0.05), CENTRE[1] + rng.uniform(-0.04, 0.04))
            segments, end = _track(rng, day, 9, origin)
            services.track_add(actor=staff, patrol=patrol, segments=segments)
            if week % 2 == 0:
                services.finding_add(actor=staff, patrol=patrol, description=rng.choice(
                    ["耕地上新建砖混房屋地基", "河道边堆放建筑垃圾占用耕地", "山脚下疑似私挖矿石", "未批先建的厂房围墙"]),
                    lon=end[0], lat=end[1], place=area.name, as_clue=rng.random() < 0.7)


demo.register("patrols", build=build, loaded=loaded, after=["accounts"],
              built_message="演示巡查已载入 / demo patrols loaded")
