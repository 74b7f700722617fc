"""A statutory period with its clock stops and extensions, reckoned to a due date.

* A stop (补正 wait, or 行政许可法 第四十五条's hearing, test, expert review) is an inclusive
  date range whose days do not count. An open stop (no last day yet) pauses the clock:
  no due date until it ends.
* An extension (第四十二条: 20 working days, extended by 10 with the head's approval) adds
  days in the period's own unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .clock import Days, DayUnit, WorkCalendar

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Stop:
    """Days from ``first`` to ``last`` (inclusive) do not count; ``last=None``: still stopped."""

    first: date
    last: date | None
    reason: str

    def __post_init__(self):
        if self.last is not None and self.last < self.first:
            raise ValueError(f"a stop ends ({self.last}) before it starts ({self.first})")


@dataclass(frozen=True)
class Extension:
    """``n`` more days, in the period's unit, granted by someone for a reason."""

    n: int
    reason: str
    approved_by: str = ""

    def __post_init__(self):
        if not isinstance(self.n, int) or self.n <= 0:
            raise ValueError(f"an extension is a whole number of days > 0, not {self.n!r}")


@dataclass(frozen=True)
class Reckoning:
    """How a due date was reached: ``due`` is None while an open stop pauses the clock."""

    due: date | None
    total: int
    unit: DayUnit
    # Days of the period's unit that each stop kept from counting, in the order given.
    stopped: tuple[int, ...]


def reckon(
    cal: WorkCalendar,
    start: date,
    period: Days,
    stops: Iterable[Stop] = (),
    extensions: Iterable[Extension] = (),
) -> Reckoning:
    stops = list(stops)
    total = period.n + sum(e.n for e in extensions)
    unit = period.unit
    add = cal.add_working_days if unit is DayUnit.WORKING else cal.add_calendar_days
    if not stops:  # the common case: one index look-up
        return Reckoning(add(start, total), total, unit, ())
    stopped = tuple(_days_in(cal, start, s, unit) for s in stops)
    pos, remaining = start, total
    for first, last in _merged(stops):
        if last is not None and last <= pos:
            continue
        resume_from = max(first, pos + ONE_DAY)
        if remaining == 0 or add(pos, remaining) < resume_from:
            break
        remaining -= cal.count(pos, resume_from - ONE_DAY, unit)
        if last is None:
            return Reckoning(None, total, unit, stopped)
        pos = last
    return Reckoning(add(pos, remaining), total, unit, stopped)


def _days_in(cal: WorkCalendar, start: date, stop: Stop, unit: DayUnit) -> int:
    """Days of ``unit`` inside the stop and after the start (an open stop: up to its first day)."""
    first = max(stop.first, start + ONE_DAY)
    if stop.last is None or stop.last < first:
        return 0
    return cal.count(first - ONE_DAY, stop.last, unit)


def _merged(stops: list[Stop]) -> list[tuple[date, date | None]]:
    spans: list[tuple[date, date | None]] = []
    for stop in sorted(stops, key=lambda s: s.first):
        if spans:
            first, last = spans[-1]
            if last is None:
                break
            if stop.first <= last + ONE_DAY:
                spans[-1] = (first, None if stop.last is None else max(last, stop.last))
                continue
        spans.append((stop.first, stop.last))
    return spans
