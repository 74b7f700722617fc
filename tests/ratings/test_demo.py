"""The staffing and ratings demo builders on a centre with the window's people and ended cases."""

from __future__ import annotations

from datetime import date

import pytest

from jiceng.ratings import demo as ratings_demo
from jiceng.ratings import inbox as ratings_inbox
from jiceng.ratings.models import Rating, Rectification
from jiceng.staffing import demo as staffing_demo
from jiceng.staffing import inbox as staffing_inbox
from jiceng.staffing.models import Breach, LeaveRequest, SignIn, WindowPost

from .conftest import finish, received

pytestmark = pytest.mark.django_db


def test_the_demo_builds_posts_attendance_ratings_and_to_dos(centre, people, item):
    for n in range(12):
        day = date(2026, 6, 1 + n)
        if day.weekday() < 5:
            finish(received(centre, people, item, day=day), people, day=day)
    assert staffing_demo.build() == 1 and staffing_demo.loaded()
    assert WindowPost.objects.count() == 2
    assert SignIn.objects.count() > 300  # a year of working days for two clerks
    assert set(Breach.objects.values_list("state", flat=True)) == {"confirmed", "dismissed", "proposed"}
    assert LeaveRequest.objects.filter(state="requested").count() == 1
    head_todo = {i.kind for i in staffing_inbox.items_for(people["head"])}
    assert head_todo == {"staffing.leave", "staffing.breach"}
    made = ratings_demo.build()
    assert made == Rating.objects.count() > 0
    assert ratings_demo.loaded()
    assert Rating.objects.filter(post__isnull=False).count() == made
    bad = Rating.objects.filter(level__lte=2).count()
    assert Rectification.objects.count() == bad
    assert isinstance(ratings_inbox.items_for(people["head"]), list)
