"""Working-day arithmetic over the years whose schedules are known.

Each run of consecutive covered years gets one cumulative index: ``cum[i]`` is the number
of working days from the run's first 1 January up to and including day ``i``. Then

* working days after ``a`` up to and including ``b`` = ``cum[b] - cum[a]``, and
* ``n`` working days after ``a`` = the first day ``d`` with ``cum[d] == cum[a] + n``,
  found by bisection,

so an add or a count costs two index look-ups and one bisection, never a walk. A date in a
year no schedule covers raises YearNotCovered naming that year, and so does an add that
runs past the last covered year of its run.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import YearNotCovered
from .schedule import YearSchedule


class DayUnit(enum.StrEnum):
    """Statutes count in one or the other; a deadline always names which."""

    WORKING = "working"  # 工作日
    CALENDAR = "calendar"  # 自然日


@dataclass(frozen=True)
class Days:
    """A period with its unit: ``Days(20, DayUnit.WORKING)`` is 20 working days."""

    n: int
    unit: DayUnit

    def __post_init__(self):
        if not isinstance(self.n, int) or self.n < 0:
            raise ValueError(f"a period is a whole number of days >= 0, not {self.n!r}")
        object.__setattr__(self, "unit", DayUnit(self.unit))


def working(n: int) -> Days:
    return Days(n, DayUnit.WORKING)


def calendar(n: int) -> Days:
    return Days(n, DayUnit.CALENDAR)


class _Run:
    """Consecutive covered years, first..last, and their cumulative working-day index."""

    __slots__ = ("first", "last", "base", "end", "cum")

    def __init__(self, schedules: list[YearSchedule]):
        self.first = schedules[0].year
        self.last = schedules[-1].year
        self.base = date(self.first, 1, 1).toordinal()
        self.end = date(self.last, 12, 31).toordinal()
        cum: list[int] = []
        total = 0
        for schedule in schedules:
            day = date(schedule.year, 1, 1)
            one = timedelta(days=1)
            while day.year == schedule.year:
                total += schedule.is_workday(day)
                cum.append(total)
                day += one
        self.cum = cum


class WorkCalendar:
    """The working-day clock over a set of year schedules (at most one per year)."""

    def __init__(self, schedules: Iterable[YearSchedule]):
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            if schedule.year in by_year:
                raise ValueError(f"two schedules for {schedule.year}")
            by_year[schedule.year] = schedule
        self.schedules = dict(sorted(by_year.items()))
        self._runs: dict[int, _Run] = {}
        group: list[YearSchedule] = []
        for year, schedule in self.schedules.items():
            if group and group[-1].year != year - 1:
                self._add_run(group)
                group = []
            group.append(schedule)
        if group:
            self._add_run(group)

    def _add_run(self, group: list[YearSchedule]) -> None:
        run = _Run(group)
        for schedule in group:
            self._runs[schedule.year] = run

    # --- coverage ---------------------------------------------------------------------

    @property
    def years(self) -> list[int]:
        return list(self.schedules)

    def covers(self, year: int) -> bool:
        return year in self._runs

    def schedule(self, year: int) -> YearSchedule:
        try:
            return self.schedules[year]
        except KeyError:
            raise YearNotCovered(year) from None

    def _run(self, day: date) -> _Run:
        run = self._runs.get(day.year)
        if run is None:
            raise YearNotCovered(day.year)
        return run

    # --- queries ----------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        run = self._run(day)
        i = day.toordinal() - run.base
        before = run.cum[i - 1] if i else 0
        return run.cum[i] != before

    def add_working_days(self, start: date, n: int) -> date:
        """The day on which the n-th working day after ``start`` falls (``start`` itself never counts)."""
        if n < 0:
            raise ValueError("count forwards: n must be >= 0")
        if n == 0:
            return start
        run = self._run(start)
        cum = run.cum
        target = cum[start.toordinal() - run.base] + n
        i = bisect_left(cum, target)
        if i == len(cum):
            raise YearNotCovered(run.last + 1)
        return date.fromordinal(run.base + i)

    def add_calendar_days(self, start: date, n: int) -> date:
        """``start`` plus n calendar days (the day after ``start`` is day 1).

        Calendar days need no schedule, but ``start`` and the result must lie in covered years
        all the same, so that a calendar-day deadline is refused exactly where a working-day one
        would be (and an office cannot be told a date that nobody has checked against a notice).
        """
        if n < 0:
            raise ValueError("count forwards: n must be >= 0")
        self._run(start)
        result = start + timedelta(days=n)
        self._run(result)
        return result

    def add(self, start: date, period: Days) -> date:
        if period.unit is DayUnit.WORKING:
            return self.add_working_days(start, period.n)
        return self.add_calendar_days(start, period.n)

    def between(self, a: date, b: date) -> int:
        """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``)."""
        if b < a:
            return -self.between(b, a)
        run = self._run(a)
        if b.toordinal() > run.end:
            self._run(b)  # names b's year if it is not covered at all
            raise YearNotCovered(run.last + 1)
        return run.cum[b.toordinal() - run.base] - run.cum[a.toordinal() - run.base]

    def count(self, a: date, b: date, unit: DayUnit) -> int:
        """Days of ``unit`` after ``a`` up to and including ``b``."""
        if DayUnit(unit) is DayUnit.WORKING:
            return self.between(a, b)
        self._run(a)
        self._run(b)
        return (b - a).days
