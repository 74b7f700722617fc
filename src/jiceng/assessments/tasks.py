"""Background tasks of the assessments (the Django tasks API through the django-tasks backport).

Run by the worker of the configured backend (django-tasks-db by default:
`jiceng db_worker`, which `jiceng serve` starts beside the web server).

The deadline reminders run every day at 07:00 (local time, settings.TIME_ZONE)
without cron: `remind_daily` is registered with the one daily runner
(core.daily, from AssessmentsConfig.ready()), which `jiceng serve`, `jiceng
schedule` and `jiceng remind --schedule` seed. `remind` is the one-off task
behind `jiceng remind`.
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from jiceng.inbox.services import reminders_create

from .deadlines import local_today
from .outputs.inbox import deadline_reminders

DEFAULT_DAYS = 3


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


@task()
def remind_daily(days: int = DEFAULT_DAYS) -> dict:
    """Today's reminders: registered in AssessmentsConfig.ready() to run daily at 07:00 (core.daily)."""
    return create_reminders(days=days)
