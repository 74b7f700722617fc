"""core.scoping.holds, the single check, agrees with the query filter for every user and unit (issue 11, item 2)."""

from __future__ import annotations

import pytest

from jiceng.core.scoping import EDIT, VIEW, holds
from jiceng.org.models import Unit


@pytest.mark.parametrize("action", [VIEW, EDIT])
def test_holds_agrees_with_the_scoped_queryset_for_every_user_and_unit(users, action):
    units = list(Unit.objects.all())
    checked = 0
    for user in users.values():
        in_query = set(Unit.objects.all()._restrict(user, action).values_list("pk", flat=True))
        for unit in units:
            assert holds(user, action, unit) == (unit.pk in in_query), (user.username, unit.code, action)
            checked += 1
    assert checked == len(users) * len(units) > 0


def test_a_county_reviewer_holds_its_own_offices_and_not_the_sibling_county(users, region):
    reviewer = users["county_reviewer"]
    assert holds(reviewer, VIEW, region.office_a1)
    assert not holds(reviewer, VIEW, region.office_b1)
    assert not holds(reviewer, VIEW, region.city)


def test_nobody_holds_anything_when_inactive_or_without_a_unit(users, region):
    head = users["office_head"]
    assert not holds(head, VIEW, None)
    assert not holds(None, VIEW, region.office_a1)
    head.is_active = False
    assert not holds(head, VIEW, region.office_a1)
