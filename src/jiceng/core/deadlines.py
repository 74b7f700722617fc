"""A deadline value a ledger row stores: the rule, the start, stops and extensions, the due date.

    d = Deadline.compute(cal, Rule(20, DayUnit.WORKING, "受理"), date(2026, 9, 1))
    d = d.with_stop(cal, Stop(date(2026, 9, 7), date(2026, 9, 9), "补正等待"))
    d = d.with_extension(cal, Extension(10, "情况复杂", approved_by="王局长"))
    d.due                        -> 2026-10-22
    d.explain()                  -> "受理次日起20个工作日；补正等待 3 个工作日不计（…）；延长 10 个工作日（…）；…"
    d.status(cal, today)         -> Status.GREEN | DUE_SOON | OVERDUE | PAUSED
    Deadline.from_json(d.to_json()) == d

    Deadline.fixed(date(2027, 3, 31), "自评")   # a date set by a person (a campaign's stage), not by a statute

The arithmetic is the pure clock's (jiceng.calendar.reckon); this module adds what a record
needs around it: a stored form, the plain Chinese explanation, and the status on a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiceng.calendar import Days, DayUnit, Extension, Stop, WorkCalendar, reckon

# Due within this many days of the rule's unit (and not yet past): "due soon".
DUE_SOON_DAYS = 3


class Status(models.TextChoices):
    GREEN = "green", gettext_lazy("On time")
    DUE_SOON = "due_soon", gettext_lazy("Due soon")
    OVERDUE = "overdue", gettext_lazy("Overdue")
    PAUSED = "paused", gettext_lazy("Clock stopped")


@dataclass(frozen=True)
class Rule:
    """N days of a unit from an event: ``Rule(20, DayUnit.WORKING, "受理")``.

    ``event`` is the event's name as users read it (受理, 立案 …); it starts the explanation.
    """

    n: int
    unit: DayUnit
    event: str

    def __post_init__(self):
        object.__setattr__(self, "unit", DayUnit(self.unit))
        Days(self.n, self.unit)  # refuses a negative or non-integer n

    @property
    def period(self) -> Days:
        return Days(self.n, self.unit)


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    start: date
    stops: tuple[Stop, ...] = ()
    extensions: tuple[Extension, ...] = ()
    due: date | None = None
    # Days of the rule's unit each stop kept from counting (as computed with the stops).
    stopped: tuple[int, ...] = ()
    # A date someone set (a campaign's stage deadline) rather than N days from an event: the rule
    # is 0 calendar days from the date itself, and an extension moves it by calendar days.
    fixed: bool = False

    @classmethod
    def fixed_on(cls, due: date, event: str, extensions=()) -> Deadline:
        """A deadline on a date set by a person (``event`` names what is due), closing at the end of that day."""
        rule = Rule(0, DayUnit.CALENDAR, event)
        total = sum(e.n for e in extensions)
        return cls(rule, due, (), tuple(extensions), date.fromordinal(due.toordinal() + total), (), True)

    @classmethod
    def compute(cls, cal: WorkCalendar, rule: Rule, start: date, stops=(), extensions=()) -> Deadline:
        r = reckon(cal, start, rule.period, stops, extensions)
        return cls(rule, start, tuple(stops), tuple(extensions), r.due, r.stopped)

    def recompute(self, cal: WorkCalendar) -> Deadline:
        """The same deadline on ``cal`` (after a schedule was loaded or corrected)."""
        if self.fixed:
            return self
        return Deadline.compute(cal, self.rule, self.start, self.stops, self.extensions)

    def with_stop(self, cal: WorkCalendar, stop: Stop) -> Deadline:
        """Add a stop, or close the open one when ``stop`` starts on the same day."""
        if self.fixed:
            raise ValueError("a fixed-date deadline has no clock to stop; extend it instead")
        stops = [s for s in self.stops if not (s.last is None and s.first == stop.first)]
        return Deadline.compute(cal, self.rule, self.start, (*stops, stop), self.extensions)

    def with_extension(self, cal: WorkCalendar, extension: Extension) -> Deadline:
        if self.fixed:
            return Deadline.fixed_on(self.start, self.rule.event, (*self.extensions, extension))
        return Deadline.compute(cal, self.rule, self.start, self.stops, (*self.extensions, extension))

    # --- status -----------------------------------------------------------------------

    def status(self, cal: WorkCalendar, today: date, soon: int = DUE_SOON_DAYS) -> Status:
        if self.due is None:
            return Status.PAUSED
        if today > self.due:
            return Status.OVERDUE
        left = (self.due - today).days if self.fixed else cal.count(today, self.due, self.rule.unit)
        if left <= soon:
            return Status.DUE_SOON
        return Status.GREEN

    # --- explanation ------------------------------------------------------------------

    def explain(self) -> str:
        """How the due date was reached, in plain words (the active language)."""
        if self.fixed:
            return self._explain_fixed()
        parts = [_("%(event)s: from the next day, %(days)s") % {"event": self.rule.event, "days": _days(self.rule.n, self.rule.unit)}]
        for stop, days in zip(self.stops, self.stopped or (0,) * len(self.stops), strict=True):
            if stop.last is None:
                parts.append(_("%(reason)s since %(first)s: clock stopped") % {"reason": stop.reason, "first": stop.first})
            else:
                parts.append(
                    _("%(reason)s %(days)s not counted (%(first)s to %(last)s)")
                    % {"reason": stop.reason, "days": _days(days, self.rule.unit), "first": stop.first, "last": stop.last}
                )
        for ext in self.extensions:
            values = {"days": _days(ext.n, self.rule.unit), "reason": ext.reason, "name": ext.approved_by}
            if ext.approved_by:
                parts.append(_("extended by %(days)s (%(reason)s, approved by %(name)s)") % values)
            else:
                parts.append(_("extended by %(days)s (%(reason)s)") % values)
        if self.due is not None:
            parts.append(_("due %(date)s") % {"date": self.due.isoformat()})
        else:
            parts.append(_("no due date while the clock is stopped"))
        return _("; ").join(parts)

    def _explain_fixed(self) -> str:
        parts = [_("%(event)s: a set date, %(date)s") % {"event": self.rule.event, "date": self.start.isoformat()}]
        for ext in self.extensions:
            values = {"days": _days(ext.n, DayUnit.CALENDAR), "reason": ext.reason, "name": ext.approved_by}
            if ext.approved_by:
                parts.append(_("extended by %(days)s (%(reason)s, approved by %(name)s)") % values)
            else:
                parts.append(_("extended by %(days)s (%(reason)s)") % values)
        parts.append(_("closes at the end of %(date)s") % {"date": self.due.isoformat()})
        return _("; ").join(parts)

    # --- stored form ------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": {"n": self.rule.n, "unit": self.rule.unit.value, "event": self.rule.event},
            "start": self.start.isoformat(),
            "stops": [
                {"from": s.first.isoformat(), "to": s.last.isoformat() if s.last else None, "reason": s.reason}
                for s in self.stops
            ],
            "extensions": [{"n": e.n, "reason": e.reason, "approved_by": e.approved_by} for e in self.extensions],
            "due": self.due.isoformat() if self.due else None,
            "stopped": list(self.stopped),
            **({"fixed": True} if self.fixed else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Deadline:
        """Read the stored form back; a malformed one raises ValueError naming the key."""
        try:
            rule = Rule(int(data["rule"]["n"]), DayUnit(data["rule"]["unit"]), str(data["rule"]["event"]))
            stops = tuple(
                Stop(date.fromisoformat(s["from"]), date.fromisoformat(s["to"]) if s["to"] else None, s["reason"])
                for s in data["stops"]
            )
            extensions = tuple(Extension(int(e["n"]), e["reason"], e.get("approved_by", "")) for e in data["extensions"])
            due = date.fromisoformat(data["due"]) if data["due"] else None
            stopped = tuple(int(n) for n in data.get("stopped", ()))
            start = date.fromisoformat(data["start"])
            fixed = bool(data.get("fixed", False))
        except KeyError as exc:
            raise ValueError(f"stored deadline: the key {exc.args[0]!r} is missing") from None
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"stored deadline: {exc}") from None
        if stopped and len(stopped) != len(stops):
            raise ValueError("stored deadline: 'stopped' must give one count per stop")
        return cls(rule, start, stops, extensions, due, stopped, fixed)

    def __str__(self) -> str:
        return self.explain()


def _days(n: int, unit: DayUnit) -> str:
    if unit is DayUnit.WORKING:
        return _("%(n)d working days") % {"n": n}
    return _("%(n)d calendar days") % {"n": n}


__all__ = ["Deadline", "Rule", "Status", "Stop", "Extension", "DayUnit", "DUE_SOON_DAYS"]
