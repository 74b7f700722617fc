"""Pages issue a constant number of queries whatever the number of offices and staff (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import make_staff
from jiceng.org import services


def _grow(region, users, offices):
    """Add offices to county A, each with a head, a deputy and two staff."""
    for index in range(offices):
        office = services.unit_create(
            actor=users["city_admin"], parent=region.county_a, kind="office", name=f"扩充{index}所",
            code=f"GROW{index}", office_type="township", floor_area=30, computers=4, networked=True,
        )
        for post in ("head", "deputy_head", "staff", "window"):
            make_staff(office, post=post)


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = [
    ("home", lambda r: reverse("home"), {}),
    ("staff list", lambda r: reverse("org:staff_list"), {}),
    ("staff rows (htmx)", lambda r: reverse("org:staff_list"), {"HTTP_HX_REQUEST": "true"}),
    ("unit detail", lambda r: reverse("org:unit_detail", args=[r.county_a.pk]), {}),
    ("office detail", lambda r: reverse("org:unit_detail", args=[r.office_a1.pk]), {}),
    ("unit tree", lambda r: reverse("org:unit_tree"), {}),
    ("unit children (htmx)", lambda r: reverse("org:unit_children", args=[r.county_a.pk]), {"HTTP_HX_REQUEST": "true"}),
]


@pytest.mark.parametrize("label, url, extra", PAGES, ids=[p[0] for p in PAGES])
def test_the_page_costs_the_same_with_2_or_20_offices(client_for, region, users, label, url, extra):
    client = client_for(users["county_reviewer"])
    _grow(region, users, 0)
    client.get(url(region), **extra)  # the first request of a session writes the session clock
    small = _queries(client, url(region), **extra)
    _grow(region, users, 18)
    for index in range(3):  # and some staff on the office's own page
        make_staff(region.office_a1, post="staff", name=f"多{index}")
    large = _queries(client, url(region), **extra)
    assert large == small, f"{label}: {small} queries with 2 offices, {large} with 20"


def test_the_home_page_stays_under_a_small_budget(client_for, region, users, django_assert_max_num_queries):
    client = client_for(users["city_admin"])
    _grow(region, users, 20)
    client.get(reverse("home"))
    # The to-do list adds each inbox source's few queries (assessments: six; each ledger app's one or two), the
    # reminders and the read marks; tests/test_list_query_counts.py checks that none of it grows with the units.
    from jiceng.core import registry

    with django_assert_max_num_queries(10 + 2 * len(registry.inbox_sources())):
        response = client.get(reverse("home"))
    assert len(response.context["offices"]) == 23
