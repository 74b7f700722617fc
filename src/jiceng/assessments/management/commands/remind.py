"""`jiceng remind [--days N] [--today YYYY-MM-DD] [--now] [--schedule]`: remind whoever must act before each deadline."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiceng.assessments.tasks import DEFAULT_DAYS, create_reminders, remind
from jiceng.core import daily


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise CommandError(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = ("Enqueue the deadline reminders (run by the task worker), create them now with --now, or make sure "
            "the daily 07:00 run is scheduled with --schedule.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS,
                            help=f"remind of deadlines within this many days (default {DEFAULT_DAYS})")
        parser.add_argument("--today", type=_day, default=None, help="the day to count from (default: today)")
        parser.add_argument("--now", action="store_true", help="create the reminders in this process, not in the worker")
        parser.add_argument("--schedule", action="store_true",
                            help="make sure the daily run (07:00, local time) is waiting for the worker; "
                                 "`jiceng serve` does this at start")

    def handle(self, *args, days, today, now, schedule, **options):
        if days < 0:
            raise CommandError("--days must not be negative")
        if schedule:
            # The reminders run from the one daily runner (core.daily), which also runs every other daily task.
            result = daily.schedule()
            if result is None:
                self.stdout.write("the daily reminders are already scheduled (or the task backend cannot schedule)")
            else:
                when = timezone.localtime(result.task.run_after) if result.task.run_after else "now"
                self.stdout.write(f"daily reminders scheduled: daily run {result.id}, first run {when}")
            return
        if now:
            outcome = create_reminders(days=days, today=date.fromisoformat(today) if today else None)
            self.stdout.write(f"reminders created: {outcome['created']} (due within {days} days: {outcome['due']})")
            return
        result = remind.enqueue(days=days, today=today)
        self.stdout.write(f"enqueued task {result.id} on backend {result.backend!r} (status {result.status})")
