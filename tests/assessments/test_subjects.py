"""County bureaus as subjects (seed 001, Yiyang) and the registered events: 约谈, 问责, 黄牌警告, 诫勉谈话."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from factories import open_deadlines
from jiceng.assessments import services
from jiceng.assessments.models import CampaignEvent, Flag, Status, Submission

from .conftest import DECLARATION as OFFICE_DECLARATION
from .conftest import fresh, make_user, new_campaign

DECLARATION = {**OFFICE_DECLARATION, "decl_head": "李局长", "decl_staff_count": 12}

YIYANG = "yiyang-enforcement-2017"


@pytest.fixture
def bureau_users(users, region):
    return {
        **users,
        "county_b_reviewer": make_user("county_b_reviewer", "county_reviewer", region.county_b),
    }


def county_campaign(region, actor, **overrides):
    fields = {
        "actor": actor, "organiser": region.city, "name": "2017年度执法监察工作目标管理考评",
        "scheme_id": YIYANG, "period_start": date(2017, 1, 1), "period_end": date(2017, 12, 31),
        **open_deadlines(), "audit_mode": "sample", "seed": 2017, "subject_kind": "county",
    }
    fields.update(overrides)
    return services.campaign_create(**fields)


def items_of(campaign, score=None, comment=""):
    from jiceng.assessments.schemes import campaign_scheme

    cs = campaign_scheme(campaign)
    out = {}
    for i, item_id in enumerate(cs.ids):
        top = Decimal(cs.items[i].points)
        out[item_id] = {"score": top if score is None else score(item_id, top), "comment": comment}
    return out


def self_submit(campaign, county, actor, score=None):
    sub = campaign.submissions.get(unit=county)
    services.submission_save_draft(actor=actor, submission=sub, expected_version=sub.version,
                                   items=items_of(campaign, score), declaration=DECLARATION)
    sub = fresh(sub)
    services.submission_submit(actor=actor, submission=sub, expected_version=sub.version)
    return fresh(sub)


def group_score(campaign, sub, city, score=None):
    services.review_save(actor=city, submission=sub, expected_version=fresh(sub).version,
                         items=items_of(campaign, score, comment="考评小组核查台帐、卫片。"))
    services.submission_forward(actor=city, submission=sub, expected_version=fresh(sub).version,
                                opinion="考评小组评分完毕。", opinion_date=date(2017, 12, 20))
    return fresh(sub)


def test_a_county_campaign_enrols_the_county_bureaus_scored_by_the_city(region, bureau_users):
    campaign = county_campaign(region, bureau_users["city_admin"])
    subs = list(campaign.submissions.order_by("unit__code"))
    assert [s.unit for s in subs] == sorted([region.county_a, region.county_b], key=lambda u: u.code)
    assert all(s.reviewer == region.city and s.group == region.city and s.bureau == s.unit for s in subs)
    assert all(s.needs_audit for s in subs) and campaign.audit_mode == "all"


def test_yiyang_county_campaign_end_to_end(region, bureau_users):
    city, county = bureau_users["city_admin"], bureau_users["county_reviewer"]
    campaign = county_campaign(region, city)
    # The county evaluates itself; the other county's reviewer cannot touch it.
    a = self_submit(campaign, region.county_a, county)
    assert a.status == Status.SUBMITTED
    b = campaign.submissions.get(unit=region.county_b)
    with pytest.raises(Http404):
        services.submission_save_draft(actor=county, submission=b, expected_version=b.version, items={})
    b = self_submit(campaign, region.county_b, bureau_users["county_b_reviewer"],
                    score=lambda i, top: Decimal(0) if i in ("1.1", "1.4", "2.1", "2.2") else top)
    # The county cannot score its own submission as the group.
    with pytest.raises(Http404):
        services.review_save(actor=county, submission=a, expected_version=a.version, items={})
    # The city's assessment group scores item by item.
    a = group_score(campaign, a, city)
    b = group_score(campaign, b, city, score=lambda i, top: Decimal(0) if i.startswith(("1.", "2.", "3.")) else top)
    assert a.status == b.status == Status.REVIEWED
    # 问责 registered against county A during the period: it bars 优胜.
    event = services.event_register(actor=city, submission=a, kind="accountability", occurred_on=date(2017, 9, 1),
                                    document="益国土资纪〔2017〕5号", description="违法占地问题被问责。")
    assert event.registered_by_name == "city_admin"
    # 市局党组审定: the audit closes every county's review.
    for sub in (a, b):
        services.submission_audit(actor=city, submission=fresh(sub), expected_version=fresh(sub).version,
                                  opinion="市局党组审定同意。")
    results = services.campaign_publish(actor=city, campaign=campaign)  # circulated city-wide
    by_unit = {r.submission.unit_id: r for r in results}
    ra, rb = by_unit[region.county_a.pk], by_unit[region.county_b.pk]
    assert ra.total == 100 and ra.grade == "达标" and any("取消优胜资格" in r for r in ra.data["reasons"])
    assert not rb.passed
    assert services.reward_list(campaign) == []
    # 不合格 with weak rectification: a 黄牌警告 and a 诫勉谈话 of the person responsible.
    services.event_register(actor=city, submission=rb.submission, kind="yellow-card", occurred_on=date(2018, 1, 10),
                            document="益国土资发〔2018〕2号", description="整改不力，黄牌警告。")
    with pytest.raises(ValidationError) as exc:
        services.event_register(actor=city, submission=rb.submission, kind="admonition", occurred_on=date(2018, 1, 10),
                                document="益国土资发〔2018〕3号", description="诫勉谈话。")
    assert "person" in exc.value.message_dict
    services.event_register(actor=city, submission=rb.submission, kind="admonition", occurred_on=date(2018, 1, 12),
                            document="益国土资发〔2018〕3号", description="诫勉谈话。", person="张三")
    assert sorted(CampaignEvent.objects.filter(submission=rb.submission).values_list("kind", flat=True)) == [
        "admonition", "yellow-card"]
    # A county that passed gets no warning.
    with pytest.raises(ValidationError):
        services.event_register(actor=city, submission=ra.submission, kind="yellow-card", occurred_on=date(2018, 1, 10),
                                document="x", description="y")


def test_winners_are_on_the_reward_list_and_an_interview_costs_5_points(region, bureau_users):
    city = bureau_users["city_admin"]
    campaign = county_campaign(region, city)
    a = group_score(campaign, self_submit(campaign, region.county_a, bureau_users["county_reviewer"]), city)
    b = group_score(campaign, self_submit(campaign, region.county_b, bureau_users["county_b_reviewer"]), city)
    services.event_register(actor=city, submission=b, kind="interviewed", occurred_on=date(2017, 6, 1),
                            document="益国土资〔2017〕9号", description="被约谈。")
    for sub in (a, b):
        services.submission_audit(actor=city, submission=fresh(sub), expected_version=fresh(sub).version)
    services.campaign_publish(actor=city, campaign=campaign)
    winners = services.reward_list(campaign)
    assert [r.submission.unit for r in winners] == [region.county_a, region.county_b]
    rb = fresh(b).result
    assert rb.total == 95 and "因被约谈，第5.7项计0分" in rb.data["reasons"]


def test_events_outside_the_period_or_without_a_rule_are_refused(region, bureau_users):
    city = bureau_users["city_admin"]
    campaign = county_campaign(region, city)
    sub = campaign.submissions.get(unit=region.county_a)
    with pytest.raises(ValidationError) as exc:
        services.event_register(actor=city, submission=sub, kind="accountability", occurred_on=date(2018, 2, 1),
                                document="x", description="y")
    assert "2017-01-01 – 2017-12-31" in exc.value.message_dict["occurred_on"][0]
    with pytest.raises(ValidationError):
        services.event_register(actor=city, submission=sub, kind="interviewed", occurred_on=date(2017, 2, 1),
                                document="", description="y")
    with pytest.raises(ValidationError):  # no published result yet
        services.event_register(actor=city, submission=sub, kind="yellow-card", occurred_on=date(2017, 2, 1),
                                document="x", description="y")
    assert not CampaignEvent.objects.exists()
    office_campaign = new_campaign(region, city)
    office_sub = office_campaign.submissions.first()
    with pytest.raises(ValidationError) as exc:  # Taizhou has no 约谈 rule
        services.event_register(actor=city, submission=office_sub, kind="interviewed", occurred_on=date(2021, 6, 1),
                                document="x", description="y")
    assert "no rule" in str(exc.value)


def test_vetoes_and_bonuses_outside_the_period_are_refused(region, bureau_users):
    city = bureau_users["city_admin"]
    campaign = new_campaign(region, city)
    sub = campaign.submissions.get(unit=region.office_a1)
    with pytest.raises(ValidationError) as exc:
        services.veto_register(actor=city, submission=sub, veto_id=next(iter(_scheme(campaign).vetoes)),
                               occurred_on=date(2015, 3, 1), description="违法违纪。")
    assert "2021-05-10 – 2022-04-30" in exc.value.message_dict["occurred_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.bonus_register(actor=city, submission=sub, bonus_id=next(iter(_scheme(campaign).bonuses)),
                                awarded_on=date(2030, 1, 1))
    assert "outside the assessment period" in exc.value.message_dict["awarded_on"][0]
    assert not sub.vetoes.exists() and not sub.bonuses.exists()
    services.bonus_register(actor=city, submission=sub, bonus_id=next(iter(_scheme(campaign).bonuses)),
                            awarded_on=date(2021, 12, 1))
    assert sub.bonuses.count() == 1


def _scheme(campaign):
    from jiceng.assessments.schemes import campaign_scheme

    return campaign_scheme(campaign)


def test_a_scheme_that_cannot_run_on_the_subjects_is_refused(region, bureau_users):
    city = bureau_users["city_admin"]
    with pytest.raises(ValidationError) as exc:
        county_campaign(region, city, scheme_id="taizhou-office-2021")
    assert "cannot run on this campaign's subjects" in exc.value.message_dict["scheme_id"][0]
    with pytest.raises(ValidationError):
        new_campaign(region, city, scheme_id=YIYANG)
    with pytest.raises(ValidationError) as exc:
        new_campaign(region, city, scheme_id="lingwu-squad-2021")
    assert "weighted components" in exc.value.message_dict["scheme_id"][0]
    from jiceng.assessments import schemes

    offered = {sid: why for sid, _title, why in schemes.offer("county")}
    assert offered[YIYANG] is None and offered["taizhou-office-2021"]
    assert not Submission.objects.exists()


def test_false_data_suggested_by_items_counts_only_once_confirmed(region, bureau_users):
    city = bureau_users["city_admin"]
    campaign = county_campaign(region, city)
    # County A claims full marks; the group finds 2 points less on one item: far below the 10-point gap.
    a = self_submit(campaign, region.county_a, bureau_users["county_reviewer"])
    a = group_score(campaign, a, city, score=lambda i, top: top - 2 if i == "6.1" else top)
    flag = Flag.objects.get(submission=a)
    assert flag.active and flag.details["basis"] == "items" and flag.details["items"] == ["6.1"]
    services.flag_confirm(actor=city, flag=flag, reason="6.1 台帐与实际不符。")
    services.submission_audit(actor=city, submission=fresh(a), expected_version=fresh(a).version)
    b = campaign.submissions.get(unit=region.county_b)
    b = group_score(campaign, self_submit(campaign, region.county_b, bureau_users["county_b_reviewer"]), city)
    services.submission_audit(actor=city, submission=fresh(b), expected_version=fresh(b).version)
    services.campaign_publish(actor=city, campaign=campaign)
    ra, rb = fresh(a).result, fresh(b).result
    assert ra.total == 98 and ra.grade == "达标" and any("取消优胜资格" in r for r in ra.data["reasons"])
    assert rb.grade == "优胜"


def test_a_failing_self_check_is_saved_but_not_submitted(region, bureau_users):
    from jiceng.assessments.services.submissions import self_check

    from .conftest import DECLARATION as OFFICE_DECL
    from .conftest import full_items

    campaign = new_campaign(region, bureau_users["city_admin"], self_check_required=True)
    assert campaign.self_check_required
    head = bureau_users["office_head"]
    sub = campaign.submissions.get(unit=region.office_a1)
    items = full_items(campaign, lambda i, top: Decimal(0) if i == "4.6" else top)  # 94 with 4.6 at 0
    services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version, items=items,
                                   declaration=OFFICE_DECL)
    sub = fresh(sub)
    passed, reasons = self_check(sub)
    assert not passed and "第4.6项得0分，单项不得为0分，未达标" in reasons
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(actor=head, submission=sub, expected_version=sub.version)
    assert "自查未达标" in str(exc.value)
    assert fresh(sub).status == Status.DRAFT and fresh(sub).marks.filter(item_id="4.6", score=0).exists()
    # A zero sub-line of a row that has points (2.1.2 of 2.1) does not fail the self-check.
    services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version,
                                   items={"4.6": {"score": Decimal(6)}, "2.1.2": {"score": Decimal(0)}})
    sub = fresh(sub)
    passed, reasons = self_check(sub)
    assert passed and any("单项按第2.1项整行计" in r for r in reasons)
    services.submission_submit(actor=head, submission=sub, expected_version=sub.version)
    assert fresh(sub).status == Status.SUBMITTED
    # A scheme without a self-check has none.
    bureau = county_campaign(region, bureau_users["city_admin"]).submissions.first()
    assert self_check(bureau) is None


def test_a_rate_item_takes_numerator_and_denominator_and_the_engine_scores_it(region, bureau_users):
    from jiceng.assessments.models import ItemMark

    from .conftest import DECLARATION as OFFICE_DECL
    from .conftest import full_items

    city, head = bureau_users["city_admin"], bureau_users["office_head"]
    campaign = new_campaign(region, city, audit_mode="all")
    sub = campaign.submissions.get(unit=region.office_a1)
    with pytest.raises(ValidationError) as exc:
        services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version,
                                       items={"3.3.1": {"numerator": 21, "denominator": 20}})
    assert "above the denominator" in exc.value.message_dict["rate_3.3.1"][0]
    with pytest.raises(ValidationError) as exc:
        services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version,
                                       items={"1.1": {"numerator": 1, "denominator": 2}})
    assert "not scored by a rate" in exc.value.message_dict["rate_1.1"][0]
    assert not ItemMark.objects.filter(submission=sub).exists()
    items = full_items(campaign, lambda i, top: top)
    items["3.3.1"] = {"numerator": 47, "denominator": 50}  # 94 %: below 95 %, 0 points
    items["3.2"] = {"numerator": 19, "denominator": 20}  # 95 %: full points
    services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version, items=items,
                                   declaration=OFFICE_DECL)
    mark = ItemMark.objects.get(submission=sub, item_id="3.3.1", level="self")
    assert (mark.score, mark.numerator, mark.denominator) == (0, 47, 50)
    assert ItemMark.objects.get(submission=sub, item_id="3.2", level="self").score == 2
    sub = fresh(sub)
    services.submission_submit(actor=head, submission=sub, expected_version=sub.version)
    county = bureau_users["county_reviewer"]
    review = full_items(campaign, lambda i, top: top)
    review["3.3.1"] = {"numerator": 48, "denominator": 50, "comment": "复核信访台帐：48/50。"}
    services.review_save(actor=county, submission=sub, expected_version=fresh(sub).version, items=review)
    services.submission_forward(actor=county, submission=sub, expected_version=fresh(sub).version,
                                opinion="同意。", opinion_date=date(2021, 10, 10))
    services.submission_audit(actor=city, submission=fresh(sub), expected_version=fresh(sub).version)
    for other in campaign.submissions.exclude(pk=sub.pk):
        other.delete()
    services.campaign_publish(actor=city, campaign=campaign)
    result = fresh(sub).result
    assert result.total == 100 and result.marks["items"]["3.3.1"] == {"metric": 0.96}
    assert "第3.3.1项信访办结率为96%，达到95%，得1.5分" in result.data["reasons"]


def test_the_campaign_form_offers_schemes_by_subjects_and_says_why_others_are_not(region, bureau_users):
    from jiceng.assessments.forms import CampaignForm

    form = CampaignForm()
    groups = dict(form.fields["scheme_id"].choices)
    assert [sid for sid, _label in groups["Grassroots offices"]] == ["taizhou-office-2021"]
    assert [sid for sid, _label in groups["County bureaus"]] == [YIYANG]
    note = str(form.fields["scheme_id"].help_text)
    assert "lingwu-squad-2021：it is scored by weighted components" in note
    assert "lingwu-service-centre-2021：it assesses" in note and "taizhou-office-2021" not in note
    assert form.fields["subject_kind"].initial == "office"


def test_the_city_creates_a_county_campaign_from_the_form(region, bureau_users, client_for):
    from django.urls import reverse

    from jiceng.assessments.models import Campaign

    client = client_for(bureau_users["city_admin"])
    dates = {k: v.isoformat() for k, v in open_deadlines().items()}
    response = client.post(reverse("assessments:campaign_create"), {
        "name": "2017年度执法监察考评", "subject_kind": "county", "scheme_id": YIYANG,
        "period_start": "2017-01-01", "period_end": "2017-12-31", **dates, "audit_mode": "sample",
        "sample_ratio": "0.3", "false_data_gap": "10"})
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.subject_kind == "county" and campaign.submissions.count() == 2
    response = client.post(reverse("assessments:campaign_create"), {
        "name": "错配", "subject_kind": "county", "scheme_id": "taizhou-office-2021",
        "period_start": "2017-01-01", "period_end": "2017-12-31", **dates, "audit_mode": "sample",
        "sample_ratio": "0.3", "false_data_gap": "10"})
    assert response.status_code == 200 and Campaign.objects.count() == 1


def test_a_second_tier_is_chosen_among_the_offices_that_passed(region, bureau_users):
    from .conftest import fill_and_submit, review_and_forward

    city = bureau_users["city_admin"]
    heads = {region.office_a1.pk: bureau_users["office_head"],
             region.office_a2.pk: make_user("a2_head", "office_head", region.office_a2),
             region.office_b1.pk: bureau_users["other_county_head"]}
    reviewers = {region.county_a.pk: bureau_users["county_reviewer"],
                 region.county_b.pk: bureau_users["county_b_reviewer"]}
    first = new_campaign(region, city, audit_mode="all")
    for sub in first.submissions.select_related("unit"):
        sub = fill_and_submit(first, sub.unit, heads[sub.unit_id])
        fails = sub.unit == region.office_a2
        sub = review_and_forward(first, sub, reviewers[sub.reviewer_id], comment="核查" if fails else "",
                                 score=(lambda i, top: Decimal(0) if i == "4.6" else top) if fails else None)
        services.submission_audit(actor=city, submission=sub, expected_version=sub.version)
    services.campaign_publish(actor=city, campaign=first)
    second = new_campaign(region, city, name="2022年度示范基层所创建", among=first)
    assert second.tier_of == first
    assert sorted(second.submissions.values_list("unit__code", flat=True)) == sorted(
        [region.office_a1.code, region.office_b1.code])
    with pytest.raises(ValidationError) as exc:
        new_campaign(region, city, name="示范2", among=first, units=[region.office_a1, region.office_a2])
    assert region.office_a2.name in exc.value.message_dict["units"][0]
    with pytest.raises(ValidationError):
        new_campaign(region, city, name="示范3", among=county_campaign(region, city))
