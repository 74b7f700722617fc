"""`jiceng schedule [--list]`: make sure the one daily runner (core.daily) is waiting; list the daily tasks."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from jiceng.core import daily, registry


class Command(BaseCommand):
    help = ("Make sure the daily runner is waiting for the task worker (`jiceng serve` does this at start); "
            "--list: only print the registered daily tasks.")

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", dest="list_only", help="print the daily tasks the apps registered")

    def handle(self, *args, list_only=False, **options):
        for entry in registry.daily_tasks():
            self.stdout.write(f"{entry.at:%H:%M}  {entry.path}  ({entry.app})")
        if list_only:
            return
        result = daily.schedule()
        if result is None:
            self.stdout.write("the daily run is already scheduled (or nothing to schedule, or the task backend cannot)")
        else:
            when = timezone.localtime(result.task.run_after) if result.task.run_after else "now"
            self.stdout.write(f"daily run scheduled: task {result.id}, first run {when}")
