"""Reads for the CLI, the API and the pages: an indicator's values for a unit and its children, and the rows behind them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiceng.core.scoping import VIEW
from jiceng.org.models import Unit

from . import indicators as registry
from . import values as figures
from .indicators import IndicatorError
from .periods import PeriodError


def children(unit) -> list:
    """The direct children of `unit`, in tree order (a child of a unit in scope is in scope)."""
    return list(Unit.objects.all().within(unit).filter(depth=unit.depth + 1))


def checked(indicator_id: str, period: str):
    """(indicator, period) or a ValidationError naming the field at fault."""
    try:
        indicator = registry.get(indicator_id)
    except IndicatorError:
        raise ValidationError({"indicator": _("No indicator %(id)s.") % {"id": indicator_id}}) from None
    try:
        figures.periods_of(indicator, period)
    except PeriodError:
        raise ValidationError({"period": _(
            "%(period)s is not a period of this indicator: write 2026, 2026-H1, 2026-Q3 or 2026-03, "
            "no finer than its grain.") % {"period": period}}) from None
    return indicator, period


def unit_values(indicator, unit, period: str, with_children: bool = False) -> list[figures.Value]:
    """The unit's value, then each direct child's (with_children)."""
    units = [unit, *(children(unit) if with_children else [])]
    return figures.values(indicator, units, period)


def rows(indicator, unit, period: str, part: str, user=None):
    """The ledger rows behind the numerator (`part="numerator"`) or the denominator, under `unit`, in `period`.

    With `user`, only the rows the user may view (Model.objects.restrict).
    """
    aggregate = indicator.numerator if part == "numerator" else registry.denominator_of(indicator)
    source = indicator.source_of(aggregate) if part == "numerator" else indicator.sources[1]
    manager = source.model._default_manager
    qs = manager.restrict(user, VIEW) if user is not None and hasattr(manager.all(), "restrict") else manager.all()
    below = Unit.objects.all().within(unit).values("pk")
    qs = qs.filter(**{f"{source.unit_key}__in": below})
    if aggregate.filter is not None:
        qs = qs.filter(aggregate.filter)
    if source.date_field:
        parts = figures.periods_of(indicator, period)
        from .periods import parse

        first, last = parse(parts[0]), parse(parts[-1])
        qs = qs.filter(**{f"{source.date_field}__gte": first.start, f"{source.date_field}__lt": last.end})
    return qs
