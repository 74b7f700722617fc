"""Deadline reminders as background tasks (the Django tasks API, django-tasks with django-tasks-db).

The campaign's deadlines lie ahead of today (the submission closes with its
deadline, see tests/factories.py open_deadlines), so the days the reminders
are counted from are taken relative to them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus

from jiceng.assessments.tasks import remind
from jiceng.inbox.models import Reminder

from .conftest import audit, forward, submit


def before(deadline: date, days: int) -> str:
    """The day `days` days before `deadline`, as the task takes it (YYYY-MM-DD)."""
    return (deadline - timedelta(days=days)).isoformat()


def test_the_task_reminds_offices_whose_self_evaluation_is_due(campaign, region):
    due = campaign.self_deadline
    result = remind.enqueue(days=3, today=before(due, 2))
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"today": before(due, 2), "days": 3, "due": 3, "created": 3}
    reminders = Reminder.objects.order_by("unit__code")
    assert [(r.unit.code, r.action, r.due) for r in reminders] == [
        ("CA1", "assessment.self", due), ("CA2", "assessment.self", due), ("CB1", "assessment.self", due)]
    assert f"{due:%Y-%m-%d}" in reminders[0].title and reminders[0].url.endswith("/self/")


def test_running_it_again_creates_nothing_new(campaign):
    remind.enqueue(days=3, today=before(campaign.self_deadline, 2))
    again = remind.enqueue(days=3, today=before(campaign.self_deadline, 1))
    assert again.return_value["created"] == 0 and Reminder.objects.count() == 3


def test_nothing_is_due_outside_the_window(campaign):
    assert remind.enqueue(days=3, today=before(campaign.self_deadline, 29)).return_value["due"] == 0
    # The day after the deadline is no longer "before" it.
    assert remind.enqueue(days=3, today=before(campaign.self_deadline, -1)).return_value["due"] == 0


def test_an_extension_moves_the_office_s_reminder_to_its_own_date(campaign, region, people):
    from jiceng.assessments import services

    sub = campaign.submissions.get(unit=region.office_a1)
    later = campaign.self_deadline + timedelta(days=5)
    services.submission_extend_deadline(actor=people["city_admin"], submission=sub, extended_to=later,
                                        reason="所长病休")
    remind.enqueue(days=3, today=before(campaign.self_deadline, 2))
    assert sorted(Reminder.objects.filter(kind="deadline").values_list("unit__code", flat=True)) == ["CA2", "CB1"]
    remind.enqueue(days=3, today=before(later, 1))
    reminder = Reminder.objects.get(kind="deadline", unit=region.office_a1)
    assert reminder.due == later and f"{later:%Y-%m-%d}" in reminder.title


def test_reviewers_and_auditors_are_reminded_once_per_campaign(campaign, region, people):
    submit(campaign, region.office_a1, people["office_head"])
    submit(campaign, region.office_a2, people["office_a2_head"])
    review_due, audit_due = campaign.review_deadline, campaign.audit_deadline
    remind.enqueue(days=5, today=before(review_due, 3))
    review = Reminder.objects.get(kind="deadline", action="assessment.review")
    assert review.unit == region.county_a and review.due == review_due
    assert review.title == f"Reminder: 2 submissions to review by {review_due:%Y-%m-%d}"
    a1 = campaign.submissions.get(unit=region.office_a1)
    forward(campaign, a1, people["county_reviewer"])
    remind.enqueue(days=3, today=before(audit_due, 2))
    reminder = Reminder.objects.get(action="assessment.audit")
    assert reminder.unit == region.city and reminder.due == audit_due
    audit(a1, people["city_admin"])
    assert remind.enqueue(days=3, today=before(audit_due, 2)).return_value["due"] == 0


def test_in_cross_check_mode_the_auditing_county_is_reminded(region, people):
    from .conftest import new_campaign

    campaign = new_campaign(region.city, people["city_admin"], audit_mode="cross")
    a1 = submit(campaign, region.office_a1, people["office_head"])
    forward(campaign, a1, people["county_reviewer"])
    remind.enqueue(days=3, today=before(campaign.audit_deadline, 2))
    reminder = Reminder.objects.get(kind="deadline")
    assert (reminder.unit, reminder.action) == (region.county_b, "assessment.review")


# The worker opens and closes database connections as a real worker process does,
# which the per-test transaction of a plain test would not survive.
@pytest.mark.django_db(transaction=True)
def test_the_database_backend_stores_the_task_for_the_worker(campaign, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    today = before(campaign.self_deadline, 2)
    result = remind.enqueue(days=3, today=today)
    assert result.status == TaskResultStatus.READY
    row = DBTaskResult.objects.get(id=result.id)
    assert row.task_path == "jiceng.assessments.tasks.remind"
    assert row.args_kwargs == {"args": [], "kwargs": {"days": 3, "today": today}}
    assert Reminder.objects.count() == 0  # nothing happens until a worker runs it
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value["created"] == 3
    assert Reminder.objects.count() == 3


def test_the_command_enqueues_or_runs_now(campaign, settings, capsys):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    today = before(campaign.self_deadline, 2)
    call_command("remind", "--days", "3", "--today", today)
    assert "enqueued task" in capsys.readouterr().out and DBTaskResult.objects.count() == 1
    call_command("remind", "--days", "3", "--today", today, "--now")
    assert capsys.readouterr().out.strip() == "reminders created: 3 (due within 3 days: 3)"


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("remind", "--today", "2021-13-01")


# --- the daily run, from the one daily runner (core.daily; no cron) ----------------------------------------

RUNNER = "jiceng.core.daily.run_daily"
REMIND_DAILY = "jiceng.assessments.tasks.remind_daily"


def test_the_reminders_are_registered_for_seven_o_clock_and_the_run_is_at_the_next_one_shanghai_time():
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from jiceng.core import registry
    from jiceng.core.daily import next_run_at

    assert [(t.at, t.path) for t in registry.daily_tasks() if t.app == "assessments"] == [(time(7, 0), REMIND_DAILY)]
    shanghai = ZoneInfo("Asia/Shanghai")
    reminders = [t for t in registry.daily_tasks() if t.path == REMIND_DAILY]

    def utc(*args):
        return datetime(*args, tzinfo=UTC)

    # 06:59 in Shanghai is 22:59 UTC the evening before: the run is the same (local) morning.
    assert next_run_at(utc(2026, 11, 22, 22, 59), reminders) == datetime(2026, 11, 23, 7, 0, tzinfo=shanghai)
    # At 07:00 sharp that run is under way: the next one is the following morning.
    assert next_run_at(utc(2026, 11, 22, 23, 0), reminders) == datetime(2026, 11, 24, 7, 0, tzinfo=shanghai)
    assert next_run_at(utc(2026, 12, 31, 15, 30), reminders) == datetime(2027, 1, 1, 7, 0, tzinfo=shanghai)


def _waiting_daily_runs():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=RUNNER, status="READY")


def _run_worker():
    """Run every task due now (the runner, then what it enqueued), then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_daily_run_creates_the_reminders_and_enqueues_exactly_one_next_run(region, people, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from factories import open_deadlines
    from jiceng.core import registry
    from jiceng.core.daily import next_run_at, schedule

    from .conftest import new_campaign

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    new_campaign(region.city, people["city_admin"], **open_deadlines(days=2))  # due within the 3 days reminded of
    first = schedule()
    # It never ran: the first run is now, not tomorrow morning.
    assert first is not None and first.task.run_after is None
    assert schedule() is None and _waiting_daily_runs().count() == 1  # seeding twice: one run

    _run_worker()
    assert DBTaskResult.objects.get(id=first.id).status == "SUCCESSFUL"
    ran = DBTaskResult.objects.get(task_path=REMIND_DAILY)  # the runner enqueued the reminders once
    assert ran.status == "SUCCESSFUL" and ran.return_value["created"] == 3
    assert Reminder.objects.filter(kind="deadline").count() == 3
    waiting = _waiting_daily_runs().get()  # exactly one next run
    assert waiting.run_after == next_run_at(waiting.enqueued_at)
    at = timezone.localtime(waiting.run_after, timezone.get_default_timezone())
    # At a registered time of day (07:00 for the reminders; other apps may register earlier ones).
    assert (at.hour, at.minute, at.second) in {(t.at.hour, t.at.minute, 0) for t in registry.daily_tasks()}
    assert timedelta(0) < waiting.run_after - timezone.now() <= timedelta(days=1)

    # A server starting again (or `jiceng remind --schedule`) adds nothing while a run waits.
    assert schedule() is None
    call_command("remind", "--schedule")
    assert _waiting_daily_runs().get().pk == waiting.pk


@pytest.mark.django_db(transaction=True)
def test_a_lost_schedule_is_seeded_for_later_once_today_s_run_happened(region, people, settings, capsys):
    from django_tasks_db.models import DBTaskResult

    from jiceng.core.daily import next_run_at, run_daily

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_daily.enqueue()
    _run_worker()  # today's run happened, enqueued the reminders and the next run
    assert DBTaskResult.objects.filter(task_path=REMIND_DAILY, status="SUCCESSFUL").count() == 1
    _waiting_daily_runs().delete()  # the queue was lost (e.g. pruned by hand)
    call_command("remind", "--schedule")
    assert "daily reminders scheduled" in capsys.readouterr().out
    seeded = _waiting_daily_runs().get()
    # Not a second run now: the next registered time, as a run would have enqueued it.
    assert seeded.run_after == next_run_at(seeded.enqueued_at)


def test_without_the_database_backend_nothing_is_scheduled(campaign, caplog):
    from jiceng.core.daily import schedule

    # This package's tests run tasks with the immediate backend (conftest), which keeps no queue.
    assert schedule() is None
    assert "not scheduled" in caplog.text
