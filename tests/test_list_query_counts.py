"""The main list pages and dashboards cost the same number of queries with 2 offices or with 7 (no N+1).

Each page is rendered, k offices (with staff) are added under county A, and the
page is rendered again (tests/querycount.py). Campaign pages are rendered for a
campaign over the offices before and for a new campaign over all of them after.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from factories import CampaignFactory
from querycount import assert_flat, extra_queries, grow_offices, shape

LIST_PAGES = [
    ("home", "home", {}),
    ("unit list", "org:unit_tree", {}),
    ("staff list", "org:staff_list", {}),
    ("staff rows (htmx)", "org:staff_list", {"HTTP_HX_REQUEST": "true"}),
    ("audit list", "core:audit_list", {}),
    ("inbox", "inbox:inbox", {}),
]


def _role_for(name):
    # The audit trail is the audit administrator's page; the rest are the county reviewer's.
    return "audit_admin" if name == "core:audit_list" else "county_reviewer"


@pytest.mark.parametrize("label, name, extra", LIST_PAGES, ids=[p[0] for p in LIST_PAGES])
def test_a_list_page_does_not_grow_with_the_units(label, name, extra, client_for, region, users):
    client = client_for(users[_role_for(name)])
    assert_flat(lambda: client.get(reverse(name), **extra), lambda k: grow_offices(region.county_a, k), label=label)


def _offices(region):
    from jiceng.org.models import Unit

    return list(Unit.objects.filter(kind="office", path__startswith=region.county_a.path))


CAMPAIGN_PAGES = [
    ("campaign list", "assessments:campaign_list", False, "city_admin"),
    ("dashboard (city)", "assessment_outputs:dashboard", True, "city_admin"),
    ("dashboard (county)", "assessment_outputs:dashboard", True, "county_reviewer"),
    ("campaign detail", "assessments:campaign_detail", True, "county_reviewer"),
    ("review queue", "assessments:review_queue", True, "county_reviewer"),
    ("audit queue", "assessments:audit_queue", True, "city_admin"),
]


@pytest.mark.parametrize("label, name, takes_pk, role", CAMPAIGN_PAGES, ids=[p[0] for p in CAMPAIGN_PAGES])
def test_a_campaign_page_does_not_grow_with_the_enrolled_units(label, name, takes_pk, role, client_for, region,
                                                                users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    city = users["city_admin"]
    current = {"campaign": CampaignFactory(actor=city, organiser=region.city, units=_offices(region))}
    client = client_for(users[role])

    def render():
        kwargs = {"pk": current["campaign"].pk} if takes_pk else {}
        return client.get(reverse(name, kwargs=kwargs))

    def grow(k):
        grow_offices(region.county_a, k)
        current["campaign"] = CampaignFactory(actor=city, organiser=region.city, units=_offices(region))

    assert_flat(render, grow, label=label)


def test_the_message_names_both_counts_and_the_repeated_query(client_for, region, users):
    """The helper itself: a page that queries once per unit fails, and says which query repeats."""
    from jiceng.org.models import Unit

    def render():
        for unit in Unit.objects.all():
            list(Unit.objects.filter(pk=unit.pk))

        class Ok:
            status_code = 200

        return Ok()

    with pytest.raises(AssertionError) as failure:
        assert_flat(render, lambda k: grow_offices(region.county_a, k), k=2, label="n+1 page")
    message = str(failure.value)
    assert "n+1 page:" in message and " queries before adding 2 units, " in message
    assert '+2× SELECT "org_unit"' in message


def test_extra_queries_compares_shapes_not_literals():
    small = ['SELECT 1 FROM t WHERE id = 4']
    large = ['SELECT 1 FROM t WHERE id = 5', "SELECT 1 FROM t WHERE id = 6 AND name = 'x'"]
    assert shape(large[1]) == "SELECT ? FROM t WHERE id = ? AND name = ?"
    assert extra_queries(small, large) == [(1, "SELECT ? FROM t WHERE id = ? AND name = ?")]
