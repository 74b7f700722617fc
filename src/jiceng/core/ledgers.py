"""The ledger registry and the cross-ledger queries: overdue, due soon, and their counts.

A ledger app registers its row model (a core.ledger.LedgerRow) from `AppConfig.ready()`:

    ledgers.register(self.label, Case, label=_("Window cases"), open_states=("open", "paused"),
                     view_capability=VIEW, remind_capability=WINDOW_REMIND)

and the overdue page, the counts and the daily reminder task then cover it. Every read for a
user goes through `model.objects.restrict(user, capability)`: no query here builds a scope
by hand, so a figure is counted the same way over any ledger. The reminder selection
(`reminder_rows`) is the system's own read (a job, no user): its reminders are addressed to
a unit and the ledger's remind capability, and the inbox scopes them to their holders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import CharField, Count, F, Value
from django.utils import timezone

from . import registry
from .deadlines import DUE_SOON_DAYS, Deadline, Status


@dataclass(frozen=True)
class Ledger:
    app_label: str
    model: Any  # a LedgerRow subclass
    label: Any  # (lazy) name users read, e.g. 窗口受理台账
    open_states: tuple[str, ...]
    view_capability: str
    remind_capability: str

    @property
    def key(self) -> str:
        """Stable name of the ledger ("window.case"): in filters, reminder keys and counts."""
        return self.model._meta.label_lower

    def open_rows(self, user=None, capability: str | None = None):
        """The open rows (open state, not closed); scoped to `user` when one is given."""
        manager = self.model._default_manager
        qs = manager.all() if user is None else manager.restrict(user, capability or self.view_capability)
        return qs.filter(state__in=self.open_states, closed_at__isnull=True)


_LEDGERS: dict[str, Ledger] = {}


def register(app_label: str, model, *, label, open_states, view_capability: str, remind_capability: str) -> Ledger:
    """Register `model` as a ledger (from AppConfig.ready()); registering again replaces it."""
    from .ledger import LedgerRow

    if not (isinstance(model, type) and issubclass(model, LedgerRow)):
        raise ValueError(f"{app_label}: a ledger's model must derive from core.ledger.LedgerRow, not {model!r}")
    states = tuple(open_states)
    if not states:
        raise ValueError(f"{app_label}: ledger {model.__name__} names no open state")
    ledger = Ledger(app_label, model, label, states, view_capability, remind_capability)
    _LEDGERS[ledger.key] = ledger
    # The reminders of the ledger are addressed to its remind capability (inbox.selectors reads the list).
    registry.reminder_actions(app_label, remind_capability)
    return ledger


def unregister(key: str) -> None:
    _LEDGERS.pop(key, None)


def registered() -> list[Ledger]:
    """Every ledger, in INSTALLED_APPS order (then by key)."""
    from django.apps import apps

    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_LEDGERS.values(), key=lambda led: (order.get(led.app_label, len(order)), led.key))


def get(key: str) -> Ledger:
    return _LEDGERS[key]


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _within(qs, unit):
    return qs if unit is None else qs.within(unit)


def _soon_until(cal, today: date, soon: int = DUE_SOON_DAYS) -> date:
    """The last day that can still be "due soon" on `today` under either day unit (a SQL pre-filter).

    Working days are never fewer than calendar days over a stretch, so the working-day bound is the wider;
    the exact status is the deadline's own (Deadline.status), checked row by row.
    """
    from jiceng.calendar import DayUnit

    day = today
    while cal.count(today, day + timedelta(days=1), DayUnit.WORKING) <= soon:
        day += timedelta(days=1)
    return day


# --- the queries for a user ---------------------------------------------------------------------------


def overdue(user, unit=None, today: date | None = None, ledger: str | None = None) -> list[tuple[Ledger, Any]]:
    """(ledger, queryset of its overdue open rows the user may view), for every registered ledger."""
    today = _today(today)
    return [(led, _within(led.open_rows(user), unit).filter(due_on__lt=today))
            for led in registered() if ledger in (None, led.key)]


def due_soon(user, unit=None, today: date | None = None, cal=None) -> list[tuple[Ledger, list]]:
    """(ledger, the open rows due soon on `today` the user may view), for every registered ledger."""
    from .workdays import calendar

    today = _today(today)
    cal = cal or calendar()
    until = _soon_until(cal, today)
    out = []
    for led in registered():
        qs = _within(led.open_rows(user), unit).filter(due_on__gte=today, due_on__lte=until).select_related("unit")
        out.append((led, [row for row in qs.order_by("due_on", "pk") if _status(row, cal, today) is Status.DUE_SOON]))
    return out


def _status(row, cal, today: date) -> Status | None:
    return row.deadline.status(cal, today) if row.deadline_data else None


def overdue_counts(user, unit=None, today: date | None = None) -> dict[str, dict[int, int]]:
    """{ledger key: {unit id: overdue rows}} over the rows the user may view (one query per ledger)."""
    return {led.key: dict(qs.order_by().values_list("unit_id").annotate(n=Count("pk")))
            for led, qs in overdue(user, unit, today)}


def due_soon_counts(user, unit=None, today: date | None = None, cal=None) -> dict[str, dict[int, int]]:
    """{ledger key: {unit id: rows due soon}} over the rows the user may view."""
    out: dict[str, dict[int, int]] = {}
    for led, rows in due_soon(user, unit, today, cal):
        counts: dict[int, int] = {}
        for row in rows:
            counts[row.unit_id] = counts.get(row.unit_id, 0) + 1
        out[led.key] = counts
    return out


OVERDUE_LIMIT = 50_000  # rows of the overdue list (far above any county's overdue rows)
OVERDUE_FIELDS = ("id", "unit_id", "state", "opened_on", "due_on", "deadline_data")


def overdue_union(user, *, unit_path: str = "", ledger: str = "", today: date | None = None):
    """One queryset of dicts over every ledger's overdue rows the user may view (for the overdue list).

    Each dict has OVERDUE_FIELDS plus `ledger` (the key), `unit_code`, `unit_name`; ordered by due date.
    """
    parts = []
    for led, qs in overdue(user, today=today, ledger=ledger or None):
        if unit_path:
            qs = qs.filter(**{f"{led.model.scope_path_lookup}__startswith": unit_path})
        parts.append(qs.order_by().values(*OVERDUE_FIELDS, ledger=Value(led.key, output_field=CharField()),
                                          unit_code=F(f"{led.model.unit_field}__code"),
                                          unit_name=F(f"{led.model.unit_field}__name")))
    if not parts:
        from .models import AuditEvent

        return AuditEvent.objects.none().values("id")
    qs = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    # Sliced on purpose: a union cannot be filtered by key, so the export reader (core.tabular.exporting)
    # reads a sliced queryset at once instead of by chunks of keys.
    return qs.order_by("due_on", "ledger", "id")[:OVERDUE_LIMIT]


# --- the system's selection for the reminders ---------------------------------------------------------


@dataclass(frozen=True)
class Due:
    ledger: Ledger
    row: Any
    status: Status
    deadline: Deadline


def reminder_rows(today: date | None = None, cal=None) -> list[Due]:
    """Every open row of every ledger that is due soon or overdue on `today` (the daily reminder job's read)."""
    from .workdays import calendar

    today = _today(today)
    cal = cal or calendar()
    until = _soon_until(cal, today)
    out = []
    for led in registered():
        qs = led.open_rows().filter(due_on__lte=until).select_related("unit").order_by("due_on", "pk")
        for row in qs:
            status = _status(row, cal, today)
            if status in (Status.DUE_SOON, Status.OVERDUE):
                out.append(Due(led, row, status, row.deadline))
    return out
