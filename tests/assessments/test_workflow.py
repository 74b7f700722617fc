"""Every transition of a submission, and the refusals along the way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from jiceng.assessments import services
from jiceng.assessments.errors import Conflict, Incomplete
from jiceng.assessments.models import ItemMark, Status
from jiceng.core import audit_chain
from jiceng.core.models import AuditEvent, EventType, Outcome

from .conftest import (
    fill_and_submit,
    fresh,
    full_items,
    new_campaign,
    review_and_forward,
    sub_of,
)


def test_campaign_enrols_every_office_with_the_declaration_filled_from_org_data(campaign, region):
    subs = {s.unit.code: s for s in campaign.submissions.select_related("unit", "reviewer")}
    assert sorted(subs) == ["CA1", "CA2", "CB1"]
    a1 = subs["CA1"]
    assert a1.status == Status.DRAFT and a1.version == 1
    assert a1.reviewer == region.county_a and subs["CB1"].reviewer == region.county_b
    assert a1.decl_name == "甲一中心所"
    assert a1.decl_staff_count == 1
    assert a1.decl_head.startswith("职工")
    assert [(t.due, t.share) for t in campaign.targets.all()] == [
        (date(2021, 10, 31), Decimal("0.500")), (date(2022, 4, 30), Decimal("1.000"))]


def test_only_the_city_creates_campaigns(region, more_users):
    with pytest.raises(PermissionDenied):
        new_campaign(region, more_users["county_reviewer"])


def test_campaign_refuses_deadlines_out_of_order(region, more_users):
    with pytest.raises(ValidationError) as exc:
        new_campaign(region, more_users["city_admin"], review_deadline=date(2021, 9, 1))
    assert "review_deadline" in exc.value.message_dict


def test_save_draft_records_scores_and_bumps_the_version(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    services.submission_save_draft(
        actor=more_users["office_head"], submission=sub, expected_version=1,
        items={"1.1": {"score": "2.5", "comment": "5人在岗"}}, declaration={"decl_phone": "0576-1"},
    )
    sub = fresh(sub)
    assert sub.version == 2 and sub.decl_phone == "0576-1"
    mark = ItemMark.objects.get(submission=sub, item_id="1.1", level="self")
    assert mark.score == Decimal("2.5") and mark.actor_name == "office_head"
    event = AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_MARK).first()
    assert event.object_id == str(sub.pk) and event.after["marks"]["1.1"]["score"] == "2.5"


@pytest.mark.parametrize(
    "item, score, message",
    [("1.1", "3.5", "between 0 and 3"), ("1.1", "1.2", "steps of 0.5"), ("1.1", "abc", "not a number"),
     ("9.9", "1", "not scored items")],
)
def test_save_draft_refuses_bad_scores_and_saves_nothing(campaign, region, more_users, item, score, message):
    sub = sub_of(campaign, region.office_a1)
    with pytest.raises(ValidationError) as exc:
        services.submission_save_draft(actor=more_users["office_head"], submission=sub, expected_version=1,
                                       items={"1.2": {"score": 3}, item: {"score": score}})
    assert message in str(exc.value)
    assert not ItemMark.objects.filter(submission=sub).exists()
    assert fresh(sub).version == 1


def test_submit_incomplete_lists_what_is_missing(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    items = full_items(campaign)
    del items["2.2"], items["4.3.4"]
    services.submission_save_draft(actor=more_users["office_head"], submission=sub, expected_version=1, items=items)
    with pytest.raises(Incomplete) as exc:
        services.submission_submit(actor=more_users["office_head"], submission=sub, expected_version=2)
    missing = "\n".join(exc.value.missing)
    assert "Item 2.2" in missing and "Item 4.3.4" in missing and "main situation" in missing
    assert "Item 1.1" not in missing
    assert fresh(sub).status == Status.DRAFT


def test_a_no_duty_claim_counts_as_filled_in(campaign, region, more_users):
    items = full_items(campaign)
    items["4.3.4"] = {"claim": "本所不承担土地调查职责"}
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items)
    assert sub.status == Status.SUBMITTED
    assert sub.claims.get().item_id == "4.3.4"


def test_office_cannot_edit_after_submit(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    with pytest.raises(ValidationError, match="can no longer be edited"):
        services.submission_save_draft(actor=more_users["office_head"], submission=sub,
                                       expected_version=sub.version, items={"1.1": {"score": 1}}, reason="改一下")
    assert ItemMark.objects.get(submission=sub, item_id="1.1", level="self").score == 3


def test_office_cannot_touch_another_office(campaign, region, more_users):
    other = sub_of(campaign, region.office_a2)
    with pytest.raises(Http404):
        services.submission_save_draft(actor=more_users["office_head"], submission=other, expected_version=1,
                                       items={"1.1": {"score": 1}})
    refusal = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).first()
    assert refusal.outcome == Outcome.DENIED and refusal.object_id == str(other.pk)


def test_return_needs_a_reason_and_the_office_edits_again_only_with_one(campaign, region, more_users):
    head, county = more_users["office_head"], more_users["county_reviewer"]
    sub = fill_and_submit(campaign, region.office_a1, head)
    with pytest.raises(ValidationError, match="reason"):
        services.submission_return(actor=county, submission=sub, expected_version=sub.version, reason=" ")
    services.submission_return(actor=county, submission=sub, expected_version=sub.version,
                               reason="2.2项缺少标识照片")
    sub = fresh(sub)
    assert sub.status == Status.RETURNED and sub.return_reason == "2.2项缺少标识照片"
    with pytest.raises(ValidationError, match="reason"):
        services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version,
                                       items={"2.2": {"score": 11}})
    services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version,
                                   items={"2.2": {"score": 11}}, reason="补充标识照片并调整自评分")
    sub = fresh(sub)
    services.submission_submit(actor=head, submission=sub, expected_version=sub.version)
    assert fresh(sub).status == Status.SUBMITTED
    events = list(AuditEvent.objects.filter(object_id=str(sub.pk), object_type="assessments.submission")
                  .order_by("seq").values_list("event_type", flat=True))
    assert events == [EventType.ASSESSMENT_MARK, EventType.ASSESSMENT_SUBMIT, EventType.ASSESSMENT_RETURN,
                      EventType.ASSESSMENT_MARK, EventType.ASSESSMENT_SUBMIT]


def test_review_by_the_wrong_county_is_refused(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    wrong = more_users["county_b_reviewer"]
    with pytest.raises(Http404):
        services.review_save(actor=wrong, submission=sub, expected_version=sub.version, items=full_items(campaign))
    with pytest.raises(Http404):
        services.submission_return(actor=wrong, submission=sub, expected_version=sub.version, reason="x")
    with pytest.raises(Http404):
        services.submission_forward(actor=wrong, submission=sub, expected_version=sub.version, opinion="x")
    assert not ItemMark.objects.filter(submission=sub, level="county").exists()
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, object_id=str(sub.pk)).count() == 3


def test_an_office_cannot_review_itself(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    with pytest.raises(Http404):
        services.review_save(actor=more_users["office_head"], submission=sub, expected_version=sub.version,
                             items=full_items(campaign))


def test_county_score_below_the_office_needs_a_comment(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    county = more_users["county_reviewer"]
    with pytest.raises(ValidationError) as exc:
        services.review_save(actor=county, submission=sub, expected_version=sub.version,
                             items={"1.1": {"score": 3}, "2.2": {"score": 8}})
    assert list(exc.value.message_dict) == ["comment_2.2"]
    services.review_save(actor=county, submission=sub, expected_version=sub.version,
                         items={"1.1": {"score": 3}, "2.2": {"score": 8, "comment": "标识不统一"}})
    assert ItemMark.objects.get(submission=sub, item_id="2.2", level="county").score == 8


def test_rescoring_an_item_needs_a_reason(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    county = more_users["county_reviewer"]
    services.review_save(actor=county, submission=sub, expected_version=sub.version, items={"1.1": {"score": 3}})
    sub = fresh(sub)
    with pytest.raises(ValidationError) as exc:
        services.review_save(actor=county, submission=sub, expected_version=sub.version,
                             items={"1.1": {"score": 2, "comment": "人员不足"}})
    assert "reason" in exc.value.message_dict
    services.review_save(actor=county, submission=sub, expected_version=sub.version,
                         items={"1.1": {"score": 2, "comment": "人员不足"}}, reason="复核花名册后调整")
    event = AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_MARK).first()
    assert event.reason == "复核花名册后调整"
    assert event.before == {"1.1": {"score": "3.00", "comment": ""}}


def test_two_reviewers_saving_the_same_submission_do_not_overwrite_each_other(campaign, region, more_users):
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"])
    first, second = more_users["county_reviewer"], more_users["county_reviewer_2"]
    seen_by_both = sub.version
    services.review_save(actor=first, submission=sub, expected_version=seen_by_both,
                         items={"1.1": {"score": 2, "comment": "第一位"}})
    with pytest.raises(Conflict) as exc:
        services.review_save(actor=second, submission=sub, expected_version=seen_by_both,
                             items={"1.1": {"score": 1, "comment": "第二位"}})
    current = exc.value.current
    assert current["version"] == seen_by_both + 1
    assert current["marks"]["1.1"]["score"] == 2 and current["marks"]["1.1"]["by"] == "county_reviewer"
    assert "Someone else saved" in exc.value.messages[0]
    assert ItemMark.objects.get(submission=sub, item_id="1.1", level="county").comment == "第一位"


def test_forward_needs_every_item_every_claim_and_the_opinion(campaign, region, more_users):
    items = full_items(campaign)
    items["4.3.4"] = {"claim": "无此职责"}
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items)
    county = more_users["county_reviewer"]
    services.review_save(actor=county, submission=sub, expected_version=sub.version, items={"1.1": {"score": 3}})
    with pytest.raises(Incomplete) as exc:
        services.submission_forward(actor=county, submission=sub, expected_version=fresh(sub).version, opinion="")
    missing = "\n".join(exc.value.missing)
    assert "Claim on item 4.3.4" in missing and "Item 2.2: no county score" in missing and "opinion" in missing
    assert fresh(sub).status == Status.SUBMITTED


def test_rejecting_a_claim_needs_a_reason(campaign, region, more_users):
    items = full_items(campaign)
    items["4.3.4"] = {"claim": "无此职责"}
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items)
    county = more_users["county_reviewer"]
    with pytest.raises(ValidationError, match="reason"):
        services.claim_decide(actor=county, submission=sub, expected_version=sub.version, item_id="4.3.4",
                              approved=False)
    services.claim_decide(actor=county, submission=sub, expected_version=sub.version, item_id="4.3.4",
                          approved=False, reason="该所承担土地调查工作")
    claim = sub.claims.get()
    assert claim.county_decision == "rejected" and claim.county_actor_name == "county_reviewer"


def test_whole_cycle_with_an_approved_claim_scores_half_points(campaign, region, more_users):
    items = full_items(campaign)
    items["4.3.4"] = {"claim": "无此职责"}
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items)
    sub = review_and_forward(campaign, sub, more_users["county_reviewer"])
    assert sub.status == Status.REVIEWED and sub.county_opinion == "同意上报。"
    city = more_users["city_admin"]
    if sub.needs_audit:
        services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    # Publish only this unit's county once every county-A office is ready.
    other = fill_and_submit(campaign, region.office_a2, more_users["office_a2_head"])
    other = review_and_forward(campaign, other, more_users["county_reviewer"])
    if other.needs_audit:
        services.submission_audit(actor=city, submission=other, expected_version=other.version)
    services.campaign_publish(actor=city, campaign=campaign, county=region.county_a)
    result = fresh(sub).result
    item = next(i for i in result.data["items"] if i["id"] == "4.3.4")
    assert item["na"] is True and item["score"] == 1
    assert result.total == Decimal(99) and result.passed and result.grade == "达标"
    assert any("无职责项目" in r for r in result.data["reasons"])
    assert fresh(sub).status == Status.PUBLISHED
    assert sub_of(campaign, region.office_b1).status == Status.DRAFT
    assert audit_chain.verify().ok


def test_the_county_marks_pilot_offices_and_others_cannot(campaign, region, more_users):
    sub = sub_of(campaign, region.office_a1)
    services.submission_set_pilot(actor=more_users["county_reviewer"], submission=sub, pilot=True)
    assert fresh(sub).pilot
    with pytest.raises(Http404):
        services.submission_set_pilot(actor=more_users["county_b_reviewer"], submission=sub, pilot=False)
    with pytest.raises(Http404):
        services.submission_set_pilot(actor=more_users["office_head"], submission=sub, pilot=False)
    assert fresh(sub).pilot


def test_review_save_decides_claims_with_the_scores_all_or_nothing(campaign, region, more_users):
    items = full_items(campaign)
    items["4.3.4"] = {"claim": "无此职责"}
    items["4.3.5"] = {"claim": "无地灾点"}
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items)
    county = more_users["county_reviewer"]
    with pytest.raises(ValidationError) as exc:
        services.review_save(actor=county, submission=sub, expected_version=sub.version,
                             items={"1.1": {"score": 3}},
                             claims={"4.3.4": (True, ""), "4.3.5": (False, "")})
    assert list(exc.value.message_dict) == ["claim_4.3.5"]
    assert not ItemMark.objects.filter(submission=sub, level="county").exists()
    assert not sub.claims.exclude(county_decision="").exists()
    services.review_save(actor=county, submission=sub, expected_version=sub.version, items={"1.1": {"score": 3}},
                         claims={"4.3.4": (True, ""), "4.3.5": (False, "辖区内有地灾隐患点")})
    assert dict(sub.claims.values_list("item_id", "county_decision")) == {"4.3.4": "approved", "4.3.5": "rejected"}


def test_the_audit_may_overturn_a_claim_decision_with_a_reason(region, more_users, heads):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, audit_mode="all")
    items = full_items(campaign)
    items["4.3.4"] = {"claim": "无此职责"}
    sub = fill_and_submit(campaign, region.office_a1, more_users["office_head"], items)
    sub = review_and_forward(campaign, sub, more_users["county_reviewer"])
    with pytest.raises(ValidationError, match="reason"):
        services.claim_decide(actor=city, submission=sub, expected_version=sub.version, item_id="4.3.4",
                              approved=False)
    with pytest.raises(Http404):
        services.claim_decide(actor=more_users["county_reviewer"], submission=sub, expected_version=sub.version,
                              item_id="4.3.4", approved=False, reason="x")
    services.audit_save(actor=city, submission=sub, expected_version=sub.version,
                        items={"4.3.4": {"score": 2}}, claims={"4.3.4": (False, "该所实际承担土地调查")},
                        reason="复核职责清单")
    claim = sub.claims.get()
    assert claim.county_decision == "approved" and claim.decision == "rejected"
    sub = fresh(sub)
    services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    a2 = review_and_forward(campaign, fill_and_submit(campaign, region.office_a2, heads[region.office_a2.pk]),
                            more_users["county_reviewer"])
    services.submission_audit(actor=city, submission=a2, expected_version=a2.version)
    services.campaign_publish(actor=city, campaign=campaign, county=region.county_a)
    result = fresh(sub).result
    assert result.total == 100 and result.marks["items"]["4.3.4"] == 2
