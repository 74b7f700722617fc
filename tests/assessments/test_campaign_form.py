"""The campaign form (issue 12): percentages, the sample ratio only in sample mode, one campaign per form (double
click), cancelling a campaign nobody started, and the publication's confirmation step."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.assessments import services
from jiceng.assessments.models import Campaign, Status
from jiceng.core.models import AuditEvent, EventType

from .conftest import fill_and_submit, fresh, new_campaign, review_and_forward

pytestmark = pytest.mark.django_db

URL = "/assessments/new/"


def _form(client):
    response = client.get(URL)
    assert response.status_code == 200
    token = response.context["form"].initial["form_token"]
    assert token and f'value="{token}"' in response.content.decode()
    return token


def _data(token, **extra):
    return {"form_token": token, "name": "2026年度考核", "scheme_id": "taizhou-office-2021",
            "period_start": "2026-01-01", "period_end": "2026-12-31", "self_deadline": "2026-12-20",
            "review_deadline": "2027-01-05", "audit_deadline": "2027-01-20", "audit_mode": "sample",
            "sample_ratio": "30", "seed": "5", "false_data_gap": "10", "target1_due": "2027-01-31",
            "target1_share": "50", "target2_due": "2027-04-30", "target2_share": "100", **extra}


def test_targets_and_the_sample_ratio_are_asked_as_percentages(region, more_users, client_for):
    client = client_for(more_users["city_admin"])
    page = client.get(URL).content.decode()
    assert "%" in page  # the labels say percentage; the hint gives an example
    response = client.post(URL, _data(_form(client)))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.sample_ratio == Decimal("0.3")
    assert [t.share for t in campaign.targets.order_by("due")] == [Decimal("0.5"), Decimal("1")]


def test_the_sample_ratio_is_not_required_outside_the_sample_mode(region, more_users, client_for):
    client = client_for(more_users["city_admin"])
    response = client.post(URL, _data(_form(client), audit_mode="all", sample_ratio=""))
    assert response.status_code == 302 and Campaign.objects.get().audit_mode == "all"


def test_the_sample_mode_needs_its_ratio(region, more_users, client_for):
    client = client_for(more_users["city_admin"])
    response = client.post(URL, _data(_form(client), sample_ratio=""))
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "sample_ratio" in response.context["form"].errors


def test_a_target_needs_both_date_and_percentage(region, more_users, client_for):
    client = client_for(more_users["city_admin"])
    response = client.post(URL, _data(_form(client), target2_share=""))
    assert "target2_share" in response.context["form"].errors and not Campaign.objects.exists()


def test_a_double_click_creates_one_campaign(region, more_users, client_for):
    client = client_for(more_users["city_admin"])
    data = _data(_form(client))
    first = client.post(URL, data)
    second = client.post(URL, data)
    campaign = Campaign.objects.get()
    assert first["Location"] == second["Location"] == f"/assessments/{campaign.pk}/"
    assert AuditEvent.objects.filter(event_type=EventType.CREATE, object_type="assessments.campaign").count() == 1
    # A new form (a new token) is a new campaign.
    client.post(URL, _data(_form(client), name="另一轮"))
    assert Campaign.objects.count() == 2


def test_the_service_creates_once_per_token(region, more_users):
    kwargs = {"form_token": "abc"}
    first = new_campaign(region, more_users["city_admin"], **kwargs)
    again, created = services.campaign_create_once(
        form_token="abc", actor=more_users["city_admin"], organiser=region.city, name="x",
        scheme_id="taizhou-office-2021", period_start=first.period_start, period_end=first.period_end,
        self_deadline=first.self_deadline, review_deadline=first.review_deadline,
        audit_deadline=first.audit_deadline, audit_mode="all")
    assert again == first and created is False and Campaign.objects.count() == 1


def test_a_campaign_nobody_started_can_be_cancelled_with_a_reason(region, more_users, client_for):
    campaign = new_campaign(region, more_users["city_admin"])
    client = client_for(more_users["city_admin"])
    url = reverse("assessments:campaign_cancel", args=[campaign.pk])
    assert 'data-testid="cancel-form"' in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400 and Campaign.objects.exists()
    response = client.post(url, {"reason": "方案选错，重新发起"})
    assert response.status_code == 302 and not Campaign.objects.exists()
    event = AuditEvent.objects.get(event_type=EventType.DELETE, object_type="assessments.campaign")
    assert event.reason == "方案选错，重新发起" and event.before["name"] == campaign.name


def test_a_campaign_with_work_in_it_cannot_be_cancelled(campaign, region, more_users, client_for):
    fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    with pytest.raises(Exception) as exc:
        services.campaign_cancel(actor=more_users["city_admin"], campaign=campaign, reason="误建")
    assert "already started" in str(exc.value)
    assert Campaign.objects.filter(pk=campaign.pk).exists() and campaign.submissions.count() == 3
    page = client_for(more_users["city_admin"]).get(reverse("assessments:campaign_detail", args=[campaign.pk]))
    assert 'data-testid="cancel-link"' not in page.content.decode()


def test_a_county_cannot_cancel(campaign, more_users, client_for):
    url = reverse("assessments:campaign_cancel", args=[campaign.pk])
    assert client_for(more_users["county_reviewer"]).post(url, {"reason": "x"}).status_code == 403
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_publishing_asks_for_confirmation_first(region, more_users, client_for):
    campaign = new_campaign(region, more_users["city_admin"], audit_mode="sample", sample_ratio="0.01",
                            units=[region.office_b1])
    sub = fill_and_submit(campaign, region.office_b1, more_users["other_county_head"])
    sub = review_and_forward(campaign, sub, more_users["county_b_reviewer"])
    if sub.needs_audit:
        services.submission_audit(actor=more_users["city_admin"], submission=sub, expected_version=sub.version)
    client = client_for(more_users["city_admin"])
    url = reverse("assessments:campaign_publish", args=[campaign.pk])
    page = client.get(url + f"?county={region.county_b.code}")
    assert page.status_code == 200 and 'data-testid="publish-confirm"' in page.content.decode()
    assert region.office_b1.name in page.content.decode()
    assert fresh(sub).status != Status.PUBLISHED  # showing the step publishes nothing
    client.post(url, {"county": region.county_b.code})
    assert fresh(sub).status == Status.PUBLISHED


def test_the_confirmation_lists_what_holds_publication_back(campaign, region, more_users, client_for):
    page = client_for(more_users["city_admin"]).get(reverse("assessments:campaign_publish", args=[campaign.pk]))
    body = page.content.decode()
    assert 'data-testid="publish-waiting"' in body and 'data-testid="publish-confirm"' not in body
    assert region.office_a1.name in body
