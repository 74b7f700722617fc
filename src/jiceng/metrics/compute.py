"""Computing the stored values: one GROUP BY per indicator source over every unit and period, written in bulk.

`compute(indicator)` recomputes everything of one indicator; `compute(indicator, units=..., periods=...)`
only those units × periods (the incremental refresh). Rows are grouped in the database by the unit's id
and the truncated date (`values(unit, period).annotate(Count/Sum)`); Python only folds the groups
(months into half-years) and writes them, so no Python loop runs over ledger rows. A snapshot indicator
(no date field) is stored for the period that holds today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models.functions import Trunc
from django.utils import timezone

from . import indicators as registry
from .indicators import Indicator, Source
from .models import IndicatorValue
from .periods import Period, containing

_TRUNC = {"month": "month", "quarter": "quarter", "half_year": "month", "year": "year"}


def _grouped(indicator: Indicator, source: Source, aggregates: dict, units, periods) -> dict:
    """{(unit_id, period string): {name: sum}} for `aggregates` ({name: aggregate}) over `source`, in one query."""
    qs = source.model._default_manager.all().order_by()
    if units is not None:
        qs = qs.filter(**{f"{source.unit_key}__in": list(units)})
    keys = [source.unit_key]
    if source.date_field:
        if periods is not None:
            span = models.Q()
            for period in periods:
                span |= models.Q(**{f"{source.date_field}__gte": period.start, f"{source.date_field}__lt": period.end})
            qs = qs.filter(span)
        field = source.model._meta.get_field(source.date_field) if "__" not in source.date_field else None
        output = models.DateField()
        kind = _TRUNC[indicator.grain]
        if isinstance(field, models.DateTimeField):
            qs = qs.annotate(_period=Trunc(source.date_field, kind, output_field=output,
                                           tzinfo=timezone.get_current_timezone()))
        else:
            qs = qs.annotate(_period=Trunc(source.date_field, kind, output_field=output))
        keys.append("_period")
    rows = qs.values(*keys).annotate(**{name: agg.expression() for name, agg in aggregates.items()})
    today_period = None if source.date_field else str(containing(timezone.localdate(), indicator.grain))
    out: dict = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:  # one row per (unit, truncated date): groups, not ledger rows
        if source.date_field:
            day = row["_period"]
            if day is None:
                continue
            if isinstance(day, str):
                day = date.fromisoformat(day[:10])
            period = str(containing(day, indicator.grain))  # a half-year folds its months here
        else:
            period = today_period
        for name in aggregates:
            value = row[name]
            if value is None:
                value = 0
            if hasattr(value, "total_seconds"):
                value = Decimal(value.total_seconds()) / 86400  # a duration sums to days
            out[(row[source.unit_key], period)][name] += Decimal(value)
    return out


def figures(indicator: Indicator, units=None, periods: list[Period] | None = None) -> dict:
    """{(unit_id, period): (numerator, denominator)} from the ledgers (nothing stored)."""
    numerator, denominator = indicator.numerator, registry.denominator_of(indicator)
    first, second = indicator.sources
    if first == second:
        groups = [_grouped(indicator, first, {"n": numerator, "d": denominator}, units, periods)]
    else:
        groups = [_grouped(indicator, first, {"n": numerator}, units, periods),
                  _grouped(indicator, second, {"d": denominator}, units, periods)]
    merged: dict = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for group in groups:
        for key, sums in group.items():
            if "n" in sums:
                merged[key][0] += sums["n"]
            if "d" in sums:
                merged[key][1] += sums["d"]
    return {key: (n, d) for key, (n, d) in merged.items()}


def compute(indicator: Indicator | str, units=None, periods: list[Period] | None = None) -> int:
    """Recompute and store the values of `indicator` (all, or only `units` × `periods`); returns rows written.

    Periods are at the indicator's grain. The old values in the recomputed range are replaced in one
    transaction, so a unit × period whose rows are gone loses its value (无数据) rather than keeping a stale one.
    """
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    if periods is not None and not indicator.dated:
        periods = [containing(timezone.localdate(), indicator.grain)]
    values = figures(indicator, units, periods)
    now = timezone.now()
    with transaction.atomic():
        old = IndicatorValue.objects.filter(indicator=indicator.id)
        if units is not None:
            old = old.filter(unit_id__in=list(units))
        if periods is not None:
            old = old.filter(period__in=[str(period) for period in periods])
        elif not indicator.dated:
            old = old.filter(period=str(containing(timezone.localdate(), indicator.grain)))
        old._raw_delete(old.db)  # no signals or cascades hang off a stored value
        _write(indicator.id, values, now)
    return len(values)


def _write(indicator_id: str, values: dict, now) -> None:
    """Insert the values: PostgreSQL COPY, else bulk_create."""
    if connection.vendor == "postgresql" and values:
        table = IndicatorValue._meta.db_table
        stamp = now.isoformat()
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} (indicator, unit_id, period, numerator, denominator, computed_at) "
                             "FROM STDIN") as copy:
                for (unit_id, period), (n, d) in values.items():
                    copy.write_row((indicator_id, unit_id, period, n, d, stamp))
        return
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(indicator=indicator_id, unit_id=unit_id, period=period, numerator=n, denominator=d,
                        computed_at=now)
         for (unit_id, period), (n, d) in values.items()],
        batch_size=2000,
    )


def compute_all() -> dict[str, int]:
    """Every registered indicator, fully (the nightly or first computation)."""
    return {indicator.id: compute(indicator) for indicator in registry.all_indicators()}
