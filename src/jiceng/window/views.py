"""The window's staff pages: case list, a case and its steps, intake, the printable documents, figures.

Views only read the request and call selectors and services; every domain rule is in services.py.
"""

from __future__ import annotations

import io
from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.accounts.models import User
from jiceng.core import pii
from jiceng.core.capabilities import VIEW
from jiceng.core.refusals import get_scoped_or_404
from jiceng.core.scoping import may_any
from jiceng.core.workdays import calendar
from jiceng.org.models import Unit

from . import catalogue_io, documents, figures, selectors, services
from .capabilities import DECIDE, DELIVER, FIGURES, INTAKE, MANAGE_CATALOGUE, REVIEW
from .codes import mask_credit_code
from .models import Case, Notice, State
from .workflows import CASE

WINDOW_CAPS = (INTAKE, REVIEW, DECIDE, DELIVER, FIGURES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def window_role_required(*caps):
    caps = caps or WINDOW_CAPS

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(request.user.has_capability(c) for c in caps):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _masked(case) -> str:
    if case.credit_code:
        return mask_credit_code(case.credit_code)
    return pii.mask_id_number(case.applicant_id_number)


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    first, last = figures.month(today)
    try:
        first = date.fromisoformat(request.GET.get("from") or first.isoformat())
        last = date.fromisoformat(request.GET.get("to") or last.isoformat())
    except ValueError:
        messages.error(request, _("Dates are written YYYY-MM-DD; the current month is shown."))
    return first, last


@window_role_required()
def case_list(request):
    qs = selectors.cases(request.user, VIEW)
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    figure = request.GET.get("figure", "")
    if figure:
        first, last = _period(request)
        qs = figures.filter_cases(qs, figure, first, last, timezone.localdate())
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        qs = qs.filter(unit_id=int(unit))
    page = Paginator(qs.order_by("-received_at", "-pk"), 30).get_page(request.GET.get("page"))
    rows = [(c, _masked(c), pii.mask_phone(c.phone)) for c in page]
    return render(request, "window/case_list.html", {"page": page, "rows": rows, "states": State.choices,
                                                     "state": state, "figure": figure,
                                                     "can_intake": may_any(request.user, INTAKE)})


@window_role_required()
def case_detail(request, pk):
    case = get_scoped_or_404(Case.objects.select_related("item_version", "unit", "handler", "received_by"),
                             request.user, VIEW, pk=pk)
    steps = [t for t in CASE.allowed_from(case.state) if CASE.may(request.user, case, t.name)]
    statutory = None
    if case.statutory_data:
        from jiceng.core.deadlines import Deadline

        statutory = Deadline.from_json(case.statutory_data)
    deadline = case.deadline
    try:
        status = case.deadline_status(timezone.localdate(), calendar())
    except Exception:  # noqa: BLE001 - a year without a schedule: show no colour
        status = None
    materials = list(case.item_version.materials.all())
    return render(request, "window/case_detail.html", {
        "case": case, "steps": [t.name for t in steps], "masked_id": _masked(case), "phone": pii.mask_phone(case.phone),
        "deadline": deadline, "statutory": statutory, "status": status, "materials": materials,
        "ticked": set(case.materials_ticked), "notices": case.notices.all(), "handovers": case.handovers.all(),
        "colleagues": User.objects.filter(is_active=True, memberships__unit=case.unit).exclude(pk=case.handler_id)
        .distinct() if request.user.has_capability(INTAKE) else [],
    })


def _missing_lines(post, materials) -> list[dict]:
    lines = []
    for m in materials:
        problem = (post.get(f"problem_{m.pk}") or "").strip()
        if post.get(f"missing_{m.pk}") or problem:
            lines.append({"material": m.name, "problem": problem or _("not provided")})
    return lines


@require_POST
@window_role_required()
def case_step(request, pk, step):
    case = get_scoped_or_404(Case.objects.select_related("item_version", "unit"), request.user, VIEW, pk=pk)
    version = int(request.POST.get("version") or 0)
    p = request.POST
    actions = {
        "accept": lambda: services.accept(case, actor=request.user, expected_version=version),
        "notice": lambda: services.give_notice(case, actor=request.user, expected_version=version,
                                               items=_missing_lines(p, case.item_version.materials.all())),
        "return": lambda: services.return_materials(case, actor=request.user, expected_version=version),
        "refuse": lambda: services.refuse(case, actor=request.user, expected_version=version,
                                          reason=p.get("reason", ""), basis=p.get("basis", "")),
        "review": lambda: services.review(case, actor=request.user, expected_version=version,
                                          opinion=p.get("opinion", "")),
        "decide": lambda: services.decide(case, actor=request.user, expected_version=version,
                                          outcome=p.get("outcome", ""), text=p.get("text", "")),
        "deliver": lambda: services.deliver(case, actor=request.user, expected_version=version),
        "extend": lambda: services.extend(case, actor=request.user, expected_version=version,
                                          reason=p.get("reason", "")),
        "hand_over": lambda: services.hand_over(case, User.objects.filter(pk=p.get("to_user") or 0).first(),
                                                actor=request.user, reason=p.get("reason", "")),
    }
    if step not in actions:
        raise PermissionDenied
    try:
        actions[step]()
    except ValidationError as exc:
        for line in exc.messages:
            messages.error(request, line)
    else:
        messages.success(request, _("Saved."))
    return redirect("window:case_detail", pk=case.pk)


@window_role_required(INTAKE)
def intake(request):
    items = selectors.items(request.user, INTAKE).filter(active=True)
    item = None
    if request.GET.get("item", "").isdigit():
        item = items.filter(pk=int(request.GET["item"])).first()
    errors = {}
    if request.method == "POST":
        item = items.filter(pk=int(request.POST.get("item") or 0)).first()
        if item is None:
            errors = {"item": [_("Choose an item.")]}
        else:
            p = request.POST
            try:
                case = services.intake(item.unit, item, actor=request.user, applicant_kind=p.get("applicant_kind", ""),
                                       applicant_name=p.get("applicant_name", ""), id_number=p.get("id_number", ""),
                                       credit_code=p.get("credit_code", ""), phone=p.get("phone", ""),
                                       channel=p.get("channel", "window"), agent_name=p.get("agent_name", ""),
                                       consent=p.get("consent", ""), materials_ticked=p.getlist("materials"))
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                messages.success(request, _("Case %(number)s received.") % {"number": case.number})
                return redirect("window:case_detail", pk=case.pk)
    return render(request, "window/intake.html", {"items": items.order_by("code"), "item": item, "errors": errors,
                                                  "data": request.POST,
                                                  "materials": item.current.materials.all() if item else []})


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


@window_role_required()
def notice_document(request, pk, fmt):
    notice = get_scoped_or_404(Notice.objects.select_related("case__item_version", "case__unit"), request.user,
                               VIEW, pk=pk)
    if fmt == "pdf":
        return _file(documents.notice_pdf(notice), "application/pdf", f"{notice.number}.pdf")
    return _file(documents.notice_docx(notice), DOCX, f"{notice.number}.docx")


@window_role_required()
def decision_document(request, pk, fmt):
    case = get_scoped_or_404(Case.objects.select_related("item_version", "unit"), request.user, VIEW, pk=pk,
                             decided_at__isnull=False)
    if fmt == "pdf":
        return _file(documents.decision_pdf(case), "application/pdf", f"{case.number}.pdf")
    return _file(documents.decision_docx(case), DOCX, f"{case.number}.docx")


@window_role_required(FIGURES)
def figures_page(request):
    first, last = _period(request)
    today = timezone.localdate()
    qs = selectors.cases(request.user, FIGURES)
    total = figures.figures(qs, first, last, today)
    units = figures.per_unit(qs, first, last, today)
    if request.GET.get("format") == "xlsx":
        return _file(_figures_xlsx(total, units, first, last), XLSX, f"window-figures-{first}-{last}.xlsx")
    rows = [(name, label, total["counts"][name], total["rates"].get(name)) for name, label in figures.LABELS.items()]
    unit_rows = [(u["unit"], u["unit__name"], [u[name] for name in figures.LABELS]) for u in units]
    return render(request, "window/figures.html", {"rows": rows, "avg_days": total["avg_days"], "units": unit_rows,
                                                   "labels": list(figures.LABELS.items()),
                                                   "first": first.isoformat(), "last": last.isoformat()})


def _figures_xlsx(total, units, first, last) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "窗口办件统计"
    names = list(figures.LABELS)
    ws.append([f"{first} — {last}"])
    ws.append([_("Unit"), *[str(figures.LABELS[n]) for n in names], _("Average working days")])
    for row in units:
        ws.append([row["unit__name"], *[row[n] for n in names],
                   round(row["avg_days"], 1) if row["avg_days"] is not None else None])
    ws.append([_("Total"), *[total["counts"][n] for n in names], total["avg_days"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()




@window_role_required(MANAGE_CATALOGUE)
def catalogue_page(request):
    items = selectors.items(request.user, MANAGE_CATALOGUE).select_related("unit").order_by("unit__path", "code")
    units = Unit.objects.restrict(request.user, MANAGE_CATALOGUE).order_by("path")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "window/catalogue.html", {"page": page, "units": units})


@window_role_required(MANAGE_CATALOGUE)
def catalogue_export(request):
    items = selectors.items(request.user, MANAGE_CATALOGUE).order_by("unit__path", "code")
    return _file(catalogue_io.export_xlsx(items), XLSX, "政务服务事项目录.xlsx")


@require_POST
@window_role_required(MANAGE_CATALOGUE)
def catalogue_import(request):
    unit = get_scoped_or_404(Unit.objects.all(), request.user, MANAGE_CATALOGUE,
                             pk=int(request.POST.get("unit") or 0))
    upload = request.FILES.get("file")
    if upload is None or upload.size > 5 * 1024 * 1024:
        messages.error(request, _("Choose an xlsx file of at most 5 MB."))
        return redirect("window:catalogue")
    try:
        result = catalogue_io.import_xlsx(unit, upload.read(), actor=request.user)
    except ValidationError as exc:
        for line in exc.messages[:50]:
            messages.error(request, line)
    else:
        messages.success(request, _("Imported: %(created)d new items, %(revised)d new versions, %(unchanged)d "
                                    "unchanged.") % result)
    return redirect("window:catalogue")
