"""The incremental refresh: recompute only the units × periods marked dirty since the last run.

`refresh_run()` reads the marks (metrics.tracking), maps each (model, unit, month) to every indicator over
that model at the indicator's grain, recomputes those pairs (one GROUP BY per indicator, limited to the
units and periods) and clears the marks it handled. With no marks it recomputes the latest period (the one
holding today) for every indicator: the daily run after a day's new records.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import compute, indicators
from .models import DirtyMonth
from .periods import containing, parse


def refresh_run(latest: bool = True) -> dict:
    """Recompute the dirty pairs; `latest`: also the period holding today for every indicator."""
    marks = list(DirtyMonth.objects.all())
    work: dict = defaultdict(lambda: defaultdict(set))  # indicator -> period -> units
    today = timezone.localdate()
    for mark in marks:
        try:
            model = apps.get_model(mark.model)
        except LookupError:
            continue
        for indicator in indicators.over_model(model):
            day = parse(mark.month).start if mark.month else today
            if not indicator.dated:
                day = today
            work[indicator.id][containing(day, indicator.grain)].add(mark.unit_id)
    written = 0
    pairs = 0
    for indicator_id, by_period in work.items():
        for period, units in by_period.items():
            written += compute.compute(indicator_id, units=units, periods=[period])
            pairs += len(units)
    if latest:
        for indicator in indicators.all_indicators():
            written += compute.compute(indicator, periods=[containing(today, indicator.grain)])
    with transaction.atomic():
        DirtyMonth.objects.filter(pk__in=[mark.pk for mark in marks]).delete()
    return {"marks": len(marks), "pairs": pairs, "written": written}


@task()
def refresh() -> dict:
    """The background refresh (daily, and queued after imports)."""
    return refresh_run()


