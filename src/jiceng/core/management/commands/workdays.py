"""`jiceng workdays add|between|load|list`: the working-day clock from the command line.

    jiceng workdays add 2026-09-24 5                 the date 5 working days after (from the day after)
    jiceng workdays add 2026-09-24 5 --calendar-days  ... 5 calendar days after
    jiceng workdays between 2026-09-24 2026-10-09    working days after the first, up to the second
    jiceng workdays load FILE.yaml [--replace] [--user NAME | --operator NAME]
    jiceng workdays list                             the covered years and where each comes from

Exit status: 0 done; 1 the schedule file was refused (nothing saved); 2 a date in a year that
no schedule covers (the message names the year to load), or wrong arguments.
"""

from __future__ import annotations

import getpass
import sys
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jiceng.calendar import ScheduleError, YearNotCovered, parse_yaml
from jiceng.core import workdays


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}, returncode=2) from None


class Command(BaseCommand):
    help = "The working-day clock: add working or calendar days, count working days, load a year's schedule."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the date N working days after START (counting from the day after)")
        add.add_argument("start")
        add.add_argument("n", type=int)
        add.add_argument("--calendar-days", action="store_true", help="count calendar days instead")
        between = sub.add_parser("between", help="working days after A up to and including B")
        between.add_argument("a")
        between.add_argument("b")
        load = sub.add_parser("load", help="load a year's holidays and swapped working days from YAML")
        load.add_argument("file")
        load.add_argument("--replace", action="store_true", help="replace a year that is loaded already")
        who = load.add_mutually_exclusive_group()
        who.add_argument("--user", metavar="NAME", help="load as this account")
        who.add_argument("--operator", metavar="NAME", help="the operator's name (default: the system user)")
        sub.add_parser("list", help="the covered years and the source of each")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except YearNotCovered as exc:
            raise CommandError(workdays.message(exc), returncode=2) from None

    def _add(self, *, start, n, calendar_days=False, **_options):
        if n < 0:
            raise CommandError(_("N must be 0 or more."), returncode=2)
        cal = workdays.calendar()
        day = _date(start)
        result = cal.add_calendar_days(day, n) if calendar_days else cal.add_working_days(day, n)
        self.stdout.write(result.isoformat())

    def _between(self, *, a, b, **_options):
        self.stdout.write(str(workdays.calendar().between(_date(a), _date(b))))

    def _load(self, *, file, replace=False, user=None, operator=None, **_options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active account named %(name)s.") % {"name": user}, returncode=2)
        try:
            with open(file, encoding="utf-8") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}, returncode=2) from None
        try:
            schedule = parse_yaml(text)
            row = workdays.schedule_load(
                schedule=schedule, actor=actor, operator=operator or _operator(), replace=replace
            )
        except (ScheduleError, workdays.ScheduleExists) as exc:
            self.stderr.write(f"{file}: {workdays.message(exc)}")
            self.stderr.write(_("Refused; nothing was saved."))
            sys.exit(1)
        self.stdout.write(
            _("Loaded %(year)d from %(source)s (by %(name)s): %(days)d holiday days, %(swaps)d swapped working days.")
            % {
                "year": row.year,
                "source": row.source,
                "name": row.loaded_by,
                "days": schedule.holiday_days(),
                "swaps": len(schedule.workdays),
            }
        )
        for holiday in schedule.holidays:
            self.stdout.write(f"  {holiday.name}: {holiday.first.isoformat()} ~ {holiday.last.isoformat()}")
        if schedule.workdays:
            self.stdout.write("  " + _("Swapped working days: %(days)s") % {
                "days": ", ".join(d.isoformat() for d in schedule.workdays)
            })

    def _list(self, **_options):
        cal = workdays.calendar()
        for year, schedule in cal.schedules.items():
            who = f" ({schedule.loaded_by})" if schedule.origin == "loaded" else ""
            self.stdout.write(f"{year}  {schedule.source}{who}")


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "cli"
