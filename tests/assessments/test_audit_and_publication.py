"""City audit, vetoes, bonuses, flags, publication and revocation (摘牌)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from jiceng.assessments import services
from jiceng.assessments.errors import Incomplete
from jiceng.assessments.models import Flag, ItemMark, Status
from jiceng.assessments.schemes import campaign_scheme
from jiceng.core.models import AuditEvent, EventType

from .conftest import fill_and_submit, fresh, new_campaign, review_and_forward, sub_of


def _ready(campaign, unit, heads, county, **review):
    sub = fill_and_submit(campaign, unit, heads[unit.pk])
    return review_and_forward(campaign, sub, county, **review)


@pytest.fixture
def audit_all(region, more_users):
    return new_campaign(region, more_users["city_admin"], audit_mode="all")


def test_publish_before_audit_is_refused(audit_all, region, more_users, heads):
    city, county = more_users["city_admin"], more_users["county_reviewer"]
    a1 = _ready(audit_all, region.office_a1, heads, county)
    a2 = _ready(audit_all, region.office_a2, heads, county)
    with pytest.raises(Incomplete) as exc:
        services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    assert len(exc.value.missing) == 2 and "not audited yet" in exc.value.missing[0]
    services.submission_audit(actor=city, submission=a1, expected_version=a1.version)
    with pytest.raises(Incomplete) as exc:
        services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    assert exc.value.missing == [f"{region.office_a2.name}: not audited yet (Reviewed by the county)."]
    services.submission_audit(actor=city, submission=a2, expected_version=a2.version)
    results = services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    assert len(results) == 2 and all(r.passed for r in results)
    assert fresh(a1).status == Status.PUBLISHED


def test_publish_refuses_while_an_office_is_still_in_draft(audit_all, region, more_users):
    with pytest.raises(Incomplete) as exc:
        services.campaign_publish(actor=more_users["city_admin"], campaign=audit_all)
    assert len(exc.value.missing) == 3 and "not audited yet (Draft)" in exc.value.missing[0]


def test_only_the_city_publishes(audit_all, more_users):
    with pytest.raises(PermissionDenied):
        services.campaign_publish(actor=more_users["county_reviewer"], campaign=audit_all)


def test_unsampled_submissions_publish_without_audit(region, more_users, heads):
    campaign = new_campaign(region, more_users["city_admin"], audit_mode="sample", sample_ratio="0.01")
    sampled = [s.unit_id for s in campaign.submissions.filter(needs_audit=True)]
    assert len(sampled) == 1
    county_b = more_users["county_b_reviewer"]
    sub = _ready(campaign, region.office_b1, heads, county_b)
    if sub.unit_id in sampled:
        with pytest.raises(Incomplete):
            services.campaign_publish(actor=more_users["city_admin"], campaign=campaign, county=region.county_b)
        services.submission_audit(actor=more_users["city_admin"], submission=sub, expected_version=sub.version)
    services.campaign_publish(actor=more_users["city_admin"], campaign=campaign, county=region.county_b)
    assert fresh(sub).result.grade == "达标"


def test_audit_override_needs_a_reason_and_changes_the_result(audit_all, region, more_users, heads):
    city = more_users["city_admin"]
    a1 = _ready(audit_all, region.office_a1, heads, more_users["county_reviewer"])
    with pytest.raises(ValidationError, match="reason"):
        services.audit_save(actor=city, submission=a1, expected_version=a1.version, items={"2.2": {"score": 0}},
                            reason="")
    assert not ItemMark.objects.filter(submission=a1, level="city").exists()
    services.audit_save(actor=city, submission=a1, expected_version=a1.version,
                        items={"2.2": {"score": 0, "comment": "现场无统一标识"}}, reason="现场核查")
    a1 = fresh(a1)
    services.submission_audit(actor=city, submission=a1, expected_version=a1.version, opinion="抽查发现标识缺失")
    a2 = _ready(audit_all, region.office_a2, heads, more_users["county_reviewer"])
    services.submission_audit(actor=city, submission=a2, expected_version=a2.version)
    services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    result = fresh(a1).result
    assert result.total == 88 and not result.passed and result.grade == "未达标"
    assert "第2.2项得0分，单项不得为0分，未达标" in result.data["reasons"]
    # 2.2 is a hardware item (seed 003 重硬轻软): the subtotals show it apart.
    assert result.data["hardware"] == {"score": 13, "max": 25}
    assert result.data["software"] == {"score": 75, "max": 75}


def test_the_county_cannot_audit(audit_all, region, more_users, heads):
    a1 = _ready(audit_all, region.office_a1, heads, more_users["county_reviewer"])
    with pytest.raises(Http404):
        services.audit_save(actor=more_users["county_reviewer"], submission=a1, expected_version=a1.version,
                            items={"2.2": {"score": 0}}, reason="x")


def test_published_result_is_frozen_with_its_scheme_and_rescores_identically(audit_all, region, more_users, heads):
    city = more_users["city_admin"]
    for unit in (region.office_a1, region.office_a2):
        sub = _ready(audit_all, unit, heads, more_users["county_reviewer"])
        services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    result = sub_of(audit_all, region.office_a1).result
    assert result.scheme_id == "taizhou-office-2021" and result.scheme_version == 1
    assert result.scheme_sha256 == audit_all.scheme_sha256
    assert campaign_scheme(audit_all).score(result.marks).to_dict() == result.data
    with pytest.raises(ValidationError, match="already published"):
        services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)


def test_bonus_adds_points_and_only_the_best_of_a_group_counts(audit_all, region, more_users, heads):
    city = more_users["city_admin"]
    a1 = _ready(audit_all, region.office_a1, heads, more_users["county_reviewer"],
                score=lambda item, top: top - Decimal("0.5") if item in {"1.1", "2.2", "4.6"} else top,
                comment="现场核查")
    services.bonus_register(actor=city, submission=a1, bonus_id="county-satisfied", awarded_on=date(2021, 8, 1))
    services.bonus_register(actor=city, submission=a1, bonus_id="city-satisfied", awarded_on=date(2021, 9, 1))
    with pytest.raises(ValidationError, match="already registered"):
        services.bonus_register(actor=city, submission=a1, bonus_id="city-satisfied", awarded_on=date(2021, 9, 1))
    with pytest.raises(ValidationError):
        services.bonus_register(actor=city, submission=a1, bonus_id="no-such-bonus", awarded_on=date(2021, 9, 1))
    a1 = fresh(a1)
    services.submission_audit(actor=city, submission=a1, expected_version=a1.version)
    a2 = _ready(audit_all, region.office_a2, heads, more_users["county_reviewer"])
    services.submission_audit(actor=city, submission=a2, expected_version=a2.version)
    services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    assert fresh(a1).result.total == Decimal("113.5")
    with pytest.raises(ValidationError, match="published"):
        services.bonus_register(actor=city, submission=a1, bonus_id="county-satisfied", awarded_on=date(2021, 9, 1))


def test_veto_before_publication_makes_the_unit_fail(audit_all, region, more_users, heads):
    city = more_users["city_admin"]
    a1 = _ready(audit_all, region.office_a1, heads, more_users["county_reviewer"])
    services.veto_register(actor=city, submission=a1, veto_id="major-accident", occurred_on=date(2021, 7, 1),
                           description="办公楼火灾")
    a1 = fresh(a1)
    services.submission_audit(actor=city, submission=a1, expected_version=a1.version)
    a2 = _ready(audit_all, region.office_a2, heads, more_users["county_reviewer"])
    services.submission_audit(actor=city, submission=a2, expected_version=a2.version)
    services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    result = fresh(a1).result
    assert result.total == 100 and not result.passed
    assert result.data["vetoes"] == ["major-accident"]
    assert result.revoked_at is None


def test_veto_after_award_revokes_it(audit_all, region, more_users, heads):
    city = more_users["city_admin"]
    for unit in (region.office_a1, region.office_a2):
        sub = _ready(audit_all, unit, heads, more_users["county_reviewer"])
        services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    services.campaign_publish(actor=city, campaign=audit_all, county=region.county_a)
    a1 = sub_of(audit_all, region.office_a1)
    assert a1.result.awarded
    with pytest.raises(ValidationError):
        services.veto_register(actor=city, submission=a1, veto_id="no-such-veto", occurred_on=date(2022, 1, 5),
                               description="x")
    with pytest.raises(PermissionDenied):
        services.veto_register(actor=more_users["county_reviewer"], submission=a1, veto_id="major-accident",
                               occurred_on=date(2022, 1, 5), description="x")
    veto = services.veto_register(actor=city, submission=a1, veto_id="leader-discipline",
                                  occurred_on=date(2022, 1, 5), description="所长受党纪处分")
    result = fresh(a1).result
    assert not result.awarded and result.passed  # the frozen figures stay; the plaque goes
    assert result.revoking_veto == veto
    assert "第二十二条" in result.revoke_reason and "所长受党纪处分" in result.revoke_reason
    event = AuditEvent.objects.filter(event_type=EventType.ASSESSMENT_REVOKE).get()
    assert event.object_id == str(a1.pk) and event.after == {"awarded": False, "veto": "leader-discipline"}


def test_award_revoke_needs_an_award_and_a_reason(audit_all, region, more_users, heads):
    city = more_users["city_admin"]
    a1 = sub_of(audit_all, region.office_a1)
    with pytest.raises(ValidationError, match="no award"):
        services.award_revoke(actor=city, submission=a1, reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.award_revoke(actor=city, submission=a1, reason="")


def test_false_data_is_flagged_when_the_self_score_is_far_above_the_reviewers(audit_all, region, more_users, heads):
    county = more_users["county_reviewer"]
    lower = {"2.2": 6, "4.6": 2}  # 10 points below the office: exactly the threshold, only a suggestion
    a1 = _ready(audit_all, region.office_a1, heads, county,
                score=lambda item, top: Decimal(lower.get(item, top)), comment="核减")
    suggestion = Flag.objects.get(submission=a1)
    assert suggestion.details["basis"] == "items" and suggestion.details["items"] == ["2.2", "4.6"]
    assert not services.events.counts(suggestion)
    city = more_users["city_admin"]
    services.audit_save(actor=city, submission=a1, expected_version=a1.version, items={"2.5": {"score": 3}},
                        reason="卫生检查不合格")
    a1 = fresh(a1)
    services.submission_audit(actor=city, submission=a1, expected_version=a1.version)
    flag = Flag.objects.get(submission=a1)
    assert flag.active and flag.automatic and flag.kind == "false-data"
    assert flag.details == {"self_total": "100.00", "reviewed_total": "89.00", "gap": "11.00", "threshold": "10.0",
                            "items": ["2.2", "2.5", "4.6"], "basis": "total"}
    assert services.events.counts(flag)
    with pytest.raises(ValidationError, match="reason"):
        services.flag_dismiss(actor=city, flag=flag, reason="")
    services.flag_dismiss(actor=city, flag=flag, reason="自评口径与市局不同，非虚报")
    flag.refresh_from_db()
    assert not flag.active and flag.dismissed_by_name == "city_admin"


def test_cross_check_never_lets_a_county_audit_itself(region, more_users, heads):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, audit_mode="cross")
    assert campaign.cross_check == {"CA": "CB", "CB": "CA"}
    a1 = campaign.submissions.get(unit=region.office_a1)
    assert a1.auditor == region.county_b and a1.needs_audit
    a1 = _ready(campaign, region.office_a1, heads, more_users["county_reviewer"])
    with pytest.raises(Http404):
        services.audit_save(actor=more_users["county_reviewer"], submission=a1, expected_version=a1.version,
                            items={"1.1": {"score": 2}}, reason="自己审自己")
    with pytest.raises(Http404):
        services.submission_audit(actor=more_users["county_reviewer"], submission=a1, expected_version=a1.version)
    services.audit_save(actor=more_users["county_b_reviewer"], submission=a1, expected_version=a1.version,
                        items={"1.1": {"score": 2}}, reason="互检核减")
    services.submission_audit(actor=more_users["county_b_reviewer"], submission=fresh(a1),
                              expected_version=fresh(a1).version)
    assert fresh(a1).status == Status.AUDITED


def test_cross_check_needs_two_counties(region, more_users):
    with pytest.raises(ValidationError, match="two counties"):
        new_campaign(region, more_users["city_admin"], audit_mode="cross", units=[region.office_a1, region.office_a2])


def test_a_vetos_evidence_file_is_downloadable_by_whoever_sees_the_submission(audit_all, region, more_users, heads,
                                                                              client_for):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from .test_evidence import png_bytes

    city = more_users["city_admin"]
    a1 = _ready(audit_all, region.office_a1, heads, more_users["county_reviewer"])
    photo = png_bytes()
    veto = services.veto_register(actor=city, submission=a1, veto_id="major-accident", occurred_on=date(2021, 7, 1),
                                  description="办公楼火灾", evidence=ContentFile(photo, name="fire.png"))
    url = reverse("assessments:veto_evidence", args=[veto.pk])
    page = client_for(more_users["county_reviewer"]).get(reverse("assessments:submission_detail", args=[a1.pk]))
    assert url in page.content.decode()
    response = client_for(more_users["county_reviewer"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == photo
    assert "veto-20210701-" in response["Content-Disposition"]
    # The office of another county does not see the submission, so not its veto either.
    assert client_for(more_users["other_county_head"]).get(url).status_code == 404
