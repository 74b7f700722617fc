"""The enforcement pages: clue and case ledgers, a case's steps, documents and publication. Rules are the services'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core.capabilities import VIEW
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import may_any
from jiceng.core.views import form_errors_from

from . import selectors, services
from .capabilities import CLUE_REGISTER
from .forms import CaseOpenForm, ClueForm
from .models import Case, Clue, DocumentKind
from .workflows import CASE, DRAFTABLE


def _messages(exc) -> list[str]:
    missing = getattr(exc, "missing", None)
    lines = list(exc.messages) if hasattr(exc, "messages") else [str(exc)]
    return lines + [str(m) for m in (missing or []) if str(m) not in lines]


@login_required
def clue_list(request):
    rows = selectors.clues(request.user)
    state = request.GET.get("state")
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-registered_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "enforcement/clue_list.html", {"page": page,
                                                          "may_register": may_any(request.user, CLUE_REGISTER)})


@login_required
def clue_create(request):
    if not may_any(request.user, CLUE_REGISTER):
        raise PermissionDenied
    form = ClueForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photos")
        try:
            clue = services.clue_register(actor=request.user, photos=[photo] if photo else [], **data)
        except (ValidationError, PermissionDenied) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Clue %(number)s registered.") % {"number": clue.number})
            return redirect("enforcement:clue_detail", pk=clue.pk)
    return render(request, "enforcement/clue_form.html", {"form": form})


@login_required
def clue_detail(request, pk):
    clue = get_scoped_or_404(Clue.objects.select_related("unit", "village"), request.user, VIEW, pk=pk)
    return render(request, "enforcement/clue_detail.html", {"clue": clue, "open_form": CaseOpenForm(),
                                                            "case": getattr(clue, "case", None)})


@login_required
@require_POST
def case_open(request, pk):
    clue = get_scoped_or_404(Clue.objects.all(), request.user, VIEW, pk=pk)
    form = CaseOpenForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_open(actor=request.user, clue=clue, **form.cleaned_data)
        except ValidationError as exc:
            for line in _messages(exc):
                messages.error(request, line)
        else:
            return redirect("enforcement:case_detail", pk=case.pk)
    else:
        messages.error(request, _("Give the case, the party and land or mineral."))
    return redirect("enforcement:clue_detail", pk=clue.pk)


@login_required
def case_list(request):
    rows = selectors.cases(request.user)
    state = request.GET.get("state")
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("-found_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "enforcement/case_list.html", {"page": page})


@login_required
def case_detail(request, pk):
    case = get_scoped_or_404(Case.objects.select_related("unit", "clue"), request.user, VIEW, pk=pk)
    steps = [(t, _inputs(t)) for t in CASE.allowed_from(case.state) if CASE.may(request.user, case, t.name)]
    drafts = [DocumentKind(k) for k, states in DRAFTABLE.items() if case.state in states]
    return render(request, "enforcement/case_detail.html", {
        "case": case, "steps": steps, "drafts": drafts, "documents": case.documents.select_related("docx", "pdf"),
        "deadline": case.deadline, "decision": case.decision_deadline_value})


def _parse(kind: str, raw: str):
    from datetime import date
    from decimal import Decimal, InvalidOperation

    try:
        if kind == "DateField":
            return date.fromisoformat(raw)
        if kind == "DecimalField":
            return Decimal(raw)
    except (ValueError, InvalidOperation):
        raise ValidationError(_("“%(value)s” cannot be read.") % {"value": raw}) from None
    return raw


def _inputs(t):
    """The fields of a step's form, typed from the model's fields."""
    from django.db import models as m

    out = []
    for i in t.inputs:
        field = Case._meta.get_field(i.name)
        if field.choices:
            kind = "select"
        elif isinstance(field, m.DateField):
            kind = "date"
        elif isinstance(field, m.BooleanField):
            kind = "checkbox"
        elif isinstance(field, m.DecimalField):
            kind = "number"
        else:
            kind = "textarea"
        out.append({"name": i.name, "label": i.label or field.verbose_name, "kind": kind, "required": i.required,
                    "choices": [c for c in field.choices if c[0]] if field.choices else []})
    return out


@login_required
@require_POST
def case_step(request, pk):
    case = get_scoped_or_404(Case.objects.all(), request.user, VIEW, pk=pk)
    name = request.POST.get("step", "")
    t = CASE.transitions.get(name)
    if t is None:
        messages.error(request, _("Unknown step."))
        return redirect("enforcement:case_detail", pk=case.pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        values = {}
        for i in t.inputs:
            raw = request.POST.get(i.name, "")
            kind = Case._meta.get_field(i.name).get_internal_type()
            if kind == "BooleanField":
                values[i.name] = raw in ("on", "1", "true")
            elif raw != "":
                values[i.name] = _parse(kind, raw)
        services.case_step(actor=request.user, case=case, step=name, expected_version=version, values=values,
                           reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for line in _messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, _("%(step)s: done.") % {"step": t.label})
    return redirect("enforcement:case_detail", pk=case.pk)


@login_required
@require_POST
def case_document(request, pk):
    case = get_scoped_or_404(Case.objects.all(), request.user, VIEW, pk=pk)
    try:
        doc = services.case_document_generate(actor=request.user, case=case, kind=request.POST.get("kind", ""))
    except ValidationError as exc:
        for line in _messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, _("%(document)s drawn up.") % {"document": doc})
    return redirect("enforcement:case_detail", pk=case.pk)


@login_required
@require_POST
def case_publish(request, pk):
    case = get_scoped_or_404(Case.objects.all(), request.user, VIEW, pk=pk)
    try:
        services.case_publish(actor=request.user, case=case)
    except ValidationError as exc:
        for line in _messages(exc):
            messages.error(request, line)
    else:
        messages.success(request, _("Published on the public disclosure page."))
    return redirect("enforcement:case_detail", pk=case.pk)
