"""Residents: adding them, opening one (audited), unmasking (audited, with a reason)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from jiceng.core import audit, pii
from jiceng.core.models import EventType, Outcome
from jiceng.core.refusals import get_allowed_or_404
from jiceng.core.scoping import VIEW, holds

from .. import selectors
from ..capabilities import MANAGE, SENSITIVE, UNMASK_RESIDENT
from ..models import SENSITIVE_CATEGORIES, Household, Resident, ResidentCategory

VIEW_EVENT = "grid.resident_view"


def add_resident(*, actor, household: Household, name: str, id_number: str = "", phone: str = "",
                 categories=()) -> Resident:
    if actor is not None and not holds(actor, MANAGE, household.unit):
        raise PermissionDenied(_("You may not add residents to %(grid)s.") % {"grid": household.unit.name})
    categories = sorted(set(categories))
    with transaction.atomic():
        resident = Resident(unit=household.unit, household=household, name=name, phone=phone,
                            id_number=pii.clean_id_number(id_number) if id_number else "",
                            sensitive=bool(SENSITIVE_CATEGORIES & set(categories)))
        resident.full_clean(exclude=["unit", "household"])
        resident.save()
        ResidentCategory.objects.bulk_create([ResidentCategory(resident=resident, category=c) for c in categories])
        audit.record(EventType.CREATE, actor=actor, subject=resident, unit=household.unit,
                     after={"name": name, "categories": categories})
    return resident


def open_resident(*, actor, pk: int, today: date | None = None) -> Resident:
    """One resident for `actor`, or the audited 404. Every opening is itself recorded (issue 15: each view of
    a sensitive record). A sensitive category out of reach of grid.sensitive is refused like any other."""
    allowed = selectors.residents(actor, VIEW, today)
    resident = get_allowed_or_404(allowed, Resident.objects.all(), actor, SENSITIVE
                                  if _is_sensitive(pk) else VIEW, pk=pk)
    with transaction.atomic():
        audit.record(VIEW_EVENT, actor=actor, subject=resident, unit=resident.unit,
                     details={"sensitive": resident.sensitive, "categories": resident.category_codes()})
    return resident


def _is_sensitive(pk) -> bool:
    return Resident.objects.filter(pk=pk, sensitive=True).exists()


def unmask(*, actor, resident: Resident, field: str, reason: str) -> str:
    if field not in ("id_number", "phone"):
        raise Http404
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for seeing the full value.")})
    if not holds(actor, UNMASK_RESIDENT, resident.unit):
        with transaction.atomic():
            audit.record(EventType.ACCESS_DENIED, actor=actor, subject=resident, unit=resident.unit,
                         outcome=Outcome.DENIED, details={"action": UNMASK_RESIDENT, "field": field})
        raise PermissionDenied(_("You may not see this resident's full personal data."))
    if resident.sensitive and not holds(actor, SENSITIVE, resident.unit):
        raise PermissionDenied(_("This resident's category needs the sensitive-data right."))
    with transaction.atomic():
        audit.record(EventType.UNMASK, actor=actor, subject=resident, unit=resident.unit, reason=reason.strip(),
                     details={"field": field})
    return getattr(resident, field)


def masked(resident: Resident) -> dict:
    return {"id_number": pii.mask_id_number(resident.id_number) if resident.id_number else "",
            "phone": pii.mask_phone(resident.phone) if resident.phone else ""}
