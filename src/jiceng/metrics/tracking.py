"""Dirty tracking: a save or delete of a row of a model some indicator counts over marks its (unit, month).

The month is the one the row's date field places it in, before and after the edit, so that an edit of an
old record marks the old month and a moved record marks both. The marks are written in the same
transaction as the row; `metrics.tasks.refresh` recomputes only the marked units × periods.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

_watched: dict = {}  # model -> the sources (metrics.indicators.Source) that count over it
ORIGINAL = "_metrics_original"


def _value(instance, path: str):
    value = instance
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def _month(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return f"{value.year}-{value.month:02d}"
    return ""


def _keys(instance, cheap: bool = False) -> set[tuple[int, str]]:
    """The (unit id, month) pairs the row counts in; `cheap` (on load): only what needs no query."""
    keys = set()
    deferred = instance.get_deferred_fields() if cheap else set()
    for source in _watched.get(type(instance), ()):
        if cheap:
            names = [source.unit_field, source.date_field or ""]
            if any("__" in name or name in deferred for name in names):
                continue
            if source.unit_field and type(instance)._meta.get_field(source.unit_field).attname in deferred:
                continue
        if source.unit_field and "__" not in source.unit_field:
            unit_id = getattr(instance, type(instance)._meta.get_field(source.unit_field).attname, None)
        elif source.unit_field:
            unit = _value(instance, source.unit_field)
            unit_id = getattr(unit, "pk", None)
        else:
            unit_id = instance.pk
        if unit_id is None:
            continue
        month = _month(_value(instance, source.date_field)) if source.date_field else ""
        if source.date_field and not month:
            continue  # an undated row counts nowhere
        keys.add((unit_id, month))
    return keys


def _remember(sender, instance, **kwargs):
    if type(instance) in _watched and instance.pk is not None:
        instance.__dict__[ORIGINAL] = _keys(instance, cheap=True)


def _mark(sender, instance, **kwargs):
    from .models import DirtyMonth

    keys = _keys(instance) | instance.__dict__.get(ORIGINAL, set())
    if not keys:
        return
    label = type(instance)._meta.label
    DirtyMonth.objects.bulk_create([DirtyMonth(model=label, unit_id=unit_id, month=month) for unit_id, month in keys],
                                   ignore_conflicts=True)
    instance.__dict__[ORIGINAL] = _keys(instance)


def watch(source) -> None:
    """Connect the marks for `source.model` and count in `source` (idempotent)."""
    model = source.model
    known = _watched.setdefault(model, [])
    if source not in known:
        known.append(source)
    if len(known) > 1:
        return
    uid = f"metrics:{model._meta.label}"
    post_init.connect(_remember, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(_mark, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_mark, sender=model, weak=False, dispatch_uid=uid)
