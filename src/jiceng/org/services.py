"""Writes of units and staff: one transaction each, with the audit record and a scope re-check."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import EDIT, assert_in_scope
from jiceng.org.capabilities import STRUCTURE

from .models import ALLOWED_CHILDREN, Staff, Unit, UnitKind

UNIT_FACT_FIELDS = [
    "name",
    "address",
    "phone",
    "office_type",
    "establishment_level",
    "authorised_posts",
    "floor_area",
    "has_meeting_room",
    "has_petition_room",
    "vehicles",
    "has_copier",
    "has_fax",
    "has_camera",
    "computers",
    "networked",
]
# Facts only the city bureau (STRUCTURE capability) may change.
IDENTITY_FIELDS = ["name", "office_type", "establishment_level", "authorised_posts"]
STAFF_FIELDS = [
    "unit",
    "name",
    "gender",
    "birth_date",
    "education",
    "political_status",
    "employment_type",
    "establishment_unit",
    "post",
    "post_start",
    "phone",
    "id_number",
    "active",
]


def _check_kind(parent: Unit | None, kind: str) -> None:
    if parent is None:
        if kind != UnitKind.CITY:
            raise ValidationError({"kind": _("Only a city bureau can be the root of the tree.")})
        return
    if kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
        raise ValidationError(
            {
                "kind": _("A %(child)s cannot be placed under a %(parent)s.")
                % {"child": UnitKind(kind).label, "parent": UnitKind(parent.kind).label}
            }
        )


@transaction.atomic
def unit_create(*, actor, parent: Unit | None, kind: str, name: str, code: str, **facts: Any) -> Unit:
    """Add a unit under `parent`. `actor=None` is the command line or the demo loader."""
    if actor is not None:
        if not actor.has_capability(STRUCTURE):
            raise PermissionDenied(_("Your role does not allow changing the unit tree."))
        if parent is None:
            raise PermissionDenied(_("Only the command line can create a root unit."))
        parent = get_scoped_or_404(Unit.objects.all(), actor, EDIT, pk=parent.pk)
    _check_kind(parent, kind)
    unit = Unit(kind=kind, name=name, code=code, **facts)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        unit = Unit.objects.add_root(instance=unit)
    else:
        unit = Unit.objects.add_child(parent, instance=unit)
    audit.record(
        EventType.CREATE,
        actor=actor,
        actor_name=None if actor else "system",
        subject=unit,
        after=audit.snapshot(unit, ["kind", "code", "path", *UNIT_FACT_FIELDS]),
    )
    return unit


def identity_changes_refused(actor, unit: Unit, changes: dict[str, Any]) -> dict[str, str]:
    """The identity facts among `changes` this actor may not change: {field: why} (empty when allowed).

    An office may keep its own facilities up to date, but its name, type,
    establishment level and authorised posts are set by the city bureau (the
    establishment authority), not by the office itself. `actor=None` is the
    server's command line. The web form, the API and the unit import all ask here.
    """
    if actor is None or actor.has_capability(STRUCTURE):
        return {}
    return {
        name: _("Only the city bureau can change this.")
        for name in IDENTITY_FIELDS
        if name in changes and changes[name] != getattr(unit, name)
    }


def _check_identity_changes(actor, unit: Unit, changes: dict[str, Any]) -> None:
    refused = identity_changes_refused(actor, unit, changes)
    if refused:
        raise ValidationError(refused)


@transaction.atomic
def unit_update(*, actor, unit: Unit, changes: dict[str, Any], reason: str = "") -> Unit:
    unknown = set(changes) - set(UNIT_FACT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    unit = get_scoped_or_404(Unit.objects.all(), actor, EDIT, pk=unit.pk)
    before = audit.snapshot(unit, UNIT_FACT_FIELDS)
    _check_identity_changes(actor, unit, changes)
    for name, value in changes.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit.save(update_fields=list(changes) or None)
    old, new = audit.diff(before, audit.snapshot(unit, UNIT_FACT_FIELDS))
    if new:
        audit.record(EventType.UPDATE, actor=actor, subject=unit, before=old, after=new, reason=reason)
    return unit


@transaction.atomic
def staff_create(*, actor, unit: Unit, **fields: Any) -> Staff:
    if actor is not None:
        unit = get_scoped_or_404(Unit.objects.all(), actor, EDIT, pk=unit.pk)
    staff = Staff(unit=unit, **fields)
    staff.full_clean()
    staff.save()
    if actor is not None:
        assert_in_scope(staff, actor, EDIT)
    audit.record(
        EventType.CREATE,
        actor=actor,
        actor_name=None if actor else "system",
        subject=staff,
        after=audit.snapshot(staff, STAFF_FIELDS),
    )
    return staff


@transaction.atomic
def staff_update(*, actor, staff: Staff, changes: dict[str, Any], reason: str = "") -> Staff:
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    staff = get_scoped_or_404(Staff.objects.select_for_update(), actor, EDIT, pk=staff.pk)
    before = audit.snapshot(staff, STAFF_FIELDS)
    for name, value in changes.items():
        setattr(staff, name, value)
    staff.full_clean()
    staff.save()
    # A user must not move a record out of their own subtree.
    assert_in_scope(staff, actor, EDIT)
    old, new = audit.diff(before, audit.snapshot(staff, STAFF_FIELDS))
    if new:
        audit.record(EventType.UPDATE, actor=actor, subject=staff, before=old, after=new, reason=reason)
    return staff


@transaction.atomic
def staff_delete(*, actor, staff: Staff, reason: str = "") -> None:
    staff = get_scoped_or_404(Staff.objects.all(), actor, EDIT, pk=staff.pk)
    before = audit.snapshot(staff, STAFF_FIELDS)
    audit.record(EventType.DELETE, actor=actor, subject=staff, before=before, reason=reason)
    staff.delete()


UNMASKABLE_STAFF_FIELDS = ("id_number", "phone")


def staff_unmask(*, actor, staff: Staff, field: str, reason: str) -> str:
    """One person's ID number or phone in clear, for a stated reason, on the record.

    The capability is checked against the person's own unit: holding an
    unmasking role somewhere else does not open another subtree's records.
    The checks run before the transaction so that an out-of-scope refusal's
    own audit record is not rolled back with it.
    """
    from jiceng.core.scoping import VIEW, allows
    from jiceng.org.capabilities import UNMASK

    if field not in UNMASKABLE_STAFF_FIELDS:
        raise ValidationError({"field": _("This field cannot be unmasked.")})
    staff = get_scoped_or_404(Staff.objects.all(), actor, VIEW, pk=staff.pk)
    if not allows(actor, UNMASK, staff):
        raise PermissionDenied(_("Your role does not allow seeing personal data in full."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for seeing this in full.")})
    with transaction.atomic():
        audit.record(EventType.UNMASK, actor=actor, subject=staff, reason=reason, details={"field": field})
    return getattr(staff, field)
