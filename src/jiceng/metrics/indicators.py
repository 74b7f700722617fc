"""The registry of indicators: each one declared by the app that owns its ledger, from its AppConfig.ready().

    from django.db.models import Q
    from jiceng.metrics import indicators as m

    m.register(m.Indicator(
        id="window.on_time", app="window", name=_("Service on time"), unit=m.PERCENT, grain=m.MONTH,
        model="window.ServiceCase", unit_field="unit", date_field="closed_on",
        numerator=m.Count(filter=Q(closed_on__lte=F("due_on"))),
        denominator=m.Count(), factor=100,
    ))

An indicator counts over one ledger model (app label + model name), placing each row in a unit by
`unit_field` (a foreign-key path to org.Unit, "" for a unit itself) and in a period by `date_field`
(None: a snapshot of today, stored for the period that holds today). Its numerator and denominator
are database aggregates (`Count`, `Sum`) with their own Q filter; either may count over another
model (`model=`, `unit_field=`, `date_field=` on the aggregate), as floor area per person sums units'
areas over a count of staff. A missing model or field is refused at registration with a message
naming the indicator and the field. `denominator=None` makes a plain figure (a count, an area): its
value is the numerator, and its stored denominator is the number of rows looked at (0: no data).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q

from .periods import GRAINS, HALF_YEAR, MONTH, QUARTER, YEAR  # noqa: F401  (re-exported for declarations)

PERCENT = "%"
COUNT = "count"
DAYS = "days"
M2_PER_PERSON = "m²/person"
PER_PERSON = "per person"
UNITS = (PERCENT, COUNT, DAYS, M2_PER_PERSON, PER_PERSON)

UNIT_MODEL = "org.Unit"
_INHERIT: Any = object()


class IndicatorError(ValueError):
    """A declaration that names a missing model or field, or an unknown indicator id."""


@dataclass(frozen=True)
class _Aggregate:
    filter: Q | None = None
    model: str | None = None
    unit_field: str | None = None
    date_field: Any = _INHERIT

    kind = ""
    field = "pk"

    def expression(self):
        raise NotImplementedError


@dataclass(frozen=True)
class Count(_Aggregate):
    """COUNT of the rows matching `filter`."""

    kind = "count"

    def expression(self):
        return models.Count("pk", filter=self.filter)


@dataclass(frozen=True)
class Sum(_Aggregate):
    """SUM of `field` over the rows matching `filter` (a nullable field counts as 0)."""

    field: str = ""

    kind = "sum"

    def __init__(self, field: str, filter: Q | None = None, *, model=None, unit_field=None, date_field=_INHERIT):
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "filter", filter)
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "unit_field", unit_field)
        object.__setattr__(self, "date_field", date_field)

    def expression(self):
        return models.Sum(self.field, filter=self.filter)


@dataclass(frozen=True)
class Source:
    """Where an aggregate counts: the model, its path to the unit and the field that dates a row."""

    model: type[models.Model]
    unit_field: str
    date_field: str | None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def unit_key(self) -> str:
        """The value the GROUP BY uses for the unit's id."""
        return self.unit_field or "pk"


@dataclass(frozen=True)
class Indicator:
    id: str
    name: Any  # a lazy gettext string
    unit: str
    grain: str
    model: str  # "app_label.ModelName"
    numerator: _Aggregate
    denominator: _Aggregate | None = None
    unit_field: str = "unit"
    date_field: str | None = "opened_on"
    factor: int = 1
    app: str = ""
    target: float | None = None  # the figure the dashboards draw against (the seed's rule), if any
    higher_is_better: bool = True
    source: str = ""  # the seed clause, for the reader
    description: Any = ""
    # Filled by `register` (the validated models); not part of a declaration.
    sources: tuple = field(default=(), compare=False, repr=False)

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def source_of(self, aggregate: _Aggregate) -> Source:
        return self.sources[0] if aggregate is self.numerator else self.sources[1]

    @property
    def dated(self) -> bool:
        return all(source.date_field for source in self.sources)

    def value(self, numerator, denominator):
        """The figure from stored sums: None (无数据) when the denominator is 0 or None."""
        if numerator is None or not denominator:
            return None
        if self.is_ratio:
            return float(numerator) / float(denominator) * self.factor
        return float(numerator) * self.factor


_registry: dict[str, Indicator] = {}


def _model(indicator_id: str, label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        raise IndicatorError(f"indicator {indicator_id}: no ledger model {label!r} (write app_label.ModelName)") from None


def _walk(indicator_id: str, model, path: str, what: str):
    """The last field of a `__` path on `model`, stopping at a lookup; a missing first field is refused."""
    current, last = model, None
    for index, part in enumerate(path.split("__")):
        if part == "pk":
            last = current._meta.pk
            continue
        try:
            last = current._meta.get_field(part)
        except FieldDoesNotExist:
            if index == 0 or current is None:
                raise IndicatorError(
                    f"indicator {indicator_id}: {what} {path!r}: {model._meta.label} has no field {part!r}"
                ) from None
            return last  # a lookup or transform (`__gte`, `__year`)
        current = last.related_model if last.is_relation else None
        if current is None and index < len(path.split("__")) - 1:
            return last
    return last


def _check_q(indicator_id: str, model, q: Q | None, what: str) -> None:
    if q is None:
        return
    for child in q.children:
        if isinstance(child, Q):
            _check_q(indicator_id, model, child, what)
        else:
            _walk(indicator_id, model, child[0], what)


def _source(indicator: Indicator, aggregate: _Aggregate, what: str) -> Source:
    label = aggregate.model or indicator.model
    model = _model(indicator.id, label)
    unit_field = aggregate.unit_field if aggregate.unit_field is not None else (
        indicator.unit_field if aggregate.model is None else "unit")
    date_field = indicator.date_field if aggregate.date_field is _INHERIT else aggregate.date_field
    unit_model = apps.get_model(UNIT_MODEL)
    if unit_field:
        last = _walk(indicator.id, model, unit_field, "unit field")
        if not (last.is_relation and last.related_model is unit_model):
            raise IndicatorError(f"indicator {indicator.id}: unit field {unit_field!r} of {model._meta.label} "
                                 f"is not a foreign key to {UNIT_MODEL}")
    elif model is not unit_model:
        raise IndicatorError(f"indicator {indicator.id}: an empty unit field is only for {UNIT_MODEL} itself")
    if date_field:
        last = _walk(indicator.id, model, date_field, "date field")
        if not isinstance(last, models.DateField):  # DateTimeField is a DateField
            raise IndicatorError(f"indicator {indicator.id}: date field {date_field!r} of {model._meta.label} "
                                 "is not a date")
    if isinstance(aggregate, Sum):
        last = _walk(indicator.id, model, aggregate.field, f"{what} sum field")
        if not isinstance(last, (models.IntegerField, models.DecimalField, models.FloatField, models.DurationField)):
            raise IndicatorError(f"indicator {indicator.id}: {what} sum field {aggregate.field!r} is not a number")
    _check_q(indicator.id, model, aggregate.filter, f"{what} filter")
    return Source(model, unit_field, date_field)


def validate(indicator: Indicator) -> Indicator:
    """The indicator with its models resolved; IndicatorError naming the indicator and field otherwise."""
    if not indicator.id or not isinstance(indicator.id, str):
        raise IndicatorError(f"an indicator needs an id, not {indicator.id!r}")
    if indicator.unit not in UNITS:
        raise IndicatorError(f"indicator {indicator.id}: unit {indicator.unit!r} is not one of {', '.join(UNITS)}")
    if indicator.grain not in GRAINS:
        raise IndicatorError(f"indicator {indicator.id}: grain {indicator.grain!r} is not one of {', '.join(GRAINS)}")
    if not isinstance(indicator.numerator, _Aggregate) or not (
            indicator.denominator is None or isinstance(indicator.denominator, _Aggregate)):
        raise IndicatorError(f"indicator {indicator.id}: numerator and denominator must be Count(...) or Sum(...)")
    sources = [_source(indicator, indicator.numerator, "numerator")]
    base = indicator.denominator if indicator.denominator is not None else Count(
        model=indicator.numerator.model, unit_field=indicator.numerator.unit_field,
        date_field=indicator.numerator.date_field)
    sources.append(_source(indicator, base, "denominator"))
    if bool(sources[0].date_field) != bool(sources[1].date_field):
        raise IndicatorError(f"indicator {indicator.id}: the numerator and the denominator must both be dated "
                             "or both be snapshots")
    return replace(indicator, sources=tuple(sources))


def register(indicator: Indicator) -> Indicator:
    """Validate and register (again: replaced); connects the dirty tracking of its models (metrics.tracking)."""
    checked = validate(indicator)
    _registry[checked.id] = checked
    from . import tracking

    for source in checked.sources:
        tracking.watch(source)
    return checked


def get(indicator_id: str) -> Indicator:
    try:
        return _registry[indicator_id]
    except KeyError:
        raise IndicatorError(f"no indicator {indicator_id!r} (`jiceng metrics list` shows them)") from None


def all_indicators() -> list[Indicator]:
    return sorted(_registry.values(), key=lambda indicator: indicator.id)


def over_model(model) -> list[Indicator]:
    """The indicators that count over `model` (their numerator's or denominator's source)."""
    return [ind for ind in all_indicators() if any(source.model is model for source in ind.sources)]


def denominator_of(indicator: Indicator) -> _Aggregate:
    """The denominator as declared, or the base count of a plain figure."""
    if indicator.denominator is not None:
        return indicator.denominator
    return Count(model=indicator.numerator.model, unit_field=indicator.numerator.unit_field,
                 date_field=indicator.numerator.date_field)


def snapshot() -> dict[str, Indicator]:
    return dict(_registry)


def restore(saved: dict[str, Indicator]) -> None:
    _registry.clear()
    _registry.update(saved)
