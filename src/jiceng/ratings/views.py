"""Rating links (QR), the rectifications of poor ratings, and the figures with their xlsx export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.refusals import get_allowed_or_404, get_scoped_or_404
from jiceng.core.scoping import may_any

from . import figures, selectors, services
from .capabilities import FIGURES, INVITE, RECTIFY, REVIEW
from .models import Channel, RectificationState
from .workflows import RECTIFICATION


def _need(user, capability):
    if not may_any(user, capability):
        raise PermissionDenied


def qr_svg(url: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True)
    return out.getvalue().decode()


@login_required
@require_POST
def invite(request, pk):
    """Issue a rating link for a case and show its QR code (the clear token is shown this once)."""
    from jiceng.window.models import Case

    _need(request.user, INVITE)
    case = get_scoped_or_404(Case.objects.select_related("unit", "item_version"), request.user, INVITE, pk=pk)
    channel = request.POST.get("channel") or Channel.ONSITE
    try:
        row, token = services.issue_invite(actor=request.user, case=case, channel=channel)
    except ValidationError as exc:
        return render(request, "ratings/invite.html", {"case": case, "errors": exc.messages}, status=409)
    url = request.build_absolute_uri(reverse("ratings_public:rate", args=[token]))
    return render(request, "ratings/invite.html", {"case": case, "invite": row, "url": url, "qr": qr_svg(url)})


@login_required
def rectification_list(request):
    _need(request.user, RECTIFY)
    rows = selectors.rectifications(request.user).order_by("closed_at", "due_on", "pk")[:200]
    return render(request, "ratings/rectification_list.html", {"rows": rows})


@login_required
def rectification_detail(request, pk):
    _need(request.user, RECTIFY)
    row = get_allowed_or_404(selectors.rectifications(request.user), selectors.all_rectifications(), request.user,
                             RECTIFY, pk=pk)
    own = row.owner_id == request.user.pk
    steps = [t for t in RECTIFICATION.allowed_from(row.state) if RECTIFICATION.may(request.user, row, t.name)
             and not (t.name == "appeal" and not own) and not (t.name in ("uphold", "refuse_appeal") and own)]
    return render(request, "ratings/rectification_detail.html", {
        "row": row, "rating": row.rating, "steps": steps, "deadline": row.deadline,
        "scores": [(label, row.rating.scores.get(key)) for key, label in _dims(row.rating.channel)]})


def _dims(channel):
    from .models import dimensions

    return dimensions(channel)


@login_required
@require_POST
def rectification_step(request, pk, step):
    _need(request.user, RECTIFY if step not in ("uphold", "refuse_appeal") else REVIEW)
    row = get_allowed_or_404(selectors.rectifications(request.user), selectors.all_rectifications(), request.user,
                             RECTIFY, pk=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        row = services.rectification_step(actor=request.user, row=row, step=step, expected_version=version,
                                          text=request.POST.get("text", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved: %(state)s.") % {"state": row.get_state_display()})
    return redirect("ratings:rectification_detail", pk=pk)


@login_required
def figures_page(request):
    _need(request.user, FIGURES)
    from .services import timezone

    period_text = request.GET.get("period") or timezone.localdate().strftime("%Y-%m")
    try:
        period = figures.Period.parse(period_text)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        period = figures.Period.parse(timezone.localdate().strftime("%Y-%m"))
    units = figures.by_unit(request.user, period)
    staff = figures.by_staff(request.user, period)
    ranking = figures.ranking(request.user, period)
    total = figures.totals(units)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, period, units, staff, ranking, total)
    return render(request, "ratings/figures.html", {"period": period, "units": units, "staff": staff,
                                                    "ranking": ranking, "total": total})


RATE_HEADERS = ("ratings", "good_rate", "active_good_rate", "unrated_rate", "rectified_rate", "callback_rate")


def _headers():
    return [_("ratings"), _("good rating rate (好评率) %"), _("good rate of active ratings (主动评价好评率) %"),
            _("unrated rate (未评价率) %"), _("poor ratings rectified (差评整改率) %"),
            _("real-name poor ratings called back (实名差评回访率) %")]


def _xlsx(request, period, units, staff, ranking, total):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("units")
    sheet.append([_("unit code"), _("unit"), _("cases ended"), _("cases unrated"), *_headers()])
    for r in [*units, {**total, "unit__code": _("total"), "unit__name": ""}]:
        sheet.append([r["unit__code"], r["unit__name"], r.get("ended", 0), r.get("unrated", 0),
                      *[r.get(k) for k in RATE_HEADERS]])
    people = book.create_sheet(_("staff"))
    people.append([_("staff member"), _("unit"), *_headers()])
    for r in staff:
        people.append([r["handler__full_name"] or r["handler__username"], r["unit__name"],
                       *[r.get(k) for k in RATE_HEADERS]])
    rank = book.create_sheet(_("ranking"))
    rank.append([_("place"), _("window"), _("unit"), *_headers()])
    for r in ranking:
        rank.append([r["place"], r["post__name"], r["unit__name"], *[r.get(k) for k in RATE_HEADERS]])
    out = io.BytesIO()
    book.save(out)
    from django.db import transaction

    with transaction.atomic():
        audit.record(EventType.EXPORT, actor=request.user, details={"export": "ratings.figures",
                                                                    "period": period.label, "units": len(units)})
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ratings-{period.label}.xlsx"'
    return response


__all__ = ["REVIEW", "RectificationState"]
