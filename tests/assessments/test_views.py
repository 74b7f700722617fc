"""The pages: office form, county review, city audit, results with history, campaign progress."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jiceng.assessments import services
from jiceng.assessments.models import Evidence, ItemMark, Status

from .conftest import (
    DECLARATION,
    fill_and_submit,
    fresh,
    full_items,
    new_campaign,
    review_and_forward,
    sub_of,
)
from .test_evidence import png_bytes


def self_post(campaign, sub, **extra):
    data = {"version": sub.version, **DECLARATION, "decl_name": sub.decl_name, "decl_head": sub.decl_head,
            "decl_staff_count": sub.decl_staff_count}
    for item_id, entry in full_items(campaign).items():
        data[f"score_{item_id}"] = str(entry["score"])
        data[f"comment_{item_id}"] = ""
        data[f"claim_{item_id}"] = ""
    data.update(extra)
    return data


def page_version(response) -> int:
    """The version the form on a page carries (its hidden input), i.e. what the next post will send."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', response.content.decode())
    assert match, "the page has no version field"
    return int(match.group(1))


def review_post(campaign, sub, **extra):
    data = {"version": fresh(sub).version, "reason": "", "opinion": "", "opinion_date": "", "return_reason": ""}
    for item_id, entry in full_items(campaign).items():
        data[f"score_{item_id}"] = str(entry["score"])
        data[f"comment_{item_id}"] = ""
    data.update(extra)
    return data


def test_office_fills_in_saves_and_submits_through_the_form(campaign, region, more_users, client_for):
    client = client_for(more_users["office_head"])
    sub = sub_of(campaign, region.office_a1)
    url = reverse("assessments:submission_self", args=[sub.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "按照市局视觉形象识别系统统一办公场所布置及标识" in body  # the standard's own text, in Chinese
    assert 'step="0.5"' in body
    data = self_post(campaign, sub, **{"file_2.2": SimpleUploadedFile("门牌.png", png_bytes())})
    data["score_2.2"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert Evidence.objects.get(submission=sub).item_id == "2.2"
    response = client.post(url, {**self_post(campaign, fresh(sub)), "score_2.2": "", "submit": "1"})
    assert response.status_code == 400
    assert "2.2" in response.content.decode() and fresh(sub).status == Status.DRAFT
    response = client.post(url, {**self_post(campaign, fresh(sub)), "submit": "1"})
    assert response.status_code == 302 and fresh(sub).status == Status.SUBMITTED


def test_an_incomplete_submit_saves_the_draft_says_so_and_the_next_save_is_no_conflict(campaign, region, more_users,
                                                                                     client_for):
    client = client_for(more_users["office_head"])
    sub = sub_of(campaign, region.office_a1)
    url = reverse("assessments:submission_self", args=[sub.pk])
    before = sub.version
    response = client.post(url, {**self_post(campaign, sub), "score_2.2": "", "comment_1.1": "先存", "submit": "1"})
    assert response.status_code == 400 and fresh(sub).status == Status.DRAFT
    assert fresh(sub).marks.get(item_id="1.1", level="self").comment == "先存"
    with translation.override("zh-hans"):
        saved = _("Draft saved, but not submitted to the county:")
    assert [str(m) for m in response.context["messages"]] == [saved]
    assert any("2.2" in e for e in response.context["form"].non_field_errors())
    assert page_version(response) == fresh(sub).version == before + 1
    response = client.post(url, {**self_post(campaign, fresh(sub)), "version": page_version(response),
                                 "score_2.2": "1"})
    assert response.status_code == 302 and fresh(sub).marks.get(item_id="2.2", level="self").score == 1


def test_a_bad_score_is_shown_next_to_its_item(campaign, region, more_users, client_for):
    client = client_for(more_users["office_head"])
    sub = sub_of(campaign, region.office_a1)
    response = client.post(reverse("assessments:submission_self", args=[sub.pk]),
                           {**self_post(campaign, sub), "score_1.1": "7"})
    assert response.status_code == 400
    assert "1.1" in response.content.decode()
    assert not ItemMark.objects.filter(submission=sub).exists()


def test_the_return_reason_is_shown_to_the_office(campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["county_reviewer"])
    url = reverse("assessments:submission_review", args=[sub.pk])
    response = client.post(url, review_post(campaign, sub, action="return", return_reason="缺少会审记录"))
    assert response.status_code == 302 and fresh(sub).status == Status.RETURNED
    client = client_for(more_users["office_head"])
    page = client.get(reverse("assessments:submission_self", args=[sub.pk]))
    assert "缺少会审记录" in page.content.decode()


def test_county_reviews_and_forwards_through_the_page(campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["county_reviewer"])
    url = reverse("assessments:submission_review", args=[sub.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, review_post(campaign, sub, action="forward", opinion="同意", opinion_date="2021-10-01"))
    assert response.status_code == 302
    sub = fresh(sub)
    assert sub.status == Status.REVIEWED and sub.county_opinion == "同意" and str(sub.opinion_date) == "2021-10-01"


def test_a_refused_forward_keeps_the_saved_review_and_the_typed_opinion_without_a_conflict(
        campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["county_reviewer"])
    url = reverse("assessments:submission_review", args=[sub.pk])
    # Item 2.2 left blank: the scores are saved, the forward is refused.
    response = client.post(url, review_post(campaign, sub, action="forward", opinion="基本同意", **{"score_2.2": ""}))
    assert response.status_code == 400 and fresh(sub).status == Status.SUBMITTED
    assert ItemMark.objects.filter(submission=sub, level="county").count() == len(full_items(campaign)) - 1
    with translation.override("zh-hans"):
        saved = _("Review saved, but not forwarded to the city:")
    assert [str(m) for m in response.context["messages"]] == [saved]
    assert "基本同意" in response.content.decode()  # the opinion typed is still in the form
    assert page_version(response) == fresh(sub).version
    response = client.post(url, review_post(campaign, sub, version=page_version(response), action="forward",
                                            opinion="基本同意"))
    assert response.status_code == 302 and fresh(sub).status == Status.REVIEWED


def test_a_stale_review_is_refused_with_the_current_values(campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    stale = sub.version
    services.review_save(actor=more_users["county_reviewer_2"], submission=sub, expected_version=stale,
                         items={"1.1": {"score": 2, "comment": "先到者的意见"}})
    client = client_for(more_users["county_reviewer"])
    response = client.post(reverse("assessments:submission_review", args=[sub.pk]),
                           {**review_post(campaign, sub), "version": stale, "action": "save"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "先到者的意见" in body  # the other reviewer's current values are on the page
    assert ItemMark.objects.filter(submission=sub, level="county").count() == 1


def test_the_other_county_gets_404_everywhere(campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["county_b_reviewer"])
    for name in ("submission_detail", "submission_self", "submission_review", "submission_audit"):
        assert client.get(reverse(f"assessments:{name}", args=[sub.pk])).status_code == 404, name
    client = client_for(more_users["other_county_head"])
    assert client.get(reverse("assessments:submission_detail", args=[sub.pk])).status_code == 404


def test_an_office_cannot_open_the_review_or_audit_page(campaign, region, more_users, client_for):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["office_head"])
    assert client.get(reverse("assessments:submission_detail", args=[sub.pk])).status_code == 200
    assert client.get(reverse("assessments:submission_review", args=[sub.pk])).status_code == 404
    assert client.get(reverse("assessments:submission_audit", args=[sub.pk])).status_code == 404


def test_city_audits_publishes_and_the_office_sees_the_result_and_history(region, more_users, heads, client_for):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, audit_mode="all")
    subs = []
    for unit in (region.office_a1, region.office_a2):
        sub = fill_and_submit(campaign, unit, heads[unit.pk])
        subs.append(review_and_forward(campaign, sub, more_users["county_reviewer"]))
    client = client_for(city)
    url = reverse("assessments:submission_audit", args=[subs[0].pk])
    assert client.get(url).status_code == 200
    data = {"version": subs[0].version, "reason": "", "opinion": "", "action": "save", "score_2.5": "3"}
    assert client.post(url, data).status_code == 400  # an override without a reason
    data.update(reason="现场卫生差", action="close", opinion="抽查扣分")
    assert client.post(url, data).status_code == 302
    assert fresh(subs[0]).status == Status.AUDITED
    services.submission_audit(actor=city, submission=subs[1], expected_version=subs[1].version)
    response = client.post(reverse("assessments:campaign_publish", args=[campaign.pk]), {"county": "CA"})
    assert response.status_code == 302
    client = client_for(more_users["office_head"])
    page = client.get(reverse("assessments:submission_detail", args=[subs[0].pk])).content.decode()
    assert "达标" in page and "总分99分（满分100分），评定为达标" in page
    assert "现场卫生差" in page  # the timeline names the reason of the override
    item_page = client.get(reverse("assessments:submission_detail", args=[subs[0].pk]) + "?item=2.5")
    assert "现场卫生差" in item_page.content.decode()
    other_item = client.get(reverse("assessments:submission_detail", args=[subs[0].pk]) + "?item=1.5")
    assert "现场卫生差" not in other_item.content.decode()


def test_the_campaign_page_shows_progress_and_targets(campaign, region, more_users, client_for):
    fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    client = client_for(more_users["city_admin"])
    page = client.get(reverse("assessments:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "甲县局" in body and "乙县局" in body and "2021年10月31日" in body
    assert str(campaign.seed) in body
    # An office sees the campaign but neither the seed nor the other offices.
    body = client_for(more_users["office_head"]).get(reverse("assessments:campaign_detail", args=[campaign.pk]))
    assert str(campaign.seed) not in body.content.decode() and "乙一所" not in body.content.decode()


def _campaign_with_offices(region, city, n):
    from jiceng.org import services as org_services

    for i in range(n - 3):
        org_services.unit_create(actor=None, parent=region.county_b, kind="office", name=f"乙{i + 2}所",
                                 code=f"CBX{i:02d}", office_type="township")
    return new_campaign(region, city)


@pytest.mark.parametrize("page", ["campaign_detail", "campaign_list"])
def test_campaign_pages_make_the_same_number_of_queries_for_3_and_12_offices(region, more_users, client_for, page):
    city = more_users["city_admin"]
    client = client_for(city)
    counts = []
    for n in (3, 12):
        campaign = _campaign_with_offices(region, city, n) if n == 3 else _extend(region, city)
        for sub in campaign.submissions.all()[:2]:
            services.submission_set_pilot(actor=None, submission=sub, pilot=True)
        url = reverse(f"assessments:{page}", args=[campaign.pk] if page == "campaign_detail" else [])
        client.get(url)  # warm caches (session, scheme) outside the measurement
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append((campaign.submissions.count(), len(ctx.captured_queries)))
    assert counts[0][0] == 3 and counts[1][0] == 12
    assert counts[0][1] == counts[1][1], counts


def _extend(region, city):
    from jiceng.org import services as org_services

    for i in range(9):
        org_services.unit_create(actor=None, parent=region.county_a, kind="office", name=f"甲{i + 3}所",
                                 code=f"CAX{i:02d}", office_type="township")
    return new_campaign(region, city, name="第二轮")


def test_results_show_hardware_and_software_apart(region, more_users, heads, client_for):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, audit_mode="sample", sample_ratio=Decimal("0.01"))
    sub = fill_and_submit(campaign, region.office_b1, heads[region.office_b1.pk])
    sub = review_and_forward(campaign, sub, more_users["county_b_reviewer"])
    if sub.needs_audit:
        services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    services.campaign_publish(actor=city, campaign=campaign, county=region.county_b)
    body = client_for(city).get(reverse("assessments:submission_detail", args=[sub.pk])).content.decode()
    assert "25 / 25" in body and "75 / 75" in body


def test_the_city_creates_a_campaign_through_the_form_and_a_county_cannot(region, more_users, client_for):
    from jiceng.assessments.models import Campaign

    url = reverse("assessments:campaign_create")
    assert client_for(more_users["county_reviewer"]).get(url).status_code == 403
    client = client_for(more_users["city_admin"])
    assert client.get(url).status_code == 200
    data = {
        "name": "2022年度考核", "scheme_id": "taizhou-office-2021", "period_start": "2022-01-01",
        "period_end": "2022-12-31", "self_deadline": "2022-09-30", "review_deadline": "2022-09-01",
        "audit_deadline": "2022-10-31", "audit_mode": "cross", "sample_ratio": "", "seed": "",
        "false_data_gap": "10", "target1_due": "2022-06-30", "target1_share": "50",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and not Campaign.objects.exists()  # review deadline before self deadline
    response = client.post(url, {**data, "review_deadline": "2022-10-15"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/assessments/{campaign.pk}/")
    assert campaign.audit_mode == "cross" and campaign.cross_check == {"CA": "CB", "CB": "CA"}
    assert [(str(t.due), t.share) for t in campaign.targets.all()] == [("2022-06-30", Decimal("0.500"))]
