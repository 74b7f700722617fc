"""Reviewers accept the office's score per item or for all (issue 12), and the queues list only what waits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.assessments.models import ItemMark, Level, Status

from .conftest import fill_and_submit, fresh, full_items, review_and_forward, scheme_of, sub_of

pytestmark = pytest.mark.django_db


def _county_scores(sub):
    return {m.item_id: m.score for m in ItemMark.objects.filter(submission=sub, level=Level.COUNTY)}


def _office_items(campaign):
    cs = scheme_of(campaign)
    # The office takes half a point off its first item.
    first = cs.ids[0]
    return full_items(campaign, lambda item_id, top: top - Decimal("0.5") if item_id == first else top), first


def test_accept_all_copies_the_office_scores_into_every_unscored_item(campaign, region, more_users, client_for):
    items, first = _office_items(campaign)
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items=items)
    client = client_for(more_users["county_reviewer"])
    url = reverse("assessments:submission_review", args=[sub.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="accept-all"' in page and f'data-testid="accept-{first}"' in page
    cs = scheme_of(campaign)
    second = cs.ids[1]
    # The reviewer types a lower score on the second item (with its comment) and accepts the rest.
    response = client.post(url, {"version": sub.version, "action": "accept_all",
                                 f"score_{second}": "0", f"comment_{second}": "现场未见制度上墙"})
    assert response.status_code == 302
    county = _county_scores(fresh(sub))
    assert len(county) == len(cs.ids)
    assert county[first] == items[first]["score"]  # the office's own, not the maximum
    assert county[second] == 0  # what was typed stays
    assert fresh(sub).status == Status.SUBMITTED


def test_accept_one_item(campaign, region, more_users, client_for):
    items, first = _office_items(campaign)
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items=items)
    client = client_for(more_users["county_reviewer"])
    url = reverse("assessments:submission_review", args=[sub.pk])
    assert client.post(url, {"version": sub.version, "action": f"accept:{first}"}).status_code == 302
    assert _county_scores(fresh(sub)) == {first: items[first]["score"]}


def test_the_review_queue_lists_only_what_waits(campaign, region, more_users, client_for):
    a1 = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    review_and_forward(campaign, a1, more_users["county_reviewer"])  # already reviewed
    fill_and_submit(campaign, region.office_a2, more_users["office_a2_head"])  # waiting
    client = client_for(more_users["county_reviewer"])
    url = reverse("assessments:review_queue", args=[campaign.pk])
    subs = client.get(url).context["subs"]
    assert [s.unit for s in subs] == [region.office_a2]
    everything = client.get(url + "?all=1").context["subs"]
    assert {s.unit for s in everything} == {region.office_a1, region.office_a2}
    assert sub_of(campaign, region.office_a1).status == Status.REVIEWED
