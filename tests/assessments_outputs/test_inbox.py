"""The in-app inbox: items read from the workflow's state, stored reminders, read marks, the count in the menu."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from jiceng.assessments import services
from jiceng.inbox import selectors
from jiceng.inbox import services as inbox_services
from jiceng.inbox.services import ReminderSpec

from .conftest import fresh, submit


def _kinds(user) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in selectors.inbox_items(user):
        out.setdefault(item.kind, []).append(item)
    return out


def test_an_office_sees_its_submission_due_with_the_deadline(campaign, people):
    due = _kinds(people["office_head"])["due"]
    assert len(due) == 1 and due[0].due == campaign.self_deadline and due[0].unread
    assert "甲一中心所" in due[0].title
    # The county reviewer of the office does not get the office's own to-do.
    assert "due" not in _kinds(people["county_reviewer"])


def test_a_return_reaches_the_office_with_its_reason(campaign, region, people):
    sub = submit(campaign, region.office_a1, people["office_head"])
    assert "due" not in _kinds(people["office_head"])
    review = _kinds(people["county_reviewer"])["review"]
    assert len(review) == 1 and review[0].title.startswith(
        f"1 submissions await your review by {campaign.review_deadline:%Y-%m-%d}")
    services.submission_return(actor=people["county_reviewer"], submission=sub, expected_version=sub.version,
                               reason="2.2项未附现场照片，请补充。")
    returned = _kinds(people["office_head"])["returned"]
    assert returned[0].body == "2.2项未附现场照片，请补充。" and returned[0].level == "danger"
    assert "review" not in _kinds(people["county_reviewer"])
    assert "returned" not in _kinds(people["other_county_head"])


def test_results_and_revocations_reach_the_office(county_a_published, people):
    kinds = _kinds(people["office_a2_head"])
    assert kinds["result"][0].title == "Result published: 甲二所 · 达标, total 98"
    assert "revoked" not in kinds
    services.veto_register(actor=people["city_admin"], submission=county_a_published["a2"],
                           veto_id="dereliction-petition", occurred_on=date(2021, 12, 3), description="群体性上访。")
    revoked = _kinds(people["office_a2_head"])["revoked"]
    assert len(revoked) == 1 and "群体性上访" in revoked[0].body
    assert "revoked" not in _kinds(people["office_head"])


def test_a_reminder_reaches_the_holders_of_its_action_at_its_unit_only(campaign, region, people):
    inbox_services.reminders_create(source="test", specs=[ReminderSpec(
        unit_id=region.office_a1.pk, action="assessment.self", kind="deadline", title="自评即将截止", key="k1")])
    def titles(user):
        return [i.title for i in selectors.inbox_items(user) if i.kind == "deadline"]

    assert titles(people["office_head"]) == ["自评即将截止"]
    assert titles(people["office_staff"]) == ["自评即将截止"]
    for outsider in ("county_reviewer", "city_admin", "other_county_head", "office_a2_head"):
        assert titles(people[outsider]) == [], outsider


def test_creating_reminders_twice_creates_them_once_and_is_on_the_record(region):
    from jiceng.core.models import AuditEvent, EventType

    spec = ReminderSpec(unit_id=region.office_a1.pk, action="assessment.self", kind="deadline", title="t", key="k")
    assert len(inbox_services.reminders_create(source="test", specs=[spec, spec])) == 1
    assert inbox_services.reminders_create(source="test", specs=[spec]) == []
    event = AuditEvent.objects.filter(event_type=EventType.CREATE).latest("seq")
    assert event.details == {"kind": "inbox.reminders", "source": "test", "created": 1, "keys": ["k"]}
    assert event.actor_name == "system"


def test_reading_an_item_lowers_the_unread_count_in_the_menu(campaign, region, people, client_for):
    sub = submit(campaign, region.office_a1, people["office_head"])
    services.submission_return(actor=people["county_reviewer"], submission=sub, expected_version=sub.version,
                               reason="请补充。")
    client = client_for(people["office_head"])
    page = client.get(reverse("inbox:inbox"))
    assert page.status_code == 200
    nav = {item["url"]: str(item["label"]) for item in page.context["nav_items"]}
    assert nav[reverse("inbox:inbox")] == "消息（1）"
    assert selectors.unread_count(people["office_head"]) == 1
    key = selectors.inbox_items(people["office_head"])[0].key
    response = client.post(reverse("inbox:mark_read"), {"key": key, "next": reverse("assessments:submission_self",
                                                                                      args=[sub.pk])})
    assert response.status_code == 302 and response["Location"].endswith(f"/submissions/{sub.pk}/self/")
    assert selectors.unread_count(people["office_head"]) == 0
    nav = {item["url"]: str(item["label"]) for item in client.get(reverse("inbox:inbox")).context["nav_items"]}
    assert nav[reverse("inbox:inbox")] == "消息"
    # Read marks are per user: the office's other member still has it unread.
    assert selectors.unread_count(people["office_staff"]) == 1


def test_a_new_return_is_unread_again(campaign, region, people):
    head, county = people["office_head"], people["county_reviewer"]
    sub = submit(campaign, region.office_a1, head)
    services.submission_return(actor=county, submission=sub, expected_version=sub.version, reason="第一次退回。")
    inbox_services.mark_read(user=head, keys=[i.key for i in selectors.inbox_items(head)])
    assert selectors.unread_count(head) == 0
    sub = fresh(sub)
    services.submission_submit(actor=head, submission=sub, expected_version=sub.version)
    sub = fresh(sub)
    services.submission_return(actor=county, submission=sub, expected_version=sub.version, reason="第二次退回。")
    assert selectors.unread_count(head) == 1


def test_mark_read_ignores_a_redirect_to_another_site(campaign, people, client_for):
    client = client_for(people["office_head"])
    response = client.post(reverse("inbox:mark_read"), {"all": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("inbox:inbox")
    assert selectors.unread_count(people["office_head"]) == 0


def test_the_inbox_needs_a_log_in(client):
    response = client.get(reverse("inbox:inbox"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
