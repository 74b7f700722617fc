"""The window's figures per unit and period, as database aggregates (no Python loop over rows).

Each figure is a named condition on the cases received in the period (``conditions``); the
figures page counts them in one query and each count links to the case list with the same
condition, so the list shows exactly the cases counted. The metrics layer can count the same
columns (received_on, accepted_on, noticed_on, decided_on, decided_at, promised_due,
statutory_due, delivered_at, working_days).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from .deadlines import INSTANT_WITHIN
from .models import Case, State

# name -> label, in the order the page shows them.
LABELS = {
    "received": _("Received"),
    "accepted": _("Accepted"),
    "noticed": _("Correction notices"),
    "refused": _("Not accepted"),
    "decided": _("Decided"),
    "in_time": _("Decided within the statutory limit"),
    "same_day": _("Completed the same day"),
    "early": _("Completed before the promised day"),
    "instant_15": _("Instant items decided within 15 minutes"),
    "overdue": _("Overdue now"),
}
RATES = {"same_day": "decided", "early": "decided", "in_time": "decided", "instant_15": "instant"}


def conditions(today: date) -> dict[str, Q]:
    open_states = [str(s) for s in Case.open_states]
    return {
        "received": Q(),
        "accepted": Q(accepted_on__isnull=False),
        "noticed": Q(noticed_on__isnull=False),
        "refused": Q(state=State.REFUSED),
        "decided": Q(decided_on__isnull=False),
        "in_time": Q(decided_on__isnull=False, decided_on__lte=F("statutory_due")),
        "same_day": Q(decided_on__isnull=False, decided_on=F("received_on")),
        "early": Q(decided_on__isnull=False, decided_on__lt=F("promised_due")),
        "instant": Q(item_version__promised_days=0),
        "instant_15": Q(item_version__promised_days=0, decided_at__isnull=False, intake_to_decision__lte=INSTANT_WITHIN),
        "overdue": Q(state__in=open_states, due_on__lt=today),
    }


def period_cases(qs, first: date, last: date):
    """The cases received from ``first`` to ``last`` (inclusive), with the intake-to-decision time."""
    return qs.filter(received_on__gte=first, received_on__lte=last).annotate(
        intake_to_decision=ExpressionWrapper(F("decided_at") - F("received_at"), output_field=DurationField()))


def figures(qs, first: date, last: date, today: date | None = None) -> dict:
    """The counts, rates (per cent, one decimal) and the average working days, in one query."""
    today = today or date.today()
    conds = conditions(today)
    agg = period_cases(qs, first, last).aggregate(
        **{name: Count("pk", filter=cond) for name, cond in conds.items()},
        avg_days=Avg("working_days", filter=Q(decided_on__isnull=False)),
    )
    rates = {}
    for name, base in RATES.items():
        rates[name] = round(agg[name] * 100 / agg[base], 1) if agg[base] else None
    return {"counts": {k: agg[k] for k in (*LABELS, "instant")}, "rates": rates,
            "avg_days": round(agg["avg_days"], 1) if agg["avg_days"] is not None else None}


def per_unit(qs, first: date, last: date, today: date | None = None) -> list[dict]:
    """One row per unit: the unit's id and name and its counts (a GROUP BY)."""
    today = today or date.today()
    conds = conditions(today)
    return list(period_cases(qs, first, last).values("unit", "unit__name").annotate(
        **{name: Count("pk", filter=cond) for name, cond in conds.items()},
        avg_days=Avg("working_days", filter=Q(decided_on__isnull=False))).order_by("unit__path"))


def filter_cases(qs, figure: str, first: date, last: date, today: date | None = None):
    """The cases one figure counts (for its link to the case list); an unknown figure counts nothing."""
    conds = conditions(today or date.today())
    if figure not in conds:
        return qs.none()
    return period_cases(qs, first, last).filter(conds[figure])


def month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)
