"""Builders shared by the test suite (imported as `from factories import …`).

They live in a plain module rather than in conftest.py: several test packages
have a conftest of their own, and importing from "conftest" picks whichever
one was imported first.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

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


def make_staff(unit, **overrides):
    from jiceng.org import services

    fields = {
        "name": f"职工{next(_codes)}",
        "gender": "m",
        "education": "bachelor",
        "employment_type": "on_establishment",
        "post": "staff",
    }
    fields.update(overrides)
    return services.staff_create(actor=None, unit=unit, **fields)


def make_user(username, role=None, unit=None, **extra):
    from jiceng.accounts import services

    user = services.user_create(
        actor=None, username=username, full_name=username, password=PASSWORD, must_change_password=False, **extra
    )
    if role is not None:
        services.membership_grant(actor=None, user=user, unit=unit, role=role)
    return user


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
