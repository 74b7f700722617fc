"""One year's schedule of statutory holidays and swapped working days (调休), and its YAML form.

A schedule file, as an administrator loads it from the State Council's notice::

    year: 2027
    source: "国办发明电〔2026〕N号, 2026-11-DD"
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
    workdays: [2027-01-31, 2027-02-20]

``holidays`` are inclusive date ranges (weekend days inside a range are part of the break);
``workdays`` are the weekend days that are worked instead (调休上班). Everything else is
the ordinary week: Monday to Friday working, Saturday and Sunday resting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import yaml

from .errors import ScheduleError

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad one (2027-02-30) is refused with its place."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))

KEYS = ("year", "source", "holidays", "workdays")
HOLIDAY_KEYS = ("name", "from", "to")


@dataclass(frozen=True)
class Holiday:
    """A named break, both ends inclusive."""

    name: str
    first: date
    last: date

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class YearSchedule:
    """The holidays and swapped working days of one calendar year, and where they come from."""

    year: int
    source: str
    holidays: tuple[Holiday, ...]
    workdays: tuple[date, ...]
    loaded_by: str = ""
    # "package" for the chinesecalendar data, "loaded" for an administrator's file.
    origin: str = "loaded"
    _rest: frozenset[date] = field(default=frozenset(), repr=False, compare=False)

    def __post_init__(self):
        rest = frozenset(d for h in self.holidays for d in h.days())
        object.__setattr__(self, "_rest", rest)

    def is_workday(self, day: date) -> bool:
        if day.year != self.year:
            raise ValueError(f"{day} is not in {self.year}")
        if day in self._rest:
            return False
        return day.weekday() < 5 or day in self.workdays

    def holiday_days(self) -> int:
        return len(self._rest)

    def to_json(self) -> dict[str, Any]:
        """The stored form (core.WorkdaySchedule keeps holidays and workdays as JSON)."""
        return {
            "holidays": [{"name": h.name, "from": h.first.isoformat(), "to": h.last.isoformat()} for h in self.holidays],
            "workdays": [d.isoformat() for d in self.workdays],
        }

    def summary(self) -> str:
        parts = [f"{h.name} {h.first:%m-%d}~{h.last:%m-%d}" for h in self.holidays]
        swaps = ", ".join(f"{d:%m-%d}" for d in self.workdays) or "-"
        return f"{self.year}: " + "; ".join(parts) + f"; 调休上班 {swaps}"


def parse_yaml(text: str, *, loaded_by: str = "") -> YearSchedule:
    """Read a schedule file's text; raises ScheduleError naming the key or entry at fault."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScheduleError("not_yaml", "(file)", f"not valid YAML: {problem}", problem=problem) from None
    return parse_schedule(data, loaded_by=loaded_by)


def parse_schedule(data: Any, *, loaded_by: str = "", origin: str = "loaded") -> YearSchedule:
    """Validate a schedule given as plain data (the YAML's mapping or the stored JSON)."""
    if not isinstance(data, dict):
        raise ScheduleError("not_mapping", "(file)", "a schedule must be a mapping with year, source, holidays, workdays")
    for key in KEYS:
        if key not in data:
            raise ScheduleError("missing_key", key, f"the key {key!r} is missing", key=key)
    for key in data:
        if key not in KEYS:
            raise ScheduleError("unknown_key", str(key), f"unknown key {key!r}", key=str(key))
    year = data["year"]
    if type(year) is not int or not 1900 <= year <= 2200:
        raise ScheduleError("bad_year", "year", f"{year!r} is not a year", value=str(year))
    source = data["source"]
    if not isinstance(source, str) or not source.strip():
        raise ScheduleError("bad_source", "source", "name the notice the schedule comes from (number and date)")
    holidays = _holidays(data["holidays"], year)
    workdays = _workdays(data["workdays"], year, holidays)
    return YearSchedule(year, source.strip(), holidays, workdays, loaded_by=loaded_by, origin=origin)


def _date(value: Any, place: str, year: int) -> date:
    if type(value) is date:
        day = value
    elif isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ScheduleError("bad_date", place, f"{value!r} is not a date (YYYY-MM-DD)", value=value) from None
    else:
        raise ScheduleError("bad_date", place, f"{value!r} is not a date (YYYY-MM-DD)", value=str(value))
    if day.year != year:
        raise ScheduleError("outside_year", place, f"{day} is outside {year}", date=day.isoformat(), year=year)
    return day


def _holidays(items: Any, year: int) -> tuple[Holiday, ...]:
    if not isinstance(items, list) or not items:
        raise ScheduleError("bad_list", "holidays", "holidays must be a non-empty list of {name, from, to}", key="holidays")
    seen: dict[date, str] = {}
    out = []
    for i, item in enumerate(items):
        place = f"holidays[{i + 1}]"
        if not isinstance(item, dict):
            raise ScheduleError("bad_holiday", place, "each holiday is a mapping {name, from, to}")
        for key in HOLIDAY_KEYS:
            if key not in item:
                raise ScheduleError("missing_key", f"{place}.{key}", f"the key {key!r} is missing", key=key)
        for key in item:
            if key not in HOLIDAY_KEYS:
                raise ScheduleError("unknown_key", f"{place}.{key}", f"unknown key {key!r}", key=str(key))
        name = item["name"]
        if not isinstance(name, str) or not name.strip():
            raise ScheduleError("bad_name", f"{place}.name", "a holiday needs a name")
        first = _date(item["from"], f"{place}.from", year)
        last = _date(item["to"], f"{place}.to", year)
        if last < first:
            raise ScheduleError(
                "reversed", place, f"ends ({last}) before it starts ({first})", first=first.isoformat(), last=last.isoformat()
            )
        holiday = Holiday(name.strip(), first, last)
        for day in holiday.days():
            if day in seen:
                raise ScheduleError(
                    "overlap", place, f"{day} is already in {seen[day]}", date=day.isoformat(), other=seen[day]
                )
            seen[day] = holiday.name
        out.append(holiday)
    return tuple(sorted(out, key=lambda h: h.first))


def _workdays(items: Any, year: int, holidays: tuple[Holiday, ...]) -> tuple[date, ...]:
    if items is None:
        items = []
    if not isinstance(items, list):
        raise ScheduleError("bad_list", "workdays", "workdays must be a list of dates", key="workdays")
    rest = {d: h.name for h in holidays for d in h.days()}
    out: list[date] = []
    for i, value in enumerate(items):
        place = f"workdays[{i + 1}]"
        day = _date(value, place, year)
        if day in rest:
            raise ScheduleError(
                "workday_in_holiday", place, f"{day} is inside the holiday {rest[day]}", date=day.isoformat(), name=rest[day]
            )
        if day.weekday() < 5:
            raise ScheduleError(
                "workday_not_weekend", place, f"{day} is a weekday, not a swapped weekend day", date=day.isoformat()
            )
        if day in out:
            raise ScheduleError("duplicate", place, f"{day} is listed twice", date=day.isoformat())
        out.append(day)
    return tuple(sorted(out))
