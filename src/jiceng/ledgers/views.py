"""The ledger pages, one set for every ledger of specs.py: index, list (+ xlsx), new, row (edit with history,
steps, files)."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.capabilities import VIEW
from jiceng.core.models import AuditEvent
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import holds
from jiceng.core.tabular.exporting import export_response
from jiceng.core.views import capability_required, form_errors_from

from . import selectors, services
from .capabilities import KEEP
from .listings import IMPORTABLE, LISTINGS
from .models import RowFile
from .specs import SPECS


def _spec(kind):
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404
    return spec


def _style(form):
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select")
        else:
            w.attrs.setdefault("class", "form-control")
        if isinstance(w, forms.DateInput):
            w.input_type = "date"
        if isinstance(w, forms.Textarea):
            w.attrs["rows"] = 3
    return form


def _form_class(spec, with_unit: bool):
    names = [name for name, _header in spec.fields]
    form_class = modelform_factory(spec.model, fields=names)
    if not with_unit:
        return form_class
    unit_model = apps.get_model("org", "Unit")
    return type("CreateForm", (form_class,), {
        "unit": forms.ModelChoiceField(label=_("Unit"), queryset=unit_model.objects.none()),
    })


@capability_required(VIEW)
def ledger_index(request):
    counts = []
    for spec in SPECS.values():
        qs = spec.model.objects.restrict(request.user, VIEW)
        overdue = qs.filter(state__in=spec.model.open_states, due_on__lt=timezone.localdate()).count() \
            if spec.is_ledger_row else None
        counts.append((spec, qs.count(), overdue))
    return render(request, "ledgers/index.html", {"counts": counts, "rates": selectors.petition_rates(request.user)})


@capability_required(VIEW)
def row_list(request, kind):
    spec = _spec(kind)
    listing = LISTINGS[kind]
    if request.GET.get("format") == "xlsx":
        return export_response(request, kind=listing.kind, filters=listing.export_filters(request.GET))
    page = listing.page(request)
    return render(request, "ledgers/list.html", {
        "spec": spec, "list": page, "may_keep": request.user.has_capability(KEEP),
        "importable": kind in IMPORTABLE,
        "rates": selectors.petition_rates(request.user) if kind == "petitions" else None,
    })


@capability_required(KEEP)
def row_create(request, kind):
    spec = _spec(kind)
    unit_model = apps.get_model("org", "Unit")
    units = unit_model.objects.restrict(request.user, KEEP).order_by("path")
    form = _form_class(spec, with_unit=True)(request.POST or None, initial={"unit": units.first()})
    form.fields["unit"].queryset = units
    if "point" in form.fields:
        from .models import HazardPoint

        form.fields["point"].queryset = HazardPoint.objects.restrict(request.user, KEEP)
    _style(form)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name, _h in spec.fields}
        try:
            obj = services.row_create(spec, actor=request.user, unit=form.cleaned_data["unit"], values=values)
        except (ValidationError, PermissionDenied) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(obj)
    return render(request, "ledgers/form.html", {"spec": spec, "form": form}, status=422 if form.errors else 200)


def _history(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")


@capability_required(VIEW)
def row_detail(request, kind, pk):
    spec = _spec(kind)
    obj = get_scoped_or_404(spec.model.objects.select_related("unit"), request.user, VIEW, pk=pk)
    may_keep = holds(request.user, KEEP, obj.unit)
    form = None
    if may_keep:
        form = _style(_form_class(spec, with_unit=False)(request.POST or None, instance=None, initial={
            name: getattr(obj, name) for name, _h in spec.fields}))
        if "point" in form.fields:
            from .models import HazardPoint

            form.fields["point"].queryset = HazardPoint.objects.restrict(request.user, VIEW)
        if request.method == "POST":
            if form.is_valid():
                values = {name: form.cleaned_data[name] for name, _h in spec.fields}
                version = request.POST.get("version")
                try:
                    services.row_update(spec, actor=request.user, obj=obj, values=values,
                                        expected_version=int(version) if version and version.isdigit() else None)
                except (ValidationError, PermissionDenied) as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, _("Saved."))
                    return redirect(obj)
    elif request.method == "POST":
        raise PermissionDenied
    steps = []
    if spec.workflow is not None and may_keep:
        steps = [t for t in spec.workflow.transitions.values() if obj.state in t.source]
    files = RowFile.objects.filter(kind=kind, row_id=obj.pk, unit=obj.unit).select_related("attachment")
    return render(request, "ledgers/detail.html", {
        "spec": spec, "obj": obj, "form": form, "may_keep": may_keep, "steps": steps, "files": files,
        "history": _history(obj), "values": [(spec.field(n).verbose_name, _display(obj, n)) for n, _h in spec.fields],
        "deadline": obj.deadline.explain() if spec.is_ledger_row and obj.deadline else "",
    }, status=422 if form is not None and form.errors else 200)


def _display(obj, name):
    getter = getattr(obj, f"get_{name}_display", None)
    value = getter() if getter else getattr(obj, name)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value if value not in (None, "") else "—"


@require_POST
@capability_required(KEEP)
def row_step(request, kind, pk):
    spec = _spec(kind)
    obj = get_scoped_or_404(spec.model.objects.select_related("unit"), request.user, KEEP, pk=pk)
    name = request.POST.get("step", "")
    transition = spec.workflow.transitions.get(name) if spec.workflow else None
    if transition is None:
        messages.error(request, _("Unknown step “%(step)s”.") % {"step": name[:30]})
        return redirect(obj)
    values = {}
    for item in transition.inputs:
        raw = request.POST.get(item.name, "").strip()
        field = spec.model._meta.get_field(item.name)
        if raw:
            try:
                raw = field.to_python(raw)
            except ValidationError as exc:
                messages.error(request, f"{field.verbose_name}: {' '.join(exc.messages)}")
                return redirect(obj)
        values[item.name] = raw
    version = request.POST.get("version", "")
    try:
        services.row_step(spec, actor=request.user, obj=obj, name=name, values=values,
                          expected_version=int(version) if version.isdigit() else obj.version,
                          reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": transition.label})
    return redirect(obj)


@require_POST
@capability_required(KEEP)
def row_attach(request, kind, pk):
    spec = _spec(kind)
    obj = get_scoped_or_404(spec.model.objects.select_related("unit"), request.user, KEEP, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect(obj)
    try:
        services.row_attach(spec, actor=request.user, obj=obj, upload=upload)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The file is attached."))
    return redirect(obj)
