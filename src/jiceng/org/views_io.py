"""Thin views for data out: exports and unmasking (the import pages are core.views_import's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiceng.core.refusals import get_scoped_or_404

from . import exports, services
from .models import Staff


@login_required
def staff_export(request):
    """The staff list's export: its filters and sort, through the list (core.lists)."""
    return exports.staff_export(request, exports.STAFF_LIST.export_filters(request.GET))


@login_required
def unit_export(request):
    """The unit register's export: its filters and sort, through the list (core.lists)."""
    return exports.unit_export(request, exports.UNIT_LIST.export_filters(request.GET))


@login_required
@require_POST
@never_cache
def staff_unmask(request, pk, field):
    """Show one person's ID number or phone in full, for a reason (audited by the service)."""
    staff = get_scoped_or_404(Staff.objects.all(), request.user, pk=pk)
    if field not in services.UNMASKABLE_STAFF_FIELDS:
        raise Http404
    try:
        value = services.staff_unmask(actor=request.user, staff=staff, field=field, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if request.htmx:
            # 200, not 400: htmx swaps only successful answers, and the form must show why.
            return render(request, "org/_pii_field.html", _field_context(staff, field, error=message))
        messages.error(request, message)
        return _detail(request, staff, status=400)
    if request.htmx:
        return render(request, "org/_pii_field.html", _field_context(staff, field, clear=value))
    return _detail(request, staff, revealed={field: value})


def _field_context(staff, field, **extra) -> dict:
    from jiceng.core.pii import mask_id_number, mask_phone

    value = getattr(staff, field)
    masked = mask_phone(value) if field == "phone" else mask_id_number(value)
    # The user just passed the service's capability check (or failed only on the reason).
    return {"staff": staff, "field": field, "value": value, "masked": masked, "can_unmask": True, **extra}


def staff_detail_context(request, pk) -> dict:
    """The staff page's context: the person (in scope), and whether the user may edit or unmask."""
    from jiceng.core.scoping import EDIT, allows
    from jiceng.org.capabilities import UNMASK

    staff = get_scoped_or_404(Staff.objects.select_related("unit", "establishment_unit"), request.user, pk=pk)
    return {
        "staff": staff,
        "can_edit": allows(request.user, EDIT, staff),
        "can_unmask": allows(request.user, UNMASK, staff),
        "revealed": {},
    }


def _detail(request, staff, revealed=None, status=200):
    context = staff_detail_context(request, staff.pk)
    context["revealed"] = revealed or {}
    return render(request, "org/staff_detail.html", context, status=status)
