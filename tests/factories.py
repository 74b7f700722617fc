"""Builders shared by the test suite (imported as `from factories import …`).

They live in a plain module rather than in conftest.py: several test packages
have a conftest of their own, and importing from "conftest" picks whichever
one was imported first.

The factory-boy factories create through the services (org.services,
accounts.services, assessments.services), so every row they build has its
audit record and passes the same checks as a row made in the product. See
docs/testing.md.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import factory

PASSWORD = "Test#pass2026"
_codes = itertools.count(1)


@dataclass
class Region:
    city: object
    county_a: object
    county_b: object
    office_a1: object
    office_a2: object
    township_a: object
    village_a: object
    grid_a: object
    office_b1: object


class _ServiceFactory(factory.Factory):
    """A factory whose `create` calls a service function with keyword arguments (no model `save`)."""

    class Meta:
        abstract = True

    @classmethod
    def _service(cls):  # pragma: no cover - every concrete factory overrides it
        raise NotImplementedError

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError(f"{cls.__name__} only creates (through its service); use .create()")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls._service()(**kwargs)


class UnitFactory(_ServiceFactory):
    """A unit made by `org.services.unit_create` (actor None: the command line). Give `parent` and `kind`."""

    class Meta:
        model = dict  # unused: _create calls the service

    actor = None
    parent = None
    kind = "office"
    code = factory.Sequence(lambda n: f"F{n:04d}")
    name = factory.LazyAttribute(lambda o: f"单位{o.code}")

    @classmethod
    def _service(cls):
        from jiceng.org import services

        return services.unit_create


class CityFactory(UnitFactory):
    kind = "city"
    name = factory.LazyAttribute(lambda o: f"市局{o.code}")


class CountyFactory(UnitFactory):
    kind = "county"
    parent = factory.SubFactory(CityFactory)
    name = factory.LazyAttribute(lambda o: f"县局{o.code}")


class OfficeFactory(UnitFactory):
    kind = "office"
    parent = factory.SubFactory(CountyFactory)
    office_type = "township"
    name = factory.LazyAttribute(lambda o: f"基层所{o.code}")


class StaffFactory(_ServiceFactory):
    """A staff record made by `org.services.staff_create`; `unit` defaults to a new office."""

    class Meta:
        model = dict

    actor = None
    unit = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"职工{n}")
    gender = "m"
    education = "bachelor"
    employment_type = "on_establishment"
    post = "staff"

    @classmethod
    def _service(cls):
        from jiceng.org import services

        return services.staff_create


class UserFactory(_ServiceFactory):
    """An account made by `accounts.services.user_create`, with a role at `unit` when `role` is given.

    `UserFactory(role=Role.OFFICE_HEAD, unit=office)` grants the membership through
    `membership_grant`, so the 三员分立 conflicts are checked as in the product.
    """

    class Meta:
        model = dict

    role = None
    unit = None
    actor = None
    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda o: o.username)
    password = PASSWORD
    must_change_password = False

    @classmethod
    def _create(cls, model_class, *args, role=None, unit=None, **kwargs):
        from jiceng.accounts import services

        user = services.user_create(**kwargs)
        if role is not None:
            services.membership_grant(actor=None, user=user, unit=unit, role=role)
        return user


def _open(offset: int):
    def deadline(obj):
        from datetime import timedelta

        from jiceng.assessments.deadlines import local_today

        return local_today() + timedelta(days=30 + offset)

    return factory.LazyAttribute(deadline)


class CampaignFactory(_ServiceFactory):
    """A campaign made by `assessments.services.campaign_create`: the built-in scheme, deadlines still open.

    Give `actor` (a city administrator) or leave it None (the command line), `organiser` (the city) and
    `units` (the offices to enrol; None enrols every office under the organiser).
    """

    class Meta:
        model = dict

    actor = None
    organiser = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"测试考核{n}")
    scheme_id = "taizhou-office-2021"
    period_start = date(2021, 5, 10)
    period_end = date(2022, 4, 30)
    self_deadline = _open(0)
    review_deadline = _open(15)
    audit_deadline = _open(30)
    audit_mode = "all"
    sample_ratio = Decimal("1")
    seed = 1
    units = None

    @classmethod
    def _service(cls):
        from jiceng.assessments import services

        return services.campaign_create


def region_tree() -> Region:
    """The shared test region (see tests/conftest.py): one city, counties A and B, their offices, a grid."""
    city = CityFactory(name="测试市局", code="C")
    county_a = CountyFactory(parent=city, name="甲县局", code="CA")
    county_b = CountyFactory(parent=city, name="乙县局", code="CB")
    office_a1 = OfficeFactory(parent=county_a, name="甲一中心所", code="CA1", office_type="central")
    office_a2 = OfficeFactory(parent=county_a, name="甲二所", code="CA2")
    township_a = UnitFactory(parent=county_a, kind="township", name="甲镇", code="CAT")
    village_a = UnitFactory(parent=township_a, kind="village", name="甲村代办点", code="CATV")
    grid_a = UnitFactory(parent=village_a, kind="grid", name="甲村第1网格", code="CATVG")
    office_b1 = OfficeFactory(parent=county_b, name="乙一所", code="CB1")
    for unit in (office_a1, office_a2, office_b1, grid_a):
        make_staff(unit, post="head" if unit.kind == "office" else "grid_worker")
    return Region(city, county_a, county_b, office_a1, office_a2, township_a, village_a, grid_a, office_b1)


def make_staff(unit, **overrides):
    overrides.setdefault("name", f"职工{next(_codes)}")
    return StaffFactory(unit=unit, **overrides)


def make_user(username, role=None, unit=None, **extra):
    return UserFactory(username=username, role=role, unit=unit, **extra)


def open_deadlines(days: int = 30) -> dict:
    """Stage deadlines of a campaign still open today: self-evaluation in `days` days, then two weeks per stage.

    The assessment deadlines are enforced against the real date (the office
    cannot submit after its self-evaluation deadline), so a campaign whose
    offices submit in a test needs deadlines relative to today.
    """
    from datetime import timedelta

    from jiceng.assessments.deadlines import local_today

    self_deadline = local_today() + timedelta(days=days)
    return {
        "self_deadline": self_deadline,
        "review_deadline": self_deadline + timedelta(days=15),
        "audit_deadline": self_deadline + timedelta(days=30),
    }
