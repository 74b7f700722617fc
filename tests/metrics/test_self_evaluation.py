"""End to end through the pages: an office claims full marks on 3.3.1 while its petition ledger shows 80 %
closure → the self-evaluation form shows the figure and warns → on submitting, a 数据不实 flag → the county's
review page shows both figures → the reviewer confirms it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse

from assessments.conftest import fresh, new_campaign, sub_of
from assessments.test_evidence import png_bytes
from assessments.test_views import self_post
from jiceng.assessments.models import Status
from jiceng.assessments.schemes import builtin_source
from jiceng.metrics import compute
from jiceng.metrics.indicators import PERCENT, Count, Indicator
from jiceng.metrics.models import DataFlag, FlagState, FrozenValue
from ledger_app.models import Case

pytestmark = pytest.mark.django_db

RULE = "            rule: {type: threshold, metric: 信访办结率, target: 0.95}\n"


@pytest.fixture
def bound_campaign(isolated_indicators, region, more_users):
    isolated_indicators.register(Indicator(
        id="test.petition_closure", app="ledger_app", name="信访办结率", unit=PERCENT, grain="month",
        model="ledger_app.Case", numerator=Count(filter=Q(state="closed")), denominator=Count(), factor=100))
    for index in range(10):
        Case.objects.create(unit=region.office_a1, subject=f"信访{index}", state="closed" if index < 8 else "open",
                            opened_on=date(2022, 3, 1 + index))
    compute.compute_all()
    text = builtin_source("taizhou-office-2021")
    assert RULE in text
    text = text.replace(RULE, RULE + "            indicator: test.petition_closure\n", 1)
    return new_campaign(region, more_users["city_admin"], scheme_id=None, scheme_text=text)


def test_an_unknown_binding_refuses_the_campaign(isolated_indicators, region, more_users):
    from django.core.exceptions import ValidationError

    text = builtin_source("taizhou-office-2021").replace(RULE, RULE + "            indicator: test.nothing\n", 1)
    with pytest.raises(ValidationError) as refused:
        new_campaign(region, more_users["city_admin"], scheme_id=None, scheme_text=text)
    assert "test.nothing" in str(refused.value.message_dict["scheme_id"])


def test_over_claim_warns_flags_and_the_county_confirms(bound_campaign, region, more_users, client_for):
    client = client_for(more_users["office_head"])
    sub = sub_of(bound_campaign, region.office_a1)
    url = reverse("assessments:submission_self", args=[sub.pk])
    assert client.post(url, self_post(bound_campaign, sub, **{
        "file_2.2": SimpleUploadedFile("门牌.png", png_bytes())})).status_code == 302
    page = client.get(url).content.decode()
    figure = page[page.index('id="item-3.3.1"'):page.index('id="item-3.3.2"')]
    assert 'data-testid="item-figure"' in figure and "<strong>80</strong>" in figure
    assert 'data-testid="suggested-score">0<' in figure
    assert 'data-testid="over-claim"' in figure
    assert 'data-testid="over-claim"' not in page[page.index('id="item-3.3.2"'):]

    assert client.post(url, {**self_post(bound_campaign, fresh(sub)), "submit": "1"}).status_code == 302
    assert fresh(sub).status == Status.SUBMITTED
    flag = DataFlag.objects.get(key=f"submission:{sub.pk}")
    assert (flag.item, flag.claimed, flag.supported, flag.value, flag.numerator, flag.denominator) == (
        "3.3.1", 1.5, 0, 80.0, 8, 10)
    frozen = FrozenValue.objects.get(key=f"campaign:{bound_campaign.pk}", unit=region.office_a1)
    assert (frozen.indicator, frozen.period, frozen.numerator, frozen.denominator) == (
        "test.petition_closure", "2022", 8, 10)

    reviewer = client_for(more_users["county_reviewer"])
    review = reviewer.get(reverse("assessments:submission_review", args=[sub.pk])).content.decode()
    assert 'data-testid="data-flag-3.3.1"' in review and "80 (8/10)" in review
    answer = reviewer.post(reverse("metrics:flag_decide", args=[flag.pk]), {"decision": "confirm"})
    assert answer.status_code == 302 and answer["Location"] == reverse("assessments:submission_review", args=[sub.pk])
    flag.refresh_from_db()
    assert flag.state == FlagState.CONFIRMED and flag.decided_by == more_users["county_reviewer"]
