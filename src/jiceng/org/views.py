"""Thin views over org.selectors and org.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import EDIT
from jiceng.core.views import form_errors_from

from . import exports, selectors, services
from .forms import StaffForm, UnitFactsForm
from .models import Staff, Unit


def _translated(lines):
    return [
        {
            "label": _(line.label),
            "figure": line.figure,
            "rule": _(line.rule) % line.params if line.params else _(line.rule),
            "source": line.source,
            "status": line.status,
        }
        for line in lines
    ]


@login_required
def unit_tree(request):
    """The units: the tree browser, or (`?view=list`) the unit register with filters, sort, pages and export."""
    can_import = Unit.objects.editable_by(request.user).exists()
    if request.GET.get("view") == "list":
        listing = exports.UNIT_LIST.page(request, keep=("view",))
        return render(request, "org/unit_tree.html", {"list": listing, "can_import": can_import})
    roots = selectors.unit_roots_for(request.user)
    return render(request, "org/unit_tree.html", {"roots": roots, "can_import": can_import})


@login_required
def unit_children(request, pk):
    """htmx: the children of one node of the tree browser."""
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=pk)
    return render(request, "org/_unit_children.html", {"children": selectors.unit_children(request.user, unit)})


@login_required
def unit_detail(request, pk):
    unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=pk)
    staff = selectors.staff_list(request.user, unit=unit).filter(unit=unit)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "breadcrumb": selectors.unit_ancestors_visible(request.user, unit),
            "children": selectors.unit_children(request.user, unit),
            "standards": _translated(selectors.unit_standards(unit)),
            "staff": staff,
            "can_edit": Unit.objects.editable_by(request.user).filter(pk=unit.pk).exists(),
        },
    )


@login_required
def unit_edit(request, pk):
    unit = get_scoped_or_404(Unit.objects.all(), request.user, EDIT, pk=pk)
    form = UnitFactsForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.UNIT_FACT_FIELDS}
        try:
            services.unit_update(actor=request.user, unit=unit, changes=changes, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@login_required
def staff_list(request):
    template = "org/_staff_rows.html" if request.htmx else "org/staff_list.html"
    return render(
        request,
        template,
        {"list": exports.STAFF_LIST.page(request), "can_add": Unit.objects.editable_by(request.user).exists()},
    )


@login_required
def staff_create(request):
    # A role that may edit no unit gets a refusal (recorded), not a form whose
    # unit list is empty.
    if not Unit.objects.editable_by(request.user).exists():
        raise PermissionDenied
    form = StaffForm(request.POST or None, user=request.user, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        unit = data.pop("unit")
        try:
            staff = services.staff_create(actor=request.user, unit=unit, **data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("org:staff_detail", pk=staff.pk)
    return render(request, "org/staff_form.html", {"form": form})


@login_required
def staff_detail(request, pk):
    from .views_io import staff_detail_context

    return render(request, "org/staff_detail.html", staff_detail_context(request, pk))


@login_required
def staff_edit(request, pk):
    staff = get_scoped_or_404(Staff.objects.all(), request.user, EDIT, pk=pk)
    form = StaffForm(request.POST or None, instance=Staff.objects.get(pk=pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.staff_update(actor=request.user, staff=staff, changes=changes, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("org:staff_detail", pk=pk)
    return render(request, "org/staff_form.html", {"form": form, "staff": staff})


@login_required
@require_POST
def staff_delete(request, pk):
    staff = get_scoped_or_404(Staff.objects.all(), request.user, EDIT, pk=pk)
    unit_pk = staff.unit_id
    services.staff_delete(actor=request.user, staff=staff, reason=request.POST.get("reason", ""))
    messages.success(request, _("Deleted."))
    return redirect("org:unit_detail", pk=unit_pk)
