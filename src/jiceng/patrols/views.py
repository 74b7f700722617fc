"""Patrol pages: the list, a new patrol, the field page (track and findings, offline), areas and plans, the report."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core import maps, offline
from jiceng.core.capabilities import VIEW
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import holds
from jiceng.core.views import capability_required, form_errors_from

from . import report, services
from .capabilities import PLAN, RECORD
from .forms import AreaForm, FindingForm, PatrolForm, PlanForm, ReportForm
from .models import Finding, Patrol, PatrolArea, PatrolPlan


def _units(user, action):
    unit_model = apps.get_model("org", "Unit")
    return unit_model.objects.restrict(user, action).order_by("path")


@capability_required(VIEW)
def patrol_list(request):
    month = request.GET.get("month", "")
    try:
        period = maps.Period.parse(month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        period = maps.Period()
    patrols = period.filter(Patrol.objects.restrict(request.user, VIEW), "patrol_date")
    patrols = patrols.select_related("unit", "area").order_by("-patrol_date", "-pk")[:200]
    return render(request, "patrols/list.html", {"patrols": patrols, "month": month,
                                                 "may_record": request.user.has_capability(RECORD)})


@capability_required(RECORD)
@offline.idempotent("patrols.patrol")
def patrol_create(request):
    units = _units(request.user, RECORD)
    areas = PatrolArea.objects.restrict(request.user, RECORD).order_by("name")
    form = PatrolForm(request.POST or None, units=units, areas=areas,
                      initial={"patrol_date": timezone.localdate(), "unit": units.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patrol = services.patrol_create(actor=request.user, unit=data["unit"], patrol_date=data["patrol_date"],
                                            inspectors=data["inspectors"], area=data["area"], route=data["route"],
                                            summary=data["summary"], key_period=data["key_period"],
                                            unannounced=data["unannounced"])
        except (ValidationError, PermissionDenied) as exc:
            form_errors_from(form, exc)
        else:
            return patrol, redirect(patrol)
    return render(request, "patrols/create.html", {"form": form}, status=422 if form.errors else 200)


@capability_required(VIEW)
def patrol_detail(request, pk):
    patrol = get_scoped_or_404(Patrol.objects.select_related("unit", "area"), request.user, VIEW, pk=pk)
    findings = patrol.findings.select_related("photo").order_by("created_at", "pk")
    return render(request, "patrols/detail.html", {
        "patrol": patrol, "findings": findings, "segments": patrol.segments.order_by("started_at"),
        "may_record": holds(request.user, RECORD, patrol.unit), "finding_form": FindingForm(),
    })


def _refusal(request, exc):
    errors = exc.message_dict if isinstance(exc, ValidationError) and hasattr(exc, "error_dict") else \
        {"__all__": exc.messages if isinstance(exc, ValidationError) else [str(exc)]}
    return offline.refused(request, errors) or HttpResponse(
        " ".join(m for ms in errors.values() for m in ms), status=400, content_type="text/plain; charset=utf-8")


@require_POST
@capability_required(RECORD)
@offline.idempotent("patrols.track")
def track_add(request, pk):
    patrol = get_scoped_or_404(Patrol.objects.select_related("unit"), request.user, RECORD, pk=pk)
    try:
        services.track_add(actor=request.user, patrol=patrol, segments=request.POST.get("segments", ""))
    except (ValidationError, PermissionDenied) as exc:
        return _refusal(request, exc)
    return patrol, redirect(patrol)


@require_POST
@capability_required(RECORD)
@offline.idempotent("patrols.finding")
def finding_add(request, pk):
    patrol = get_scoped_or_404(Patrol.objects.select_related("unit"), request.user, RECORD, pk=pk)
    form = FindingForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refusal(request, ValidationError(form.errors))
    data = form.cleaned_data
    try:
        finding = services.finding_add(actor=request.user, patrol=patrol, description=data["description"],
                                       lon=data["lon"], lat=data["lat"], place=data["place"], photo=data["photo"],
                                       as_clue=data["as_clue"])
    except (ValidationError, PermissionDenied) as exc:
        return _refusal(request, exc)
    return finding, redirect(patrol)


@require_POST
@capability_required(RECORD)
def finding_clue(request, pk):
    finding = get_scoped_or_404(Finding.objects.select_related("unit", "patrol"), request.user, RECORD, pk=pk)
    try:
        services.finding_to_clue(actor=request.user, finding=finding)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The finding is registered as a clue."))
    return redirect(finding.patrol)


@capability_required(PLAN)
def area_list(request):
    units = _units(request.user, PLAN)
    areas = PatrolArea.objects.restrict(request.user, PLAN)
    area_form = AreaForm(request.POST if request.POST.get("form") == "area" else None, units=units)
    plan_form = PlanForm(request.POST if request.POST.get("form") == "plan" else None, areas=areas)
    if request.method == "POST":
        form = area_form if request.POST.get("form") == "area" else plan_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is area_form:
                    services.area_create(actor=request.user, unit=data["unit"], name=data["name"],
                                         responsible=data["responsible"], responsible_phone=data["responsible_phone"],
                                         description=data["description"])
                else:
                    services.plan_set(actor=request.user, area=data["area"], month=data["month"],
                                      planned=data["planned"], notes=data["notes"])
            except (ValidationError, PermissionDenied) as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("patrols:area_list")
    plans = PatrolPlan.objects.restrict(request.user, PLAN).select_related("area").order_by("-month", "area__name")[:100]
    return render(request, "patrols/areas.html", {
        "areas": areas.select_related("unit").order_by("unit__path", "name"), "plans": plans,
        "area_form": area_form, "plan_form": plan_form,
    }, status=422 if (area_form.errors or plan_form.errors) else 200)


@capability_required(VIEW)
def monthly_report(request):
    units = _units(request.user, VIEW)
    form = ReportForm(request.GET or None, units=units,
                      initial={"month": timezone.localdate().strftime("%Y-%m"), "unit": units.first()})
    if request.GET and form.is_valid():
        try:
            period = maps.Period.parse(form.cleaned_data["month"])
        except ValidationError as exc:
            form_errors_from(form, exc, "month")
        else:
            if period.start is None or period.start.day != 1 or period.end.month != period.start.month:
                form.add_error("month", _("Give a month, such as 2026-12."))
            else:
                unit = form.cleaned_data["unit"]
                body = report.monthly_workbook(request.user, unit, period.start)
                response = HttpResponse(
                    body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                name = f"patrol-report-{unit.code}-{period.start:%Y-%m}.xlsx"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
    return render(request, "patrols/report.html", {"form": form}, status=422 if form.errors else 200)
