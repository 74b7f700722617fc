"""Exact arithmetic: every amount is an integer count of 1/T points.

T (the scheme's denominator) is the least common multiple of the
denominators of every amount in the scheme, so half points, the quarter
points of a halved 1.5-point item and 0.4 weights all stay exact integers.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import lcm


def frac(value: Decimal | float | int) -> Fraction:
    # Through str so that a YAML float such as 0.4 means 4/10, not its binary value.
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def denominator_of(values: list[Fraction]) -> int:
    return lcm(1, *(v.denominator for v in values))


def to_text(units: int, denominator: int) -> str:
    """Amount as written in a Chinese reason: 3, 1.5, 0.75, 77.34."""
    q = Fraction(units, denominator)
    if q.denominator == 1:
        return str(q.numerator)
    # T only has the prime factors 2 and 5, so this division terminates.
    return str(Decimal(q.numerator) / Decimal(q.denominator))


def fraction_text(value: Fraction) -> str:
    return to_text(value.numerator, value.denominator)


def percent_text(value: Fraction) -> str:
    """15/100 -> '15%', 633/1000 -> '63.3%'."""
    return f"{fraction_text(value * 100)}%"
