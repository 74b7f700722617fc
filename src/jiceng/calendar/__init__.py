"""The working-day clock: pure Python, no Django (tests/calendar checks it).

``WorkCalendar`` knows the years whose holiday schedules it was given (from the
chinesecalendar package and from schedules an administrator loads) and refuses any date
outside them with YearNotCovered naming the year to load. ``reckon`` turns a statutory
period, its clock stops and its extensions into a due date.
"""

from .clock import Days, DayUnit, WorkCalendar, calendar, working
from .errors import ScheduleError, YearNotCovered
from .package import package_schedules
from .reckoning import Extension, Reckoning, Stop, reckon
from .schedule import Holiday, YearSchedule, parse_schedule, parse_yaml


def default_calendar(loaded=()) -> WorkCalendar:
    """The package's years, with each loaded schedule replacing the package's for its year."""
    by_year = {s.year: s for s in package_schedules()}
    by_year.update({s.year: s for s in loaded})
    return WorkCalendar(by_year.values())


__all__ = [
    "Days", "DayUnit", "WorkCalendar", "calendar", "working", "ScheduleError", "YearNotCovered",
    "package_schedules", "Extension", "Reckoning", "Stop", "reckon", "Holiday", "YearSchedule",
    "parse_schedule", "parse_yaml", "default_calendar",
]
