"""The calendar's two errors: a date no schedule covers, and a schedule that contradicts itself.

Both carry a stable ``code`` and their parameters, so the Django side can word them in
Chinese through gettext (core/workdays.py); ``str()`` gives a plain English fallback for
logs and for callers without Django.
"""

from __future__ import annotations

from typing import Any


class YearNotCovered(LookupError):
    """A date falls in a year for which no holiday schedule is known: load that year first."""

    code = "year_not_covered"

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"no holiday schedule covers {year}: load the {year} schedule (jiceng workdays load FILE)"
        )


class ScheduleError(ValueError):
    """A schedule refused on loading: ``place`` names the key or list entry at fault."""

    def __init__(self, code: str, place: str, message: str, **params: Any):
        self.code = code
        self.place = place
        self.params = params
        self.message = message
        super().__init__(f"{place}: {message}")
