"""Grid pages: the worker's phone home (visit compliance), residents, the log, sign-off, grading, dismissals.

Views hold no rule: they call selectors (reads) and services (writes)."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core import offline
from jiceng.core.capabilities import VIEW
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import holds, may_any
from jiceng.core.tabular.exporting import export_response
from jiceng.core.views import capability_required
from jiceng.org.models import Unit

from . import selectors
from . import visit_rules as vr
from .capabilities import EXPORT, GRADE_QUARTER, RECORD, SIGN_OFF
from .models import DismissalCase, EntryKind, GridWorker, LogEntry, MatterKind, Signoff
from .services import grading, work
from .services import residents as rs
from .workflows import DISMISSAL


def _today(request) -> date:
    return timezone.localdate()


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{m}" for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@login_required
def home(request):
    """The worker's phone home: who is due and overdue in their grid (and the partner's while covering);
    for the director and the township, the same counted per grid of their scope."""
    user, today = request.user, _today(request)
    mine = list(selectors.my_workers(user).select_related("unit"))
    covered = selectors.covered_grid_ids(user, today)
    lists = []
    for unit_id in [w.unit_id for w in mine] + covered:
        rows = selectors.compliance_rows(Q(unit_id=unit_id), today, with_names=True)
        lists.append({"unit": Unit.objects.get(pk=unit_id), "covering": unit_id in covered,
                      "rows": [(rule, [r for r in targets if r[3] is not vr.Status.DONE]) for rule, targets in rows]})
    patrol = selectors.patrol_status([w.pk for w in mine], today)
    summary = []
    if not mine and may_any(user, VIEW):
        grids = GridWorker.objects.restrict(user, VIEW).filter(active=True).select_related("unit").order_by("unit__code")
        counts = selectors.compliance_summary(Q(unit__in=Unit.objects.restrict(user, VIEW).filter(kind="grid")), today)
        summary = [(w, counts.get(w.unit_id, {"due": 0, "overdue": 0, "done": 0})) for w in grids[:500]]
    return render(request, "grid/home.html", {"lists": lists, "workers": [(w, patrol[w.pk].value) for w in mine], "summary": summary,
                                              "today": today, "may_sign": may_any(user, SIGN_OFF)})


@login_required
def resident_list(request):
    rows = selectors.residents(request.user, today=_today(request)).select_related("unit", "household").order_by(
        "unit__code", "household__address", "pk")[:500]
    return render(request, "grid/resident_list.html", {
        "residents": [(r, rs.masked(r)) for r in rows], "may_export": may_any(request.user, EXPORT)})


@login_required
def resident_detail(request, pk):
    resident = rs.open_resident(actor=request.user, pk=pk, today=_today(request))
    visits = resident.visits.order_by("-day")[:20]
    return render(request, "grid/resident_detail.html", {
        "resident": resident, "masked": rs.masked(resident), "visits": visits,
        "categories": [c.get_category_display() for c in resident.categories.all()]})


@login_required
@require_POST
def resident_unmask(request, pk):
    resident = rs.open_resident(actor=request.user, pk=pk, today=_today(request))
    try:
        value = rs.unmask(actor=request.user, resident=resident, field=request.POST.get("field", ""),
                          reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return JsonResponse({"errors": _errors(exc)}, status=422)
    return JsonResponse({"value": value})


@capability_required(EXPORT)
def resident_export(request):
    return export_response(request, kind="grid_residents_list", filters={})


def _entry_payload(request) -> dict:
    if request.content_type == "application/json":
        try:
            return json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ValidationError({"body": _("Not JSON.")}) from exc
    return request.POST.dict()


@capability_required(RECORD)
def log_entry(request):
    """The phone's log form; POST (form or JSON from the offline queue) stores one entry, once per client id."""
    user, today = request.user, _today(request)
    grids = [w.unit for w in selectors.my_workers(user).select_related("unit")]
    grids += list(Unit.objects.filter(pk__in=selectors.covered_grid_ids(user, today)))
    if request.method == "POST":
        data = _entry_payload(request)
        # The offline queue (core.offline) sends its key in a header; its answers are JSON.
        queued = offline.QUEUE_HEADER in request.META
        as_json = queued or request.content_type == "application/json"
        key = request.META.get(offline.HEADER) or data.get(offline.FIELD) or data.get("client_id") or None
        try:
            unit = next((g for g in grids if str(g.pk) == str(data.get("grid"))), None)
            if unit is None:
                raise ValidationError({"grid": _("Choose one of your grids.")})
            day = parse_date(str(data.get("day") or "")) or today
            entry, created = work.record_entry(
                actor=user, unit=unit, day=day, kind=data.get("kind", ""), resident_id=_int(data.get("resident")),
                found=str(data.get("found", ""))[:2000], client_id=key,
                latitude=data.get("latitude") or None, longitude=data.get("longitude") or None,
                matter_kind=data.get("matter_kind", ""), today=today)
        except ValidationError as exc:
            if as_json:
                return JsonResponse({"errors": _errors(exc)}, status=400 if queued else 422)
            for message in _errors(exc):
                messages.error(request, message)
        else:
            if as_json:
                return JsonResponse({"id": entry.pk, "created": created}, status=201 if created else 409)
            messages.success(request, _("Saved."))
            return redirect("grid:log_entry")
    residents = selectors.residents(user, today=today).filter(unit__in=grids).order_by("unit_id", "name")
    return render(request, "grid/log_entry.html", {
        "grids": grids, "residents": residents, "kinds": EntryKind.choices, "matter_kinds": MatterKind.choices,
        "today": today, "recent": LogEntry.objects.filter(recorded_by=user).order_by("-day", "-pk")[:10]})


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@login_required
def worker_log(request, pk):
    """A worker's log by week, for the worker, the director (who signs it, 第二十条) and above."""
    worker = get_scoped_or_404(GridWorker.objects.select_related("unit"), request.user, VIEW, pk=pk)
    day = parse_date(request.GET.get("week", "")) or _today(request)
    start, end = vr.week_of(day)
    entries = worker.log_entries.filter(day__range=(start, end)).select_related("resident").order_by("day", "pk")
    signed = Signoff.objects.filter(worker=worker, start__lte=end, end__gte=start).select_related("signed_by")
    return render(request, "grid/worker_log.html", {
        "worker": worker, "entries": entries, "start": start, "end": end, "signed": list(signed),
        "may_sign": holds(request.user, SIGN_OFF, worker.unit),
        "prev": date.fromordinal(start.toordinal() - 7), "next": date.fromordinal(start.toordinal() + 7)})


@login_required
@require_POST
def sign_off(request, pk):
    """第二十条: the community director signs the worker's week (or month)."""
    worker = get_scoped_or_404(GridWorker.objects.select_related("unit"), request.user, SIGN_OFF, pk=pk)
    day = parse_date(request.POST.get("day", "")) or _today(request)
    try:
        work.sign_off(actor=request.user, worker=worker, kind=request.POST.get("kind", "week"), day=day)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Signed off."))
    return redirect(f"{reverse('grid:worker_log', args=[pk])}?week={vr.week_of(day)[0].isoformat()}")


@login_required
def grade_quarter(request, pk):
    township = get_scoped_or_404(Unit.objects.all(), request.user, GRADE_QUARTER, pk=pk)
    period = request.POST.get("period") or request.GET.get("period") or _previous_quarter(_today(request))
    rows = []
    if request.method == "POST":
        try:
            rows = grading.grade_quarter(actor=request.user, township=township, period=period)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Graded %(n)d workers for %(period)s.") % {"n": len(rows), "period": period})
            return redirect(f"{request.path}?period={period}")
    from .models import Grade

    grades = Grade.objects.within(township).filter(kind="quarter", period=period).select_related("worker", "unit")
    return render(request, "grid/grade_quarter.html", {"township": township, "period": period,
                                                       "grades": grades.order_by("unit__code")})


def _previous_quarter(today: date) -> str:
    from .rules import quarter_of

    return quarter_of(today)


@login_required
def dismissal(request, pk):
    case = get_scoped_or_404(DismissalCase.objects.select_related("worker", "unit"), request.user, VIEW, pk=pk)
    if request.method == "POST":
        name = request.POST.get("transition", "")
        if name not in DISMISSAL.transitions:
            raise Http404
        t = DISMISSAL.transitions[name]
        values = {i.name: request.POST.get(i.name, "") for i in t.inputs}
        if "audit_needed" in values:
            values["audit_needed"] = values["audit_needed"] == "on"
        try:
            DISMISSAL.perform(case, name, actor=request.user, expected_version=_int(request.POST.get("version")),
                              reason=request.POST.get("reason", ""), values=values)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        return redirect("grid:dismissal", pk=pk)
    from .services.dismissal import GROUNDS

    allowed = [t for t in DISMISSAL.allowed_from(case.state) if DISMISSAL.may(request.user, case, t.name)]
    return render(request, "grid/dismissal.html", {"case": case, "ground": GROUNDS.get(case.trigger, ""),
                                                   "transitions": allowed})

