"""The home page is each role's to-do list (issue 12): every inbox source's items, grouped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.assessments import services
from jiceng.assessments.models import Submission
from jiceng.inbox.items import Item, group_of

from .conftest import fill_and_submit, fresh, new_campaign, review_and_forward, sub_of

pytestmark = pytest.mark.django_db


def _group(response, name):
    groups = {g["name"]: g["items"] for g in response.context["groups"]}
    return groups.get(name, [])


def _days(n):
    return timezone.localdate() + timedelta(days=n)


def test_the_office_sees_its_self_evaluation_due_one_click_away(campaign, region, more_users, client_for):
    response = client_for(more_users["office_head"]).get(reverse("home"))
    due = _group(response, "due")
    assert [i.kind for i in due] == ["due"]
    self_url = reverse("assessments:submission_self", args=[sub_of(campaign, region.office_a1).pk])
    assert due[0].url == self_url
    assert f'href="{self_url}"' in response.content.decode()  # one click from the home page
    # The head of another county's office sees only its own.
    other = client_for(more_users["other_county_head"]).get(reverse("home"))
    assert [i.url for i in _group(other, "due")] == [
        reverse("assessments:submission_self", args=[sub_of(campaign, region.office_b1).pk])]


def test_the_office_sees_a_return_with_its_reason(campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    services.submission_return(actor=more_users["county_reviewer"], submission=sub, expected_version=sub.version,
                               reason="台账照片缺失")
    response = client_for(more_users["office_head"]).get(reverse("home"))
    returned = _group(response, "returned")
    assert len(returned) == 1 and returned[0].body == "台账照片缺失"
    assert "台账照片缺失" in response.content.decode()
    assert _group(response, "due") == []  # the return replaces the draft's due line


def test_the_county_sees_what_waits_for_review_and_what_is_overdue(region, more_users, client_for):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city)
    fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["county_reviewer"])
    waiting = _group(client.get(reverse("home")), "waiting")
    assert [i.kind for i in waiting] == ["review"]
    assert waiting[0].url == reverse("assessments:review_queue", args=[campaign.pk])
    assert "1" in waiting[0].title
    # The self-evaluation deadline passes with 甲二所 still in draft: overdue for the county.
    campaign.self_deadline = _days(-1)
    campaign.save(update_fields=["self_deadline"])
    overdue = _group(client.get(reverse("home")), "overdue")
    assert [i.kind for i in overdue] == ["late"]
    assert overdue[0].title.startswith("1 ")  # only 甲二所 of county A is late; 乙 is not this county's
    # The other county's reviewer does not see county A's queue.
    other = client_for(more_users["county_b_reviewer"]).get(reverse("home"))
    assert _group(other, "waiting") == []


def test_the_city_sees_what_waits_for_audit_and_publication(campaign, region, more_users, client_for):
    a1 = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    a2 = fill_and_submit(campaign, region.office_a2, more_users["office_a2_head"])
    a1 = review_and_forward(campaign, a1, more_users["county_reviewer"])
    a2 = review_and_forward(campaign, a2, more_users["county_reviewer"])
    Submission.objects.filter(pk=a1.pk).update(needs_audit=True)
    Submission.objects.filter(pk=a2.pk).update(needs_audit=False)
    response = client_for(more_users["city_admin"]).get(reverse("home"))
    kinds = sorted(i.kind for i in _group(response, "waiting"))
    assert kinds == ["audit", "publish"]
    publish = next(i for i in _group(response, "waiting") if i.kind == "publish")
    assert publish.title.startswith("1 ") and publish.url == reverse("assessments:campaign_detail",
                                                                       args=[campaign.pk])
    # Closing the audit moves the office from "to audit" to "to publish".
    services.submission_audit(actor=more_users["city_admin"], submission=fresh(a1), expected_version=fresh(a1).version)
    response = client_for(more_users["city_admin"]).get(reverse("home"))
    waiting = _group(response, "waiting")
    assert [i.kind for i in waiting] == ["publish"] and waiting[0].title.startswith("2 ")


def test_a_role_with_nothing_to_do_is_told_so(campaign, more_users, client_for):
    response = client_for(more_users["window_staff"]).get(reverse("home"))
    assert response.context["groups"] == []
    assert 'data-testid="todo-empty"' in response.content.decode()


def _ledger_source(user):
    return [Item(key="ledger:1", kind="approve", title="待审批的台账 1", url="/ledgers/"),
            Item(key="ledger:2", kind="visit", title="本周走访", due=timezone.localdate() + timedelta(days=2))]


def test_the_page_shows_any_registered_source_without_knowing_its_app(settings, more_users, client_for):
    settings.INBOX_SOURCES = [f"{__name__}._ledger_source"]
    response = client_for(more_users["grid_worker"]).get(reverse("home"))
    assert [i.title for i in _group(response, "waiting")] == ["待审批的台账 1"]
    assert [i.title for i in _group(response, "due")] == ["本周走访"]
    assert "本周走访" in response.content.decode()


def test_grouping_rules():
    today = timezone.localdate()
    assert group_of(Item(key="a", kind="returned", title="", due=today - timedelta(days=3)), today) == "returned"
    assert group_of(Item(key="b", kind="review", title="", due=today - timedelta(days=1)), today) == "overdue"
    assert group_of(Item(key="c", kind="review", title="", due=today), today) == "waiting"
    assert group_of(Item(key="d", kind="due", title="", due=today), today) == "due"
    assert group_of(Item(key="e", kind="result", title=""), today) == "news"
