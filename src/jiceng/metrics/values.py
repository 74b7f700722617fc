"""Reading values: a unit's figure over its subtree for any period at or above the indicator's grain.

The figure of a county or a city is the ratio of the sums of its descendants' numerators and
denominators (IndicatorValue rows under it, found with the scoping API's `within`), never a mean of
their rates. No stored row under the unit for the period: no value (无数据), every figure None.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Substr

from . import indicators as registry
from .models import IndicatorValue
from .periods import Period, PeriodError, parse


@dataclass(frozen=True)
class Value:
    indicator: str
    unit: object  # org.Unit
    period: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: float | None

    def as_json(self) -> dict:
        def number(figure):
            if figure is None:
                return None
            return int(figure) if figure == figure.to_integral_value() else float(figure)

        return {"indicator": self.indicator, "unit": self.unit.code, "period": self.period,
                "numerator": number(self.numerator), "denominator": number(self.denominator),
                "value": None if self.value is None else round(self.value, 4)}


def periods_of(indicator, period: Period | str) -> list[str]:
    """The stored periods (the indicator's grain) that make up `period`; a finer period is refused."""
    if isinstance(period, str):
        period = parse(period)
    try:
        return [str(part) for part in period.split(indicator.grain)]
    except PeriodError:
        raise PeriodError(f"indicator {indicator.id} is kept by {indicator.grain.replace('_', '-')}: "
                          f"{period} is finer than that") from None


def value(indicator, unit, period: Period | str) -> Value:
    """`indicator`'s figure for `unit`'s subtree over `period` (no scope check: callers check the unit)."""
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    parts = periods_of(indicator, period)
    sums = IndicatorValue.objects.within(unit).filter(indicator=indicator.id, period__in=parts).aggregate(
        n=Sum("numerator"), d=Sum("denominator"), rows=Count("pk"))
    label = str(parse(period)) if isinstance(period, str) else str(period)
    if not sums["rows"]:
        return Value(indicator.id, unit, label, None, None, None)
    return Value(indicator.id, unit, label, sums["n"], sums["d"], indicator.value(sums["n"], sums["d"]))


def values(indicator, units, period) -> list[Value]:
    """The figures of several units (one query each: a subtree sum)."""
    return [value(indicator, unit, period) for unit in units]


def trend(indicator, unit, year: int) -> list[Value]:
    """The year by the indicator's grain (months for a monthly indicator), in one GROUP BY period."""
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    parts = periods_of(indicator, str(year))
    sums = {row["period"]: row for row in IndicatorValue.objects.within(unit).filter(
        indicator=indicator.id, period__in=parts).order_by().values("period").annotate(
        n=Sum("numerator"), d=Sum("denominator"))}
    out = []
    for part in parts:
        row = sums.get(part)
        if row is None:
            out.append(Value(indicator.id, unit, part, None, None, None))
        else:
            out.append(Value(indicator.id, unit, part, row["n"], row["d"], indicator.value(row["n"], row["d"])))
    return out


def children_values(indicator, parent, children, period) -> list[Value]:
    """The figure of each direct child of `parent` (its subtree), in one GROUP BY over the tree level.

    A stored row belongs to the child whose path is the row's unit path cut at the child's depth (the
    materialised path of the tree, as `within` reads it).
    """
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    parts = periods_of(indicator, period)
    label = str(parse(period)) if isinstance(period, str) else str(period)
    width = (parent.depth + 1) * parent.steplen
    rows = IndicatorValue.objects.within(parent).exclude(unit=parent).filter(
        indicator=indicator.id, period__in=parts).order_by().annotate(
        child=Substr("unit__path", 1, width)).values("child").annotate(n=Sum("numerator"), d=Sum("denominator"))
    sums = {row["child"]: (row["n"], row["d"]) for row in rows}
    out = []
    for child in children:
        if child.path not in sums:
            out.append(Value(indicator.id, child, label, None, None, None))
            continue
        n, d = sums[child.path]
        out.append(Value(indicator.id, child, label, n, d, indicator.value(n, d)))
    return out


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None: no value (无数据), unranked
    of: int  # units ranked (those with a value)
    value: Value


def ranking(indicator, units, period, parent=None) -> list[Ranked]:
    """`units` (the whole population: every child, not only those a user sees) ranked by value.

    With `parent` (the units are its direct children) the figures come from one GROUP BY.

    Best first (highest, or lowest when the indicator's `higher_is_better` is False); ties share a rank;
    units without a value come last, unranked. Callers filter the result to the rows in the user's scope.
    """
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    found = children_values(indicator, parent, units, period) if parent is not None else values(
        indicator, units, period)
    scored = [v for v in found if v.value is not None]
    sign = -1 if indicator.higher_is_better else 1
    scored.sort(key=lambda v: (sign * v.value, v.unit.path))
    out = []
    for v in scored:
        better = sum(1 for other in scored if sign * other.value < sign * v.value)
        out.append(Ranked(better + 1, len(scored), v))
    out += [Ranked(None, len(scored), v) for v in found if v.value is None]
    return out
