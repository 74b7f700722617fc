"""Opinion dates (issue 12): the county's is not in the future, and the city's is not before the county's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.assessments import services
from jiceng.assessments.models import Status, Submission

from .conftest import fill_and_submit, fresh, full_items, sub_of

pytestmark = pytest.mark.django_db


def _reviewed(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    services.review_save(actor=more_users["county_reviewer"], submission=sub, expected_version=sub.version,
                         items=full_items(campaign))
    return fresh(sub)


def test_a_future_opinion_date_is_refused_and_nothing_moves(campaign, region, more_users):
    sub = _reviewed(campaign, region, more_users)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.submission_forward(actor=more_users["county_reviewer"], submission=sub,
                                    expected_version=sub.version, opinion="同意上报。", opinion_date=tomorrow)
    assert "opinion_date" in exc.value.message_dict
    assert "in the future" in exc.value.message_dict["opinion_date"][0]
    sub = fresh(sub)
    assert sub.status == Status.SUBMITTED and sub.opinion_date is None and sub.county_opinion == ""


def test_today_as_opinion_date_is_accepted(campaign, region, more_users):
    sub = _reviewed(campaign, region, more_users)
    today = timezone.localdate()
    services.submission_forward(actor=more_users["county_reviewer"], submission=sub, expected_version=sub.version,
                                opinion="同意上报。", opinion_date=today)
    assert fresh(sub).opinion_date == today


def test_the_city_cannot_close_an_audit_before_the_county_opinion_date(campaign, region, more_users):
    sub = _reviewed(campaign, region, more_users)
    services.submission_forward(actor=more_users["county_reviewer"], submission=sub, expected_version=sub.version,
                                opinion="同意上报。", opinion_date=timezone.localdate())
    # A date stored before the rule existed (or moved by hand) lies after today.
    later = timezone.localdate() + timedelta(days=3)
    Submission.objects.filter(pk=sub.pk).update(opinion_date=later, needs_audit=True)
    sub = fresh(sub)
    with pytest.raises(ValidationError) as exc:
        services.submission_audit(actor=more_users["city_admin"], submission=sub, expected_version=sub.version)
    assert "before the county's opinion date" in exc.value.messages[0]
    assert fresh(sub).status == Status.REVIEWED


def test_the_review_page_shows_the_future_date_refusal(campaign, region, more_users, client_for):
    sub = _reviewed(campaign, region, more_users)
    client = client_for(more_users["county_reviewer"])
    data = {"version": sub.version, "action": "forward", "opinion": "同意上报。",
            "opinion_date": f"{timezone.localdate() + timedelta(days=5):%Y-%m-%d}"}
    for item_id, entry in full_items(campaign).items():
        data[f"score_{item_id}"] = str(entry["score"])
    response = client.post(f"/assessments/submissions/{sub.pk}/review/", data)
    assert fresh(sub).status == Status.SUBMITTED
    assert response.status_code == 400
    assert "未来" in response.content.decode()
    assert sub_of(campaign, region.office_a1).opinion_date is None
