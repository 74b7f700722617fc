"""好差评: links with unguessable tokens, once per visit / once per case, 差评 → rectification; the bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from jiceng.core.models import AuditEvent
from jiceng.ratings import services, tokens
from jiceng.ratings.models import Rating, RatingInvite, Rectification

from .conftest import at, finish, received

pytestmark = pytest.mark.django_db
ONSITE_ALL = {"overall": "5", "efficiency": "5", "skill": "4", "attitude": "5"}


def _bad(level="2"):
    return {"overall": level, "efficiency": "2", "skill": "3", "attitude": "1", "comment": "等了很久，态度生硬"}


def test_only_the_hash_of_the_token_is_stored(ended_case, people):
    invite, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    assert len(token) >= 40
    assert invite.token_hash == tokens.token_hash(token) != token
    assert not RatingInvite.objects.filter(token_hash=token).exists()


def test_a_good_rating_opens_nothing_and_is_recorded(ended_case, people):
    _, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    rating = services.rate(token=token, data=ONSITE_ALL)
    assert (rating.level, rating.handler, rating.real_name) == (5, ended_case.handler, True)
    assert rating.scores == {"overall": 5, "efficiency": 5, "skill": 4, "attitude": 5}
    assert not Rectification.objects.exists()
    assert AuditEvent.objects.filter(actor_name="applicant", object_id=str(rating.pk)).exists()


def test_a_poor_rating_opens_a_rectification_owned_by_the_handler_on_the_working_day_clock(ended_case, people):
    _, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    rating = services.rate(token=token, data=_bad(), now=at(2026, 9, 30, 15))
    row = Rectification.objects.get(rating=rating)
    assert row.owner == ended_case.handler and row.state == "open"
    # rated Wed 30 Sep 2026: the National Day and Mid-Autumn holidays are 1-7 Oct, Sat 10 Oct is worked,
    # so 5 working days from the next day are 8, 9, 10, 12 and 13 Oct
    assert row.callback_due == date(2026, 10, 13)
    assert row.due_on == row.callback_due
    assert row.fix_due > row.callback_due
    assert "差评回访" in row.deadline.explain()


def test_a_second_rating_through_the_same_link_is_refused_and_nothing_is_saved(ended_case, people):
    _, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    services.rate(token=token, data=ONSITE_ALL)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="already|已"):
        services.rate(token=token, data=_bad())
    assert Rating.objects.count() == 1 and not Rectification.objects.exists()
    assert AuditEvent.objects.count() == events


def test_on_site_once_per_visit_online_once_per_case(ended_case, people):
    _, first = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    _, second = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    services.rate(token=first, data=ONSITE_ALL)
    services.rate(token=second, data=ONSITE_ALL)  # another visit, another rating (一次一评)
    online = {"overall": "4", "efficiency": "4", "guide": "5", "convenience": "4", "platform": "3"}
    _, token = services.issue_invite(actor=people["window"], case=ended_case, channel="online")
    services.rate(token=token, data=online)
    with pytest.raises(ValidationError, match="online already|已"):
        services.issue_invite(actor=people["window"], case=ended_case, channel="online")
    assert Rating.objects.filter(case=ended_case).count() == 3


def test_an_unfinished_case_cannot_be_rated(centre, people, item):
    case = received(centre, people, item)
    _, token = services.issue_invite(actor=people["window"], case=case, channel="onsite")
    with pytest.raises(ValidationError, match="not finished|尚未|未办结"):
        services.rate(token=token, data=ONSITE_ALL)
    assert not Rating.objects.exists()
    # once delivered the same link works
    finish(case, people)
    assert services.rate(token=token, data=ONSITE_ALL).level == 5


def test_forged_unknown_and_expired_tokens_are_404(ended_case, people):
    invite, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, "../../etc", ""):
        with pytest.raises(Http404):
            services.invite_for(bad)
    with pytest.raises(Http404):
        services.invite_for(token, now=invite.expires_at + timedelta(seconds=1))
    assert services.invite_for(token).pk == invite.pk


def test_every_dimension_must_be_rated_naming_the_missing_one(ended_case, people):
    _, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    with pytest.raises(ValidationError) as exc:
        services.rate(token=token, data={"overall": "5", "efficiency": "9", "skill": "4"})
    assert set(exc.value.message_dict) == {"efficiency", "attitude"}
    assert not Rating.objects.exists()


def test_the_public_page_rates_and_refuses_a_second_time(client, ended_case, people):
    _, token = services.issue_invite(actor=people["window"], case=ended_case, channel="onsite")
    url = reverse("ratings_public:rate", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, _bad())
    assert response.status_code == 200 and Rectification.objects.count() == 1
    again = client.post(url, ONSITE_ALL)
    assert again.status_code == 409
    assert Rating.objects.count() == 1
    assert client.get(reverse("ratings_public:rate", args=["A" * 43])).status_code == 404


def test_the_invite_page_shows_a_qr_code_of_the_link(client_for, ended_case, people):
    response = client_for(people["window"]).post(reverse("ratings:invite", args=[ended_case.pk]), {"channel": "onsite"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and "/rate/" in text
