"""Background tasks of the assessments (the Django tasks API through the django-tasks backport).

Run by the worker of the configured backend (django-tasks-db by default:
`jiceng db_worker`); `jiceng remind` enqueues the reminder task, and a daily
timer (cron, systemd) calling it keeps the reminders going.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from jiceng.inbox.services import reminders_create

from .outputs.inbox import deadline_reminders

DEFAULT_DAYS = 3


def create_reminders(*, days: int = DEFAULT_DAYS, today: date | None = None) -> dict:
    """Remind whoever must act of every deadline within `days` days; idempotent (see outputs.inbox)."""
    if days < 0:
        raise ValueError("days must not be negative")
    today = today or timezone.localdate()
    specs = deadline_reminders(today, days)
    created = reminders_create(specs=specs, source="assessments.remind")
    return {"today": today.isoformat(), "days": days, "due": len(specs), "created": len(created)}


@task()
def remind(days: int = DEFAULT_DAYS, today: str | None = None) -> dict:
    """The task: its arguments and result are JSON (a date travels as YYYY-MM-DD)."""
    return create_reminders(days=days, today=date.fromisoformat(today) if today else None)
