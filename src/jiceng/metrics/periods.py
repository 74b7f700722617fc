"""Periods of the indicators: `2026` (year), `2026-H1` (half-year), `2026-Q3` (quarter), `2026-03` (month).

Pure Python (no Django). A period is a closed range of months; a coarser period is the union of the
finer periods inside it, which is how a year's value is summed from its months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTH = "month"
QUARTER = "quarter"
HALF_YEAR = "half_year"
YEAR = "year"
GRAINS = (MONTH, QUARTER, HALF_YEAR, YEAR)
# Months in one period of each grain.
SPAN = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$")


class PeriodError(ValueError):
    """A period string that does not parse, or a period finer than an indicator's grain."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first_month: int  # 1..12
    grain: str

    @property
    def months(self) -> int:
        return SPAN[self.grain]

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The first day after the period (exclusive bound)."""
        if self.last_month == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.last_month + 1, 1)

    def __str__(self) -> str:
        if self.grain == YEAR:
            return f"{self.year}"
        if self.grain == HALF_YEAR:
            return f"{self.year}-H{(self.first_month - 1) // 6 + 1}"
        if self.grain == QUARTER:
            return f"{self.year}-Q{(self.first_month - 1) // 3 + 1}"
        return f"{self.year}-{self.first_month:02d}"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def split(self, grain: str) -> list[Period]:
        """The periods of `grain` that make up this one (refused when `grain` is coarser)."""
        if SPAN[grain] > self.months:
            raise PeriodError(f"a {self.grain.replace('_', '-')} ({self}) cannot be split into {grain.replace('_', '-')}s")
        step = SPAN[grain]
        return [Period(self.year, month, grain) for month in range(self.first_month, self.last_month + 1, step)]

    def previous(self) -> Period:
        month = self.first_month - self.months
        year = self.year
        if month < 1:
            month += 12
            year -= 1
        return Period(year, month, self.grain)


def parse(text: str) -> Period:
    """`2026`, `2026-H1`, `2026-Q3` or `2026-03` as a Period; anything else is a PeriodError naming the text."""
    match = _PATTERN.match(str(text).strip()) if text is not None else None
    if not match:
        raise PeriodError(f"{text!r} is not a period: write 2026, 2026-H1, 2026-Q3 or 2026-03")
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"{text!r} is not a period: month {month} is not 01–12")
        return Period(year, month, MONTH)
    if match["quarter"]:
        return Period(year, (int(match["quarter"]) - 1) * 3 + 1, QUARTER)
    if match["half"]:
        return Period(year, (int(match["half"]) - 1) * 6 + 1, HALF_YEAR)
    return Period(year, 1, YEAR)


def containing(day: date, grain: str) -> Period:
    """The period of `grain` that holds `day`."""
    if grain not in SPAN:
        raise PeriodError(f"{grain!r} is not a grain: one of {', '.join(GRAINS)}")
    step = SPAN[grain]
    return Period(day.year, (day.month - 1) // step * step + 1, grain)
