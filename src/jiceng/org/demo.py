"""The demo region (org's demo contribution): a city with counties, offices, townships, villages and grids.

Modelled on 台州市 (seed 000 is Taizhou's rubric) with real county and
township names. Staff are generated from a fixed random seed, so every
rebuild is identical. Some offices deliberately miss a standard so that the
standards cards show both outcomes. Everything is written through the
services, so the demo is on the audit trail like any other data.

Registered from OrgConfig.ready() with core.demo; the demo accounts are
accounts' contribution (accounts/demo.py), the campaign assessments'.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from . import services
from .models import Education, EmploymentType, Gender, PoliticalStatus, Post, Unit, UnitKind

CITY = ("台州市自然资源和规划局", "331000")
COUNTIES = [
    ("椒江分局", "331002", ["海门", "洪家", "下陈", "章安", "前所"]),
    ("黄岩分局", "331003", ["城区", "新前", "江口", "院桥", "宁溪"]),
    ("路桥分局", "331004", ["路桥", "螺洋", "峰江", "金清", "蓬街"]),
    ("临海市自然资源和规划局", "331082", ["古城", "杜桥", "东塍", "白水洋", "桃渚"]),
]
# Offices whose names are listed here are central offices (中心所); the rest are township offices.
CENTRAL = {"海门", "城区", "路桥", "古城", "杜桥"}
# Deliberate shortfalls, so that the demo shows failing standards.
SHORT_STAFFED = {"路桥"}  # a central office with 4 staff (needs 5)
LOW_EDUCATION = {"新前"}
CRAMPED = {"峰江"}
NOT_NETWORKED = {"宁溪"}

TOWNSHIPS = [
    ("331002", "章安街道", "331002007", ["东山村", "杨司村", "章安村"]),
    ("331082", "杜桥镇", "331082104", ["川南村", "凤凰村", "杜桥村"]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志宏海燕鹏飞晓东文博雪梅春晖佳怡子轩浩宇欣然"


def region_loaded() -> bool:
    return Unit.objects.filter(code=CITY[1]).exists()


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _id_number(rng: random.Random, county_code: str, birth: date, gender: str) -> str:
    """A syntactically valid 18-digit number (GB 11643 check digit) for demo people."""
    serial = rng.randrange(0, 50) * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{county_code}{birth:%Y%m%d}{rng.randrange(0, 10)}{serial:02d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _person(rng, unit, county_code, post, *, education=None, employment=None, establishment_unit=None):
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
    if education is None:
        education = rng.choices(
            [Education.POSTGRADUATE, Education.BACHELOR, Education.JUNIOR_COLLEGE, Education.SECONDARY],
            weights=[1, 5, 3, 1],
        )[0]
    if employment is None:
        employment = rng.choices(
            [EmploymentType.ON_ESTABLISHMENT, EmploymentType.OFF_ESTABLISHMENT, EmploymentType.AGENCY, EmploymentType.SECONDED],
            weights=[6, 3, 1, 1],
        )[0]
    return services.staff_create(
        actor=None,
        unit=unit,
        name=_name(rng),
        gender=gender,
        birth_date=birth,
        education=education,
        political_status=rng.choice([PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_MEMBER, PoliticalStatus.MASSES, PoliticalStatus.CYL_MEMBER]),
        employment_type=employment,
        establishment_unit=establishment_unit or (unit if employment == EmploymentType.ON_ESTABLISHMENT else None),
        post=post,
        post_start=date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 6)),
        phone=f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}",
        id_number=_id_number(rng, county_code, birth, gender),
    )


def _office(rng, county, county_code, index, short):
    central = short in CENTRAL
    code = f"{county_code}S{index:02d}"
    size = (rng.randint(6, 8) if central else rng.randint(3, 5)) if short not in SHORT_STAFFED else 4
    area = Decimal(size * rng.choice([7, 8, 10])) if short not in CRAMPED else Decimal(size * 4)
    office = services.unit_create(
        actor=None,
        parent=county,
        kind=UnitKind.OFFICE,
        name=f"{short}{'中心所' if central else '所'}",
        code=code,
        office_type="central" if central else "township",
        establishment_level=rng.choice(["zhengke", "fuke", "zhenggu"]) if central else rng.choice(["fuke", "zhenggu"]),
        authorised_posts=size + rng.randint(0, 3),
        floor_area=area,
        has_meeting_room=True,
        has_petition_room=short not in CRAMPED,
        vehicles=rng.randint(1, 2),
        has_copier=True,
        has_fax=True,
        has_camera=True,
        computers=size,
        networked=short not in NOT_NETWORKED,
        address=f"台州市{county.name[:2]}{short}路{rng.randint(1, 300)}号",
        phone=f"0576-8{rng.randrange(1000000, 9999999)}",
    )
    low = short in LOW_EDUCATION
    posts = [Post.HEAD, Post.DEPUTY_HEAD] + [Post.WINDOW, Post.INSPECTOR, Post.STAFF, Post.ASSISTANT_INSPECTOR] * 2
    for post in posts[:size]:
        education = Education.SECONDARY if low and post not in (Post.HEAD,) else None
        _person(rng, office, county_code, post, education=education)
    return office


def _township(rng, county, county_code, name, code, villages):
    township = services.unit_create(actor=None, parent=county, kind=UnitKind.TOWNSHIP, name=name, code=code)
    centre = services.unit_create(
        actor=None, parent=township, kind=UnitKind.SERVICE_CENTRE, name=f"{name}民生服务中心", code=f"{code}C"
    )
    for post in (Post.CHIEF_REPRESENTATIVE, Post.WINDOW, Post.WINDOW):
        _person(rng, centre, county_code, post)
    for index, village_name in enumerate(villages, start=1):
        village = services.unit_create(
            actor=None, parent=township, kind=UnitKind.VILLAGE, name=f"{village_name}代办点", code=f"{code}{200 + index}"
        )
        _person(rng, village, county_code, Post.AGENT)
        for grid_no in (1, 2):
            grid = services.unit_create(
                actor=None,
                parent=village,
                kind=UnitKind.GRID,
                name=f"{village_name}第{grid_no}网格",
                code=f"{code}{200 + index}G{grid_no}",
            )
            _person(rng, grid, county_code, Post.GRID_WORKER)


@transaction.atomic
def build_region() -> Unit:
    rng = random.Random(20210510)  # the date of seed 000: the same region every time
    city = services.unit_create(
        actor=None,
        parent=None,
        kind=UnitKind.CITY,
        name=CITY[0],
        code=CITY[1],
        address="台州市椒江区市府大道",
    )
    counties = {}
    for name, code, offices in COUNTIES:
        county = services.unit_create(actor=None, parent=city, kind=UnitKind.COUNTY, name=name, code=code)
        counties[code] = county
        for index, short in enumerate(offices, start=1):
            _office(rng, county, code, index, short)
    for county_code, name, code, villages in TOWNSHIPS:
        _township(rng, counties[county_code], county_code, name, code, villages)
    # Seed 003: people sitting on another office's establishment (占用其他所编制).
    _person(
        rng,
        Unit.objects.get(code="331002S02"),
        "331002",
        Post.STAFF,
        employment=EmploymentType.ON_ESTABLISHMENT,
        establishment_unit=Unit.objects.get(code="331002S03"),
    )
    return city
