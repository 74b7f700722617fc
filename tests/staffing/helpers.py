"""Builders for the staffing and ratings tests: a centre head and window workers on the test region."""

from __future__ import annotations

from datetime import date

from factories import make_staff, make_user
from jiceng.staffing.models import WindowPost, Worker


def centre_head(region, username="centre_head"):
    return make_user(username, "centre_head", region.township_a)


def worker(region, username, *, kind="window", role="window_staff", unit=None, birth=date(1990, 5, 1),
           education="bachelor", work_since=date(2015, 1, 1), two_committees=False):
    unit = unit or region.township_a
    user = make_user(username, role, unit)
    staff = make_staff(unit, post="window", birth_date=birth, education=education)
    return Worker.objects.create(user=user, unit=unit, staff=staff, kind=kind, work_since=work_since,
                                 two_committees=two_committees)


def post(region, a, b, *, name="不动产登记窗口", a_since=date(2025, 1, 1), unit=None):
    return WindowPost.objects.create(unit=unit or region.township_a, name=name, holder_a=a, holder_b=b,
                                     a_since=a_since)
