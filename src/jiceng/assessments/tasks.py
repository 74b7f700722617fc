"""Background tasks of the assessments (the Django tasks API through the django-tasks backport).

Run by the worker of the configured backend (django-tasks-db by default:
`jiceng db_worker`, which `jiceng serve` starts beside the web server).

The deadline reminders run every day by themselves, without cron: the task
`remind_daily` first enqueues its own next run for 07:00 the next morning
(local time, settings.TIME_ZONE), then creates the reminders.
`schedule_daily_reminders()` seeds that chain and is safe to call any number of
times: at most one future run is ever waiting. `jiceng serve` calls it at
start (core/management/commands/serve.py SCHEDULES), and so does `jiceng remind
--schedule`. `remind` is the one-off task behind `jiceng remind`.
"""

from __future__ import annotations

import logging
import zlib
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from jiceng.inbox.services import reminders_create

from .deadlines import local_today
from .outputs.inbox import deadline_reminders

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 3
DAILY_AT = time(7, 0)  # local time: before the offices open


def create_reminders(*, days: int = DEFAULT_DAYS, today: date | None = None) -> dict:
    """Remind whoever must act of every deadline within `days` days; idempotent (see outputs.inbox)."""
    if days < 0:
        raise ValueError("days must not be negative")
    today = today or local_today()
    specs = deadline_reminders(today, days)
    created = reminders_create(specs=specs, source="assessments.remind")
    return {"today": today.isoformat(), "days": days, "due": len(specs), "created": len(created)}


@task()
def remind(days: int = DEFAULT_DAYS, today: str | None = None) -> dict:
    """The task: its arguments and result are JSON (a date travels as YYYY-MM-DD)."""
    return create_reminders(days=days, today=date.fromisoformat(today) if today else None)


# --- the daily run -------------------------------------------------------------------------------------


def next_run_at(now: datetime) -> datetime:
    """The first DAILY_AT (07:00 in settings.TIME_ZONE) strictly after `now`, as an aware datetime."""
    zone = timezone.get_default_timezone()
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), DAILY_AT, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), DAILY_AT, tzinfo=zone)
    return candidate


def _lock_schedule() -> None:
    """Serialise the check-then-enqueue of two processes seeding at once (inside the caller's transaction).

    PostgreSQL: a transaction-level advisory lock. SQLite: Jiceng opens every
    transaction with BEGIN IMMEDIATE (settings), which already takes the
    database's write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"jiceng.assessments.remind_daily")])


def schedule_daily_reminders(*, catch_up: bool = True):
    """Make sure one run of `remind_daily` is waiting; returns the run enqueued now, or None if one was waiting.

    The next run is at the next 07:00. With `catch_up` (a server starting),
    a day whose 07:00 run did not happen (the machine was off, or this is the
    first start) gets a run right away; reminders are idempotent, so an extra
    run creates nothing twice. Needs a backend that stores tasks in the
    database (django-tasks-db): with another backend nothing is scheduled and
    a warning says so (use `jiceng remind` from that backend's scheduler).
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = remind_daily.get_backend()
    if not isinstance(backend, DatabaseBackend):
        logger.warning("daily reminders are not scheduled: the task backend %r does not store tasks in the "
                       "database; run `jiceng remind` daily instead", backend.alias)
        return None
    runs = DBTaskResult.objects.filter(task_path=remind_daily.module_path, backend_name=backend.alias)
    with transaction.atomic():
        _lock_schedule()
        if runs.filter(status=TaskResultStatus.READY).exists():
            return None
        now = timezone.now()
        run_after = next_run_at(now)
        last_slot = run_after - timedelta(days=1)  # today's 07:00 if it has passed, else yesterday's
        if catch_up and not runs.filter(status=TaskResultStatus.SUCCESSFUL, finished_at__gte=last_slot).exists():
            return remind_daily.enqueue()
        return remind_daily.using(run_after=run_after).enqueue()


@task()
def remind_daily(days: int = DEFAULT_DAYS) -> dict:
    """Today's reminders; the next run is enqueued first, so one failing day does not end the chain."""
    schedule_daily_reminders(catch_up=False)
    return create_reminders(days=days)
