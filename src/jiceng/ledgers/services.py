"""The ledgers' use cases, the same for every ledger (specs.py): create, edit with history, step, attach."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.deadlines import Deadline
from jiceng.core.maps import parse_geometry
from jiceng.core.models import EventType
from jiceng.core.scoping import holds

from .capabilities import KEEP
from .models import RowFile
from .specs import Spec


def _require(actor, unit):
    if not holds(actor, KEEP, unit):
        raise PermissionDenied(_("You may not keep the ledgers of %(unit)s.") % {"unit": unit.name})


def _clean_values(spec: Spec, values: dict) -> dict:
    values = dict(values)
    if "location" in values and values["location"] not in (None, ""):
        values["location"] = parse_geometry(values["location"], allowed=("Point",), field="location")
    return values


def _full_clean(obj):
    try:
        obj.full_clean(exclude=["unit", "created_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def row_create(spec: Spec, *, actor, unit, values: dict):
    """A new row of `spec`'s ledger for `unit`: its initial state and deadline, audited, in one transaction."""
    _require(actor, unit)
    values = _clean_values(spec, values)
    with transaction.atomic():
        obj = spec.model(unit=unit, **values)
        if spec.is_ledger_row:
            obj.state = spec.workflow.initial if spec.workflow else "open"
            obj.opened_on = obj.opened_on or timezone.localdate()
            obj.created_by = actor
            if spec.rule is not None:
                from jiceng.core.workdays import calendar

                obj.set_deadline(Deadline.compute(calendar(), spec.rule, obj.opened_on))
        _full_clean(obj)
        obj.save()
        audit.record(EventType.CREATE, actor=actor, subject=obj, unit=unit,
                     after=audit.snapshot(obj, [name for name, _header in spec.fields]),
                     details={"ledger": spec.kind})
    return obj


def row_update(spec: Spec, *, actor, obj, values: dict, expected_version: int | None = None):
    """Change a row's fields; the audit record keeps what changed (the row's history)."""
    _require(actor, obj.unit)
    values = _clean_values(spec, values)
    names = [name for name, _header in spec.fields]
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if expected_version is not None and getattr(locked, "version", expected_version) != expected_version:
            raise ValidationError(_("Someone changed this row meanwhile (version %(now)s, you saw %(seen)s); "
                                    "reload it.") % {"now": locked.version, "seen": expected_version})
        before = audit.snapshot(locked, names)
        for name, value in values.items():
            setattr(locked, name, value)
        if spec.is_ledger_row and spec.rule is not None and "opened_on" in values and locked.is_open:
            from jiceng.core.workdays import calendar

            locked.set_deadline(Deadline.compute(calendar(), spec.rule, locked.opened_on))
        _full_clean(locked)
        after = audit.snapshot(locked, names)
        changed_before, changed_after = audit.diff(before, after)
        if not changed_after:
            return locked
        if hasattr(locked, "version"):
            locked.version += 1
        locked.save()
        audit.record(EventType.UPDATE, actor=actor, subject=locked, unit=locked.unit, before=changed_before,
                     after=changed_after, details={"ledger": spec.kind})
    return locked


def row_step(spec: Spec, *, actor, obj, name: str, expected_version: int | None, values: dict | None = None,
             reason: str = ""):
    """A workflow step (core.workflow: in order, by the right role, with its inputs)."""
    if spec.workflow is None:
        raise ValidationError(_("This ledger has no steps."))
    return spec.workflow.perform(obj, name, actor=actor, expected_version=expected_version, values=values or {},
                                 reason=reason)


def row_attach(spec: Spec, *, actor, obj, upload) -> RowFile:
    from jiceng.core.attachments import attachment_add

    _require(actor, obj.unit)
    with transaction.atomic():
        attachment = attachment_add(actor=actor, unit=obj.unit, upload=upload, purpose=f"ledgers.{spec.kind}",
                                    subject=obj, details={"ledger": spec.kind})
        return RowFile.objects.create(unit=obj.unit, kind=spec.kind, row_id=obj.pk, attachment=attachment)
