"""Deadline reminders as background tasks (the Django tasks API, django-tasks with django-tasks-db)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from jiceng.assessments.tasks import remind
from jiceng.inbox.models import Reminder

from .conftest import audit, forward, submit


def test_the_task_reminds_offices_whose_self_evaluation_is_due(campaign, region):
    result = remind.enqueue(days=3, today="2021-09-28")
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"today": "2021-09-28", "days": 3, "due": 3, "created": 3}
    reminders = Reminder.objects.order_by("unit__code")
    assert [(r.unit.code, r.action, r.due) for r in reminders] == [
        ("CA1", "assessment.self", date(2021, 9, 30)), ("CA2", "assessment.self", date(2021, 9, 30)),
        ("CB1", "assessment.self", date(2021, 9, 30))]
    assert "2021-09-30" in reminders[0].title and reminders[0].url.endswith("/self/")


def test_running_it_again_creates_nothing_new(campaign):
    remind.enqueue(days=3, today="2021-09-28")
    again = remind.enqueue(days=3, today="2021-09-29")
    assert again.return_value["created"] == 0 and Reminder.objects.count() == 3


def test_nothing_is_due_outside_the_window(campaign):
    assert remind.enqueue(days=3, today="2021-09-01").return_value["due"] == 0
    # The day after the deadline is no longer "before" it.
    assert remind.enqueue(days=3, today="2021-10-01").return_value["due"] == 0


def test_reviewers_and_auditors_are_reminded_once_per_campaign(campaign, region, people):
    submit(campaign, region.office_a1, people["office_head"])
    submit(campaign, region.office_a2, people["office_a2_head"])
    remind.enqueue(days=5, today="2021-10-12")
    review = Reminder.objects.get(kind="deadline", action="assessment.review")
    assert review.unit == region.county_a and review.due == date(2021, 10, 15)
    assert review.title == "Reminder: 2 submissions to review by 2021-10-15"
    a1 = campaign.submissions.get(unit=region.office_a1)
    forward(campaign, a1, people["county_reviewer"])
    remind.enqueue(days=3, today="2021-10-29")
    reminder = Reminder.objects.get(action="assessment.audit")
    assert reminder.unit == region.city and reminder.due == date(2021, 10, 31)
    audit(a1, people["city_admin"])
    assert remind.enqueue(days=3, today="2021-10-29").return_value["due"] == 0


def test_in_cross_check_mode_the_auditing_county_is_reminded(region, people):
    from .conftest import new_campaign

    campaign = new_campaign(region.city, people["city_admin"], audit_mode="cross")
    a1 = submit(campaign, region.office_a1, people["office_head"])
    forward(campaign, a1, people["county_reviewer"])
    remind.enqueue(days=3, today="2021-10-29")
    reminder = Reminder.objects.get(kind="deadline")
    assert (reminder.unit, reminder.action) == (region.county_b, "assessment.review")


# The worker opens and closes database connections as a real worker process does,
# which the per-test transaction of a plain test would not survive.
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_stores_the_task_for_the_worker(campaign, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = remind.enqueue(days=3, today="2021-09-28")
    assert result.status == TaskResultStatus.READY
    row = DBTaskResult.objects.get(id=result.id)
    assert row.task_path == "jiceng.assessments.tasks.remind"
    assert row.args_kwargs == {"args": [], "kwargs": {"days": 3, "today": "2021-09-28"}}
    assert Reminder.objects.count() == 0  # nothing happens until a worker runs it
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value["created"] == 3
    assert Reminder.objects.count() == 3


def test_the_command_enqueues_or_runs_now(campaign, settings, capsys):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("remind", "--days", "3", "--today", "2021-09-28")
    assert "enqueued task" in capsys.readouterr().out and DBTaskResult.objects.count() == 1
    call_command("remind", "--days", "3", "--today", "2021-09-28", "--now")
    assert capsys.readouterr().out.strip() == "reminders created: 3 (due within 3 days: 3)"


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", "--today", "2021-13-01")
