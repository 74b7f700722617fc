"""The working-day clock as the site uses it: chinesecalendar's years plus the loaded schedules.

``calendar()`` returns the pure ``jiceng.calendar.WorkCalendar``; a schedule loaded here
(``schedule_load``) replaces the package for its year. The built clock is kept per process
and rebuilt when the loaded rows change (one small query tells: year and loaded_at of each
row), so every web worker sees a new schedule on its next request without a restart.

``message(exc)`` words the calendar's errors in the user's language.
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.calendar import ScheduleError, WorkCalendar, YearNotCovered, YearSchedule, default_calendar
from jiceng.calendar.package import package_schedules

from . import audit
from .models import EventType, WorkdaySchedule

_lock = threading.Lock()
_built: tuple[tuple, WorkCalendar] | None = None


class ScheduleExists(Exception):
    """A year is loaded already and the caller did not ask to replace it."""

    code = "schedule_exists"

    def __init__(self, year: int, source: str):
        self.year = year
        self.source = source
        super().__init__(f"{year} is loaded already ({source}); pass --replace to replace it")


def calendar() -> WorkCalendar:
    """The clock over the package's years and every loaded schedule."""
    global _built
    key = tuple(WorkdaySchedule.objects.order_by("year").values_list("year", "loaded_at"))
    built = _built
    if built is not None and built[0] == key:
        return built[1]
    with _lock:
        loaded = [row.to_schedule() for row in WorkdaySchedule.objects.order_by("year")]
        cal = default_calendar(loaded)
        _built = (key, cal)
    return cal


def schedule_load(
    *, schedule: YearSchedule, actor=None, operator: str = "", replace: bool = False
) -> WorkdaySchedule:
    """Store a validated year schedule, audited in the same transaction.

    ``actor`` is the account loading it; from the command line without one, ``operator`` names
    the person (it becomes ``loaded_by`` and the audit record's actor name).
    """
    name = actor.get_username() if actor is not None else (operator or "cli")
    package_years = {s.year for s in package_schedules()}
    with transaction.atomic():
        row = WorkdaySchedule.objects.select_for_update().filter(year=schedule.year).first()
        before = None
        if row is not None:
            if not replace:
                raise ScheduleExists(row.year, row.source)
            before = audit.snapshot(row)
        else:
            row = WorkdaySchedule(year=schedule.year)
        data = schedule.to_json()
        row.source = schedule.source
        row.holidays = data["holidays"]
        row.workdays = data["workdays"]
        row.loaded_by = name[:150]
        row.loaded_at = timezone.now()
        row.save()
        audit.record(
            EventType.WORKDAYS_LOAD,
            actor=actor,
            actor_name=None if actor is not None else name,
            subject=row,
            before=before,
            after=audit.snapshot(row),
            reason=schedule.source,
            details={
                "year": schedule.year,
                "holiday_days": schedule.holiday_days(),
                "workdays": len(schedule.workdays),
                "replaces_package": schedule.year in package_years,
            },
        )
    return row


def message(exc: Exception) -> str:
    """The calendar's refusals in the user's language (the pure package only speaks codes)."""
    if isinstance(exc, YearNotCovered):
        return _(
            "No holiday schedule covers %(year)d: load the %(year)d schedule from the State Council's notice "
            "first (jiceng workdays load FILE)."
        ) % {"year": exc.year}
    if isinstance(exc, ScheduleExists):
        return _("%(year)d is loaded already (%(source)s); use --replace to replace it.") % {
            "year": exc.year,
            "source": exc.source,
        }
    if isinstance(exc, ScheduleError):
        reason = _schedule_reason(exc)
        return _("%(place)s: %(reason)s") % {"place": exc.place, "reason": reason}
    return str(exc)


def _schedule_reason(exc: ScheduleError) -> str:
    p = exc.params
    reasons = {
        "not_yaml": lambda: _("not valid YAML (%(problem)s)") % {"problem": p.get("problem", "")},
        "not_mapping": lambda: _("a schedule is a mapping with year, source, holidays and workdays"),
        "missing_key": lambda: _("the key “%(key)s” is missing") % {"key": p["key"]},
        "unknown_key": lambda: _("unknown key “%(key)s”") % {"key": p["key"]},
        "bad_year": lambda: _("“%(value)s” is not a year") % {"value": p["value"]},
        "bad_source": lambda: _("name the notice the schedule comes from (its number and date)"),
        "bad_list": lambda: _("“%(key)s” must be a list") % {"key": p["key"]}
        if p["key"] == "workdays"
        else _("“holidays” must be a non-empty list of {name, from, to}"),
        "bad_holiday": lambda: _("each holiday is a mapping {name, from, to}"),
        "bad_name": lambda: _("a holiday needs a name"),
        "bad_date": lambda: _("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": p["value"]},
        "outside_year": lambda: _("%(date)s is outside the year %(year)d") % {"date": p["date"], "year": p["year"]},
        "reversed": lambda: _("ends (%(last)s) before it starts (%(first)s)") % p,
        "overlap": lambda: _("%(date)s is already part of %(other)s") % p,
        "workday_in_holiday": lambda: _("%(date)s is inside the holiday %(name)s, it cannot be a working day") % p,
        "workday_not_weekend": lambda: _("%(date)s is a weekday: only a Saturday or Sunday can be a swapped working day")
        % p,
        "duplicate": lambda: _("%(date)s is listed twice") % p,
    }
    make = reasons.get(exc.code)
    return make() if make is not None else exc.message
