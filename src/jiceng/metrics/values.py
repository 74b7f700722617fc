"""Reading values: a unit's figure over its subtree for any period at or above the indicator's grain.

The figure of a county or a city is the ratio of the sums of its descendants' numerators and
denominators (IndicatorValue rows under it, found with the scoping API's `within`), never a mean of
their rates. No stored row under the unit for the period: no value (无数据), every figure None.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

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
    """The year by the indicator's grain (months for a monthly indicator)."""
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    return [value(indicator, unit, part) for part in periods_of(indicator, str(year))]


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None: no value (无数据), unranked
    of: int  # units ranked (those with a value)
    value: Value


def ranking(indicator, units, period) -> list[Ranked]:
    """`units` (the whole population: every child, not only those a user sees) ranked by value.

    Best first (highest, or lowest when the indicator's `higher_is_better` is False); ties share a rank;
    units without a value come last, unranked. Callers filter the result to the rows in the user's scope.
    """
    if isinstance(indicator, str):
        indicator = registry.get(indicator)
    found = values(indicator, units, period)
    scored = [v for v in found if v.value is not None]
    sign = -1 if indicator.higher_is_better else 1
    scored.sort(key=lambda v: (sign * v.value, v.unit.path))
    out = []
    for v in scored:
        better = sum(1 for other in scored if sign * other.value < sign * v.value)
        out.append(Ranked(better + 1, len(scored), v))
    out += [Ranked(None, len(scored), v) for v in found if v.value is None]
    return out
