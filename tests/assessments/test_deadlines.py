"""Deadlines: the office's submission closes with its deadline; the city extends it or moves the campaign's.

The county review and city audit deadlines block nobody: late work is shown as
overdue (逾期). Dates are taken relative to today, since the rule is checked
against the real date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiceng.assessments import deadlines, selectors, services
from jiceng.assessments.forms import BonusForm, VetoForm
from jiceng.assessments.models import Status
from jiceng.core.models import AuditEvent, EventType
from jiceng.inbox.models import Reminder
from jiceng.inbox.selectors import inbox_items

from .conftest import (
    DECLARATION,
    fill_and_submit,
    fresh,
    full_items,
    new_campaign,
    review_and_forward,
    sub_of,
)

TODAY = deadlines.local_today


def days(n: int) -> date:
    return TODAY() + timedelta(days=n)


def stages(self_in: int, review_in: int, audit_in: int) -> dict:
    """Deadlines `n` days from today (negative: passed)."""
    return {"self_deadline": days(self_in), "review_deadline": days(review_in), "audit_deadline": days(audit_in)}


def filled(campaign, unit, actor):
    """The office's draft, complete and ready to submit."""
    sub = sub_of(campaign, unit)
    services.submission_save_draft(actor=actor, submission=sub, expected_version=sub.version,
                                   items=full_items(campaign), declaration=DECLARATION)
    return fresh(sub)


def submit(sub, actor):
    return services.submission_submit(actor=actor, submission=sub, expected_version=fresh(sub).version)


# --- the office's deadline ------------------------------------------------------------------------------


def test_the_office_cannot_submit_after_its_deadline_but_can_still_save(region, more_users):
    head = more_users["office_head"]
    campaign = new_campaign(region, more_users["city_admin"], **stages(-1, 10, 20))
    sub = filled(campaign, region.office_a1, head)
    with pytest.raises(ValidationError) as exc:
        submit(sub, head)
    assert exc.value.code == "deadline_passed"
    assert f"The self-evaluation deadline was {days(-1):%Y-%m-%d}" in exc.value.messages[0]
    assert fresh(sub).status == Status.DRAFT
    # Saving the draft stays open: the office can prepare.
    version = fresh(sub).version
    services.submission_save_draft(actor=head, submission=sub, expected_version=version,
                                   items={"1.1": {"score": 2, "comment": "补充说明"}})
    assert fresh(sub).version == version + 1


def test_the_deadline_day_itself_is_still_open(region, more_users):
    head = more_users["office_head"]
    campaign = new_campaign(region, more_users["city_admin"], **stages(0, 10, 20))
    sub = submit(filled(campaign, region.office_a1, head), head)
    assert sub.status == Status.SUBMITTED


def test_the_deadline_closes_at_the_end_of_its_day_in_the_bureau_s_time_zone():
    from jiceng.assessments.models import Campaign, Submission

    campaign = Campaign(self_deadline=date(2026, 9, 30), review_deadline=date(2026, 10, 15),
                        audit_deadline=date(2026, 10, 31))
    sub = Submission(campaign=campaign, status=Status.DRAFT)
    assert deadlines.submit_closed(sub, today=date(2026, 9, 30)) is None
    assert "2026-09-30" in deadlines.submit_closed(sub, today=date(2026, 10, 1))
    # A request may activate another time zone; the bureau's day is Shanghai's (settings.TIME_ZONE).
    with timezone.override(ZoneInfo("Pacific/Kiritimati")):
        assert deadlines.local_today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()


def test_the_command_line_and_loaders_are_not_held_to_the_deadline(region, more_users):
    campaign = new_campaign(region, more_users["city_admin"], **stages(-30, -15, -1))
    sub = fill_and_submit(campaign, region.office_a1, None)  # e.g. recording a past campaign's paperwork
    assert sub.status == Status.SUBMITTED


def test_a_returned_submission_may_be_resubmitted_until_the_review_deadline(region, more_users):
    head, county, city = more_users["office_head"], more_users["county_reviewer"], more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(3, 10, 20))
    sub = submit(filled(campaign, region.office_a1, head), head)
    services.submission_return(actor=county, submission=sub, expected_version=fresh(sub).version, reason="补照片")
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(-1, 10, 20), reason="统一提前")
    sub = fresh(sub)
    assert sub.submit_deadline == days(10)
    # The self-evaluation deadline has passed, but the county returned it inside its review window.
    assert submit(sub, head).status == Status.SUBMITTED
    services.submission_return(actor=county, submission=sub, expected_version=fresh(sub).version, reason="再补")
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(-3, -1, 20), reason="考评结束")
    with pytest.raises(ValidationError) as exc:
        submit(sub, head)
    assert exc.value.code == "deadline_passed" and f"{days(-1):%Y-%m-%d}" in exc.value.messages[0]


def test_a_refused_submit_keeps_the_saved_draft_and_the_next_save_is_not_a_conflict(region, more_users,
                                                                                   client_for):
    from .test_views import page_version, self_post

    head = more_users["office_head"]
    campaign = new_campaign(region, more_users["city_admin"], **stages(-1, 10, 20))
    sub = filled(campaign, region.office_a1, head)
    url = reverse("assessments:submission_self", args=[sub.pk])
    client = client_for(head)
    before = fresh(sub).version
    response = client.post(url, self_post(campaign, fresh(sub), submit="1", **{"comment_1.1": "先存"}))
    assert response.status_code == 400 and fresh(sub).version == before + 1
    # Saved again from the page as shown: a plain save, not a 409 "someone else saved".
    response = client.post(url, self_post(campaign, fresh(sub), version=page_version(response),
                                          **{"comment_1.1": "再存"}))
    assert response.status_code == 302
    assert fresh(sub).marks.get(item_id="1.1", level="self").comment == "再存"


# --- the city's extension (延期) ---------------------------------------------------------------------------------


def test_the_city_extends_one_office_s_deadline_audited_and_told_in_its_inbox(region, more_users):
    head, city = more_users["office_head"], more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(-2, 10, 20))
    sub = filled(campaign, region.office_a1, head)
    version = sub.version
    services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(5), reason="所长病休，同意延期")
    sub = fresh(sub)
    assert (sub.self_deadline_extended_to, sub.extension_reason, sub.extended_by_name) == (
        days(5), "所长病休，同意延期", "city_admin")
    assert sub.version == version  # the office's open form stays valid
    event = AuditEvent.objects.filter(event_type=EventType.UPDATE, object_id=str(sub.pk)).latest("seq")
    assert event.reason == "所长病休，同意延期" and event.details["kind"] == "assessment.extension"
    assert event.before["self_deadline"] == str(days(-2)) and event.after["self_deadline"] == str(days(5))
    told = [i for i in inbox_items(head) if i.kind == "extension"]
    assert len(told) == 1 and told[0].body == "所长病休，同意延期" and told[0].due == days(5)
    assert f"{days(5):%Y-%m-%d}" in told[0].title
    assert not [i for i in inbox_items(more_users["other_county_head"]) if i.kind == "extension"]
    # Other offices of the campaign are still closed; this one may submit.
    assert submit(sub, head).status == Status.SUBMITTED
    with pytest.raises(ValidationError):
        submit(filled(campaign, region.office_a2, more_users["office_a2_head"]), more_users["office_a2_head"])


@pytest.mark.parametrize("offset, reason, message", [
    (5, "  ", "A reason is required"),
    (-3, "延期", "after the campaign's self-evaluation deadline"),
    (-1, "延期", "lies in the past"),
    (11, "延期", "must not be after the county review deadline"),
])
def test_an_extension_is_refused_without_a_reason_or_outside_its_window(region, more_users, offset, reason, message):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(-2, 10, 20))
    sub = sub_of(campaign, region.office_a1)
    with pytest.raises(ValidationError) as exc:
        services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(offset), reason=reason)
    assert message in " ".join(exc.value.messages)
    assert fresh(sub).self_deadline_extended_to is None
    assert not Reminder.objects.exists()


def test_only_the_city_extends_and_only_a_draft_or_a_returned_submission(region, more_users):
    city, county, head = more_users["city_admin"], more_users["county_reviewer"], more_users["office_head"]
    campaign = new_campaign(region, city, **stages(2, 10, 20))
    sub = sub_of(campaign, region.office_a1)
    for actor in (county, head):
        with pytest.raises(PermissionDenied):
            services.submission_extend_deadline(actor=actor, submission=sub, extended_to=days(5), reason="延期")
    services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(5), reason="延期")
    with pytest.raises(ValidationError, match="already has this deadline"):
        services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(5), reason="延期")
    submit(filled(campaign, region.office_a1, head), head)
    with pytest.raises(ValidationError, match="not submitted yet"):
        services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(6), reason="延期")
    services.submission_return(actor=county, submission=sub, expected_version=fresh(sub).version, reason="补")
    # A returned submission runs until the review deadline anyway: an extension must go past it.
    with pytest.raises(ValidationError, match="until the county review deadline .* anyway"):
        services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(6), reason="延期")
    for actor in (county, head):
        with pytest.raises(PermissionDenied):
            services.submission_extend_deadline(actor=actor, submission=sub, extended_to=days(12), reason="延期")


def returned_late(region, more_users, **deadlines_now):
    """A submission the county returned after the review deadline (the deadlines then moved to `deadlines_now`)."""
    head, county, city = more_users["office_head"], more_users["county_reviewer"], more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(3, 10, 20))
    sub = submit(filled(campaign, region.office_a1, head), head)
    services.campaign_change_deadlines(actor=city, campaign=campaign, **deadlines_now, reason="按实际进度")
    services.submission_return(actor=county, submission=sub, expected_version=fresh(sub).version, reason="补照片")
    return campaign, fresh(sub)


def test_a_submission_returned_after_the_review_deadline_gets_an_extension_up_to_the_audit_deadline(
        region, more_users):
    head, city = more_users["office_head"], more_users["city_admin"]
    campaign, sub = returned_late(region, more_users, **stages(-10, -2, 20))
    closed = deadlines.submit_closed(sub)
    assert f"{days(-2):%Y-%m-%d}" in closed and "extension (延期)" in closed
    assert not selectors.submit_window(sub).extended
    # Not past the audit deadline: the county still has to review the resubmission.
    with pytest.raises(ValidationError) as exc:
        services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(21), reason="延期")
    assert f"city audit deadline ({days(20):%Y-%m-%d})" in exc.value.message_dict["extended_to"][0]
    assert fresh(sub).self_deadline_extended_to is None
    version = sub.version
    services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(5), reason="县局退回较晚")
    sub = fresh(sub)
    assert (sub.submit_deadline, sub.version) == (days(5), version)
    window = selectors.submit_window(sub)
    assert (window.extended, window.campaign_deadline, window.closed) == (True, days(-2), None)
    event = AuditEvent.objects.filter(event_type=EventType.UPDATE, object_id=str(sub.pk)).latest("seq")
    assert event.details == {"kind": "assessment.extension", "status": "returned"}
    assert (event.before["submit_deadline"], event.after["submit_deadline"]) == (str(days(-2)), str(days(5)))
    told = [i for i in inbox_items(head) if i.kind == "extension"]
    assert len(told) == 1 and told[0].body == "县局退回较晚" and f"{days(5):%Y-%m-%d}" in told[0].title
    assert "Resubmission" in told[0].title
    # The office resubmits (a save after a return needs a reason).
    services.submission_save_draft(actor=head, submission=sub, expected_version=sub.version,
                                   items={"1.1": {"score": 2, "comment": "已补照片"}}, reason="补照片")
    assert submit(sub, head).status == Status.SUBMITTED


def test_a_returned_submission_s_extension_that_ran_out_is_named_as_such(region, more_users):
    campaign, sub = returned_late(region, more_users, **stages(-10, -5, 20))
    services.submission_extend_deadline(actor=more_users["city_admin"], submission=sub, extended_to=days(0),
                                        reason="延期一天")
    assert deadlines.submit_closed(fresh(sub)) is None
    closed = deadlines.submit_closed(fresh(sub), today=days(1))
    assert f"{days(0):%Y-%m-%d}" in closed and "the city bureau's extension" in closed


def test_the_city_extends_a_returned_submission_through_its_page(region, more_users, client_for):
    campaign, sub = returned_late(region, more_users, **stages(-10, -2, 20))
    client = client_for(more_users["city_admin"])
    page = client.get(reverse("assessments:submission_detail", args=[sub.pk])).content.decode()
    assert 'data-testid="extend"' in page
    response = client.post(reverse("assessments:deadline_extend", args=[sub.pk]),
                           {"extended_to": days(4).isoformat(), "reason": "县局退回较晚"})
    assert response.status_code == 302 and fresh(sub).submit_deadline == days(4)
    body = client_for(more_users["office_head"]).get(
        reverse("assessments:submission_self", args=[sub.pk])).content.decode()
    assert "县局退回较晚" in body and f"{days(4):%Y-%m-%d}" in body
    assert "disabled" not in body.split('name="submit"')[1].split(">")[0]


# --- the campaign's deadlines ------------------------------------------------------------------------------------


def test_the_city_moves_the_campaign_s_deadlines_in_order_with_a_reason(campaign, region, more_users):
    city = more_users["city_admin"]
    old = (campaign.self_deadline, campaign.review_deadline, campaign.audit_deadline)
    with pytest.raises(ValidationError, match="A reason is required"):
        services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(40, 50, 60), reason="")
    with pytest.raises(ValidationError) as exc:
        services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(40, 30, 60), reason="调整")
    assert "review_deadline" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.campaign_change_deadlines(actor=more_users["county_reviewer"], campaign=campaign,
                                           **stages(40, 50, 60), reason="调整")
    campaign.refresh_from_db()
    assert (campaign.self_deadline, campaign.review_deadline, campaign.audit_deadline) == old
    services.campaign_change_deadlines(actor=city, campaign=campaign, self_deadline=old[0],
                                       review_deadline=old[1] + timedelta(days=7), audit_deadline=old[2],
                                       reason="县局反映考评任务重")
    campaign.refresh_from_db()
    assert campaign.review_deadline == old[1] + timedelta(days=7)
    event = AuditEvent.objects.filter(event_type=EventType.UPDATE, object_type="assessments.campaign").latest("seq")
    assert event.reason == "县局反映考评任务重" and event.details["kind"] == "assessment.deadlines"
    assert event.before == {"review_deadline": str(old[1])}  # only what moved
    with pytest.raises(ValidationError, match="unchanged"):
        services.campaign_change_deadlines(actor=city, campaign=campaign, self_deadline=old[0],
                                           review_deadline=old[1] + timedelta(days=7), audit_deadline=old[2],
                                           reason="再改")


def test_the_review_deadline_cannot_move_before_an_office_s_extension(region, more_users):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(2, 10, 20))
    services.submission_extend_deadline(actor=city, submission=sub_of(campaign, region.office_a1),
                                        extended_to=days(9), reason="延期")
    with pytest.raises(ValidationError) as exc:
        services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(2, 8, 20), reason="提前")
    assert "甲一中心所" in exc.value.message_dict["review_deadline"][0]


def test_a_spent_extension_does_not_block_moving_the_review_deadline(region, more_users):
    head, county, city = more_users["office_head"], more_users["county_reviewer"], more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(2, 10, 20))
    sub = filled(campaign, region.office_a1, head)
    services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(9), reason="延期")
    submit(sub, head)  # the extension is spent: the office has submitted
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(2, 8, 20), reason="提前")
    campaign.refresh_from_db()
    assert campaign.review_deadline == days(8)
    # Returned, it may run until the review deadline or its extension (here the old one, still after it).
    services.submission_return(actor=county, submission=sub, expected_version=fresh(sub).version, reason="补")
    assert fresh(sub).submit_deadline == days(9)
    # A returned submission's extension is bounded by the audit deadline, not the review deadline.
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(2, 5, 20), reason="再提前")
    services.submission_extend_deadline(actor=city, submission=sub, extended_to=days(15), reason="县局退回较晚")
    with pytest.raises(ValidationError) as exc:
        services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(2, 5, 14), reason="审核提前")
    assert list(exc.value.message_dict) == ["audit_deadline"]
    assert "甲一中心所" in exc.value.message_dict["audit_deadline"][0]
    campaign.refresh_from_db()
    assert campaign.audit_deadline == days(20)
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(2, 5, 15), reason="审核提前")


def test_an_old_extension_never_carries_a_returned_submission_past_the_audit_deadline(region, more_users):
    head, county, city = more_users["office_head"], more_users["county_reviewer"], more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(2, 10, 20))
    sub = filled(campaign, region.office_a1, head)
    submit(sub, head)
    services.submission_return(actor=county, submission=sub, expected_version=fresh(sub).version, reason="补")
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(-5, -1, 20), reason="县局退回较晚")
    services.submission_extend_deadline(actor=city, submission=fresh(sub), extended_to=days(15), reason="补正")
    submit(fresh(sub), head)  # resubmitted under the extension, which is now spent
    # Spent, it does not stop the city from moving the audit deadline before it ...
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(-5, -1, 8), reason="审核提前")
    # ... and a second return does not bring the old date back past the new audit deadline.
    services.submission_return(actor=county, submission=fresh(sub), expected_version=fresh(sub).version, reason="再补")
    assert fresh(sub).submit_deadline == days(8)
    services.campaign_change_deadlines(actor=city, campaign=campaign, **stages(-5, -1, 9), reason="再调整")


# --- overdue, and the stages that are not blocked ------------------------------------------------------------------


def test_late_reviews_and_audits_are_overdue_but_still_possible(region, more_users):
    county, city = more_users["county_reviewer"], more_users["city_admin"]
    campaign = new_campaign(region, city, audit_mode="all", **stages(-20, -10, -2))
    a1 = sub_of(campaign, region.office_a1)
    late = selectors.overdue(a1)
    assert (late.stage, late.deadline, late.days) == ("self", days(-20), 20)
    # The stage deadline is the kit's set-date deadline, which explains itself.
    assert late.clock.fixed and late.clock.due == days(-20)
    assert late.explanation.startswith("self-evaluation: a set date") or "规定日期" in late.explanation
    a1 = fill_and_submit(campaign, region.office_a1, None)
    assert (selectors.overdue(a1).stage, selectors.overdue(a1).days) == ("review", 10)
    # The county is late, and still reviews and forwards: the office is not punished for it.
    a1 = review_and_forward(campaign, a1, county)
    assert a1.status == Status.REVIEWED
    assert (selectors.overdue(a1).stage, selectors.overdue(a1).deadline) == ("audit", days(-2))
    services.submission_audit(actor=city, submission=a1, expected_version=fresh(a1).version)
    assert selectors.overdue(fresh(a1)) is None  # waiting for publication has no deadline


def test_the_queue_and_the_submission_page_show_overdue(region, more_users, client_for):
    campaign = new_campaign(region, more_users["city_admin"], **stages(-20, -1, 5))
    a1 = fill_and_submit(campaign, region.office_a1, None)
    a2 = fill_and_submit(campaign, region.office_a2, None)
    services.campaign_change_deadlines(actor=more_users["city_admin"], campaign=campaign, **stages(-20, 3, 5),
                                       reason="放宽")  # nobody late now
    client = client_for(more_users["county_reviewer"])
    queue = reverse("assessments:review_queue", args=[campaign.pk])
    assert 'data-testid="overdue"' not in client.get(queue).content.decode()
    services.campaign_change_deadlines(actor=more_users["city_admin"], campaign=campaign, **stages(-20, -1, 5),
                                       reason="恢复")
    body = client.get(queue).content.decode()
    assert body.count('data-testid="overdue"') == 2 and f"{days(-1):%Y-%m-%d}" in body
    assert body.index("甲一中心所") < body.index("甲二所")  # both offices are listed
    page = client.get(reverse("assessments:submission_detail", args=[a1.pk])).content.decode()
    assert 'data-testid="overdue"' in page
    page = client.get(reverse("assessments:submission_detail", args=[a2.pk]) + "?item=1.1").content.decode()
    assert 'data-testid="overdue"' in page


# --- the pages -------------------------------------------------------------------------------------------------------


def test_the_self_form_shows_the_deadline_and_why_submitting_is_closed(region, more_users, client_for):
    head = more_users["office_head"]
    campaign = new_campaign(region, more_users["city_admin"], **stages(-1, 10, 20))
    sub = filled(campaign, region.office_a1, head)
    url = reverse("assessments:submission_self", args=[sub.pk])
    client = client_for(head)
    body = client.get(url).content.decode()
    assert f"{days(-1):%Y-%m-%d}" in body.split('data-testid="deadline"')[1].split("</div>")[0]
    button = body.split('name="submit"')[1].split(">")[0]
    assert "disabled" in button and 'data-testid="submit-closed"' in body
    # A crafted post is refused by the service all the same; the draft part is saved.
    from .test_views import page_version, self_post

    response = client.post(url, self_post(campaign, fresh(sub), submit="1", **{"comment_1.1": "补"}))
    assert response.status_code == 400 and fresh(sub).status == Status.DRAFT
    assert fresh(sub).marks.get(item_id="1.1", level="self").comment == "补"
    # The page says the draft was saved and why it was not submitted, and carries the saved version.
    with translation.override("zh-hans"):
        saved = _("Draft saved, but not submitted to the county:")
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [("warning", saved)]
    assert f"{days(-1):%Y-%m-%d}" in response.context["form"].non_field_errors()[0]
    assert page_version(response) == fresh(sub).version
    # After the city's extension the button is enabled again, and the extension is explained.
    services.submission_extend_deadline(actor=more_users["city_admin"], submission=sub, extended_to=days(4),
                                        reason="系统故障顺延")
    body = client.get(url).content.decode()
    assert "disabled" not in body.split('name="submit"')[1].split(">")[0]
    assert "系统故障顺延" in body and f"{days(4):%Y-%m-%d}" in body


def test_the_city_extends_through_the_submission_page(region, more_users, client_for):
    city = more_users["city_admin"]
    campaign = new_campaign(region, city, **stages(-1, 10, 20))
    sub = sub_of(campaign, region.office_a1)
    page = reverse("assessments:submission_detail", args=[sub.pk])
    url = reverse("assessments:deadline_extend", args=[sub.pk])
    assert url not in client_for(more_users["office_head"]).get(page).content.decode()
    client = client_for(city)
    assert url in client.get(page).content.decode()
    response = client.post(url, {"extended_to": days(30).isoformat(), "reason": "延期"}, follow=True)
    assert fresh(sub).self_deadline_extended_to is None
    assert "县局考评截止日期" in response.content.decode()  # the service's refusal, as a message (in Chinese)
    response = client.post(url, {"extended_to": "", "reason": ""}, follow=True)
    assert fresh(sub).self_deadline_extended_to is None and response.status_code == 200
    response = client.post(url, {"extended_to": days(3).isoformat(), "reason": "延期"})
    assert response.status_code == 302 and fresh(sub).self_deadline_extended_to == days(3)


def test_the_city_changes_the_deadlines_through_the_campaign_page(campaign, more_users, client_for):
    client = client_for(more_users["city_admin"])
    page = reverse("assessments:campaign_detail", args=[campaign.pk])
    url = reverse("assessments:campaign_deadlines", args=[campaign.pk])
    assert 'data-testid="deadlines-form"' in client.get(page).content.decode()
    later = {k: (v + timedelta(days=7)).isoformat() for k, v in stages(30, 45, 60).items()}
    response = client.post(url, {**later, "reason": "统一顺延一周"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.self_deadline.isoformat() == later["self_deadline"]
    office = client_for(more_users["office_head"]).get(page).content.decode()
    assert 'data-testid="deadlines-form"' not in office


def test_veto_and_bonus_forms_report_form_and_service_errors(campaign, region, more_users, client_for):
    client = client_for(more_users["city_admin"])
    sub = sub_of(campaign, region.office_a1)
    with translation.override("zh-hans"):  # the pages speak the default language
        labels = {name: str(field.label) for name, field in VetoForm.base_fields.items()}
    veto = reverse("assessments:veto_create", args=[sub.pk])
    response = client.post(veto, {"veto_id": "major-accident", "occurred_on": "", "description": ""}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    # Each error is led by its field's label: the form's own errors ...
    assert [m.split(": ")[0] for m in messages] == [labels["occurred_on"], labels["description"]]
    response = client.post(veto, {"veto_id": "major-accident", "occurred_on": days(3).isoformat(),
                                  "description": "x"}, follow=True)
    # ... and the service's, by the field it names.
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith(f"{labels['occurred_on']}: ")
    assert not sub.vetoes.exists()
    bonus = reverse("assessments:bonus_create", args=[sub.pk])
    response = client.post(bonus, {"bonus_id": "county-satisfied", "awarded_on": "2021-08-01"}, follow=True)
    assert sub.bonuses.count() == 1 and response.status_code == 200
    response = client.post(bonus, {"bonus_id": "county-satisfied", "awarded_on": "2021-08-01"}, follow=True)
    assert sub.bonuses.count() == 1
    with translation.override("zh-hans"):
        expected = f"{BonusForm.base_fields['bonus_id'].label}: {_('This bonus is already registered for this unit.')}"
    assert [str(m) for m in response.context["messages"]] == [expected]
