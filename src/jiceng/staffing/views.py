"""Staffing pages: posts and absences, the people's warnings, sign-in, leave, breaches, trainings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import may_any

from . import selectors, services
from .capabilities import ATTEND, MANAGE
from .forms import AbsenceForm, BreachForm, LeaveForm, TrainingForm
from .models import Absence, Breach, LeaveRequest, SignIn, WindowPost, Worker


def _need(user, capability: str) -> None:
    if not may_any(user, capability):
        raise PermissionDenied


def _errors(request, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                messages.error(request, f"{field}: {error}" if field != "__all__" else error)
    else:
        for error in exc.messages:
            messages.error(request, error)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@login_required
def post_list(request):
    _need(request.user, MANAGE)
    today = services.local_today()
    rows = [(post, selectors.post_warnings(post, today), [a for a in post.absences.all() if a.is_current(today)])
            for post in selectors.posts(request.user, MANAGE)]
    return render(request, "staffing/post_list.html", {"rows": rows, "today": today})


@login_required
def post_detail(request, pk):
    _need(request.user, MANAGE)
    post = get_scoped_or_404(selectors.all_posts(), request.user, MANAGE, pk=pk)
    today = services.local_today()
    return render(request, "staffing/post_detail.html", {
        "post": post, "warnings": selectors.post_warnings(post, today), "today": today,
        "absences": post.absences.order_by("-starts")[:20], "form": AbsenceForm()})


@login_required
@require_POST
def post_absent(request, pk):
    _need(request.user, MANAGE)
    post = get_scoped_or_404(selectors.all_posts(), request.user, MANAGE, pk=pk)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            absence = services.mark_absent(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("%(name)s is marked absent; %(n)d open cases were handed over to %(b)s.")
                             % {"name": post.holder_a, "n": absence.handed_over, "b": post.holder_b})
    else:
        _errors(request, ValidationError(form.errors))
    return redirect("staffing:post_detail", pk=post.pk)


@login_required
@require_POST
def absence_end(request, pk):
    _need(request.user, MANAGE)
    absence = get_scoped_or_404(Absence.objects.select_related("post"), request.user, MANAGE, pk=pk)
    try:
        services.end_absence(actor=request.user, absence=absence)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Back on the post: new cases go to %(name)s again.") % {"name": absence.worker})
    return redirect("staffing:post_detail", pk=absence.post_id)


@login_required
def worker_detail(request, pk):
    _need(request.user, MANAGE)
    worker = get_scoped_or_404(selectors.all_workers(), request.user, MANAGE, pk=pk)
    today = services.local_today()
    return render(request, "staffing/worker_detail.html", {
        "worker": worker, "warnings": selectors.worker_warnings(worker, today), "year": today.year,
        "trainings": worker.trainings.filter(held_on__year=today.year),
        "trainings_needed": selectors.MIN_TRAININGS_A_YEAR,
        "breaches": worker.breaches.filter(occurred_on__year=today.year),
        "confirmed": selectors.confirmed_breaches_in_year(worker, today.year),
        "form": TrainingForm()})


@login_required
@require_POST
def training_new(request, pk):
    _need(request.user, MANAGE)
    worker = get_scoped_or_404(selectors.all_workers(), request.user, MANAGE, pk=pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_record(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Training recorded."))
    else:
        _errors(request, ValidationError(form.errors))
    return redirect("staffing:worker_detail", pk=worker.pk)


@login_required
def sign_in(request):
    _need(request.user, ATTEND)
    worker = services.worker_of(request.user)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "out":
                row = services.sign_out(actor=request.user)
                messages.success(request, _("Signed out at %(t)s.") % {"t": row.signed_out_at.strftime("%H:%M")})
            else:
                row = services.sign_in(actor=request.user)
                messages.success(request, _("Signed in at %(t)s.") % {"t": row.signed_in_at.strftime("%H:%M")})
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("staffing:sign_in")
    today = services.local_today()
    row = SignIn.objects.filter(worker=worker, day=today).first() if worker else None
    recent = SignIn.objects.filter(worker=worker).order_by("-day")[:10] if worker else []
    return render(request, "staffing/sign_in.html", {"worker": worker, "row": row, "recent": recent, "today": today})


@login_required
def leave_list(request):
    if not (may_any(request.user, ATTEND) or may_any(request.user, MANAGE)):
        raise PermissionDenied
    return render(request, "staffing/leave_list.html", {
        "own": selectors.own_leaves(request.user)[:20], "to_decide": selectors.leaves_to_decide(request.user)[:100],
        "decided": selectors.leaves(request.user, MANAGE).exclude(state="requested").order_by("-starts")[:30],
        "form": LeaveForm(), "worker": services.worker_of(request.user)})


@login_required
@require_POST
def leave_new(request):
    _need(request.user, ATTEND)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.leave_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Leave requested: the centre head decides."))
    else:
        _errors(request, ValidationError(form.errors))
    return redirect("staffing:leave_list")


@login_required
@require_POST
def leave_step(request, pk, step):
    if step not in ("approve", "refuse", "back"):
        raise Http404
    capability = ATTEND if step == "back" else MANAGE
    _need(request.user, capability)
    leave = get_scoped_or_404(LeaveRequest.objects.select_related("worker", "unit"), request.user, capability, pk=pk)
    try:
        services.leave_step(actor=request.user, leave=leave, step=step, expected_version=_version(request),
                            note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("staffing:leave_list")


@login_required
def breach_list(request):
    _need(request.user, MANAGE)
    year = services.local_today().year
    return render(request, "staffing/breach_list.html", {
        "to_confirm": selectors.breaches_to_confirm(request.user)[:100],
        "recent": selectors.breaches(request.user, MANAGE).exclude(state="proposed")[:50],
        "trainings": selectors.training_counts(request.user, year, MANAGE),
        "year": year, "trainings_needed": selectors.MIN_TRAININGS_A_YEAR,
        "form": BreachForm(workers=selectors.workers(request.user, MANAGE))})


@login_required
@require_POST
def breach_new(request):
    _need(request.user, MANAGE)
    form = BreachForm(request.POST, workers=selectors.workers(request.user, MANAGE))
    if form.is_valid():
        try:
            breach = services.breach_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Breach recorded; proposed measure: %(m)s.")
                             % {"m": breach.get_proposed_measure_display()})
    else:
        _errors(request, ValidationError(form.errors))
    return redirect("staffing:breach_list")


@login_required
@require_POST
def breach_step(request, pk, step):
    if step not in ("confirm", "dismiss"):
        raise Http404
    _need(request.user, MANAGE)
    breach = get_scoped_or_404(Breach.objects.select_related("worker", "unit"), request.user, MANAGE, pk=pk)
    try:
        breach = services.breach_step(actor=request.user, breach=breach, step=step,
                                      expected_version=_version(request), note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Saved: %(state)s.") % {"state": breach.get_state_display()})
    return redirect("staffing:breach_list")


__all__ = ["Worker", "WindowPost"]
