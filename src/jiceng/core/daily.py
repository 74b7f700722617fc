"""The one daily runner: every task an app registered with `core.registry.daily(app, "HH:MM", path)`
runs once a day at its time (local time, settings.TIME_ZONE), without cron.

`run_daily` is a background task (django-tasks, run by `jiceng db_worker`) that
schedules itself: each run first enqueues the next run for the next registered
time of day (the database backend's `run_after`), then enqueues every registered
task whose latest time has passed and which has not been enqueued since. At most
one future run is ever waiting: `schedule()` (called by `jiceng serve` at start,
`jiceng schedule` and `jiceng remind --schedule`) enqueues one only when none is
waiting, serialised by a lock. A task that missed its time (the machine was off,
or this is the first start) is caught up as soon as the worker runs: `schedule()`
then enqueues the runner for right away.

"Enqueued since its latest time" is read from the task queue itself (the task's
own rows in django-tasks-db), so there is no table of last runs to keep, a
failing task does not stop the others (each is its own job) and the chain goes
on whatever a task does. Tasks must be idempotent: an extra run (e.g. a manual
`jiceng remind`) must create nothing twice.
"""

from __future__ import annotations

import logging
import zlib
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import registry

logger = logging.getLogger(__name__)


def _local(now: datetime) -> datetime:
    return now.astimezone(timezone.get_default_timezone())


def next_slot(at: time, now: datetime) -> datetime:
    """The first `at` (local time) strictly after `now`, as an aware datetime."""
    zone = timezone.get_default_timezone()
    local = _local(now)
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate


def last_slot(at: time, now: datetime) -> datetime:
    """The latest `at` (local time) at or before `now`."""
    zone = timezone.get_default_timezone()
    local = _local(now)
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate > local:
        candidate = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=zone)
    return candidate


def next_run_at(now: datetime, tasks=None) -> datetime | None:
    """When the runner next has something to do: the earliest registered time strictly after `now`."""
    tasks = registry.daily_tasks() if tasks is None else tasks
    return min((next_slot(t.at, now) for t in tasks), default=None)


def _lock() -> None:
    """Serialise check-then-enqueue across processes (inside the caller's transaction).

    PostgreSQL: a transaction-level advisory lock. SQLite: Jiceng opens every
    transaction with BEGIN IMMEDIATE (settings), which already takes the write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"jiceng.core.daily.run_daily")])


def _rows(task_obj):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_obj.module_path, backend_name=task_obj.get_backend().alias)


def due(now: datetime) -> list[registry.DailyTask]:
    """The registered tasks whose latest time has passed without their being enqueued since."""
    return [
        entry for entry in registry.daily_tasks()
        if not _rows(entry.load()).filter(enqueued_at__gte=last_slot(entry.at, now)).exists()
    ]


def _database_backend() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(run_daily.get_backend(), DatabaseBackend)


def schedule(*, catch_up: bool = True, now: datetime | None = None):
    """Make sure one run of the runner is waiting; returns the run enqueued now, or None.

    None when a run was already waiting, when no app registered a daily task, or
    when the task backend keeps no queue in the database (a warning says so: run
    the tasks from that backend's scheduler instead). With `catch_up` (a server
    starting) a task that missed its time gets the runner right away.
    """
    if not _database_backend():
        logger.warning("daily tasks are not scheduled: the task backend %r does not store tasks in the database; "
                       "run them from that backend's scheduler (or cron) instead", run_daily.get_backend().alias)
        return None
    with transaction.atomic():
        _lock()
        if _rows(run_daily).filter(status=TaskResultStatus.READY).exists():
            return None
        now = now or timezone.now()
        run_after = next_run_at(now)
        if run_after is None:
            return None
        if catch_up and due(now):
            return run_daily.enqueue()
        return run_daily.using(run_after=run_after).enqueue()


def run_once(now: datetime | None = None) -> dict:
    """The runner's work: the next run first (one failing task does not end the chain), then the due tasks."""
    now = now or timezone.now()
    schedule(catch_up=False, now=now)
    enqueued = []
    with transaction.atomic():
        _lock()
        for entry in due(now):
            result = entry.load().enqueue()
            enqueued.append({"task": entry.path, "id": str(result.id)})
    return {"at": _local(now).isoformat(timespec="minutes"), "enqueued": enqueued}


@task()
def run_daily() -> dict:
    return run_once()
