"""The monthly report (综合月报) and half-year analysis: generated from the ledgers, reviewed, submitted, rolled up.

    report_generate(actor=..., unit=office, year=2026, month=11)  -> a draft with the month's figures
    report_submit(actor=..., report=r)                              -> submitted (late if after the 20th)
    report_review(actor=..., report=r, accept=True, note="")        -> reviewed or returned (the county)
    late_units(user, county, year, month, today)                    -> offices that have not submitted by the 20th
    rollup_xlsx(user, unit, year, month)                            -> one row per office, for the county or city

Due by the 20th of the month after the one covered (seed 001 3.4).
"""

from __future__ import annotations

import calendar as cal
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.capabilities import VIEW
from jiceng.core.models import EventType
from jiceng.org.models import Unit

from .access import require
from .capabilities import REPORT_REVIEW, REPORT_SUBMIT
from .deadlines import MONTHLY_REPORT_DAY
from .models import Case, Clue, ClueSource, MonthlyReport, ReportKind, ReportState

COLUMNS = (
    ("clues", "线索登记数"), ("hotline", "12336举报数"), ("patrol_clues", "巡查发现线索数"),
    ("cases_found", "发现违法案件数"), ("stop_orders", "下达责令停止通知书数"), ("filed", "立案数"),
    ("decided", "作出处罚决定数"), ("closed", "结案数"), ("fines", "罚款金额（元）"), ("open_cases", "在办案件数"),
)


def due_date(year: int, month: int) -> date:
    """The 20th of the month after `month`."""
    return date(year + (month == 12), month % 12 + 1, MONTHLY_REPORT_DAY)


def _period(kind: str, year: int, month: int) -> tuple[date, date]:
    if kind == ReportKind.HALF_YEAR:
        return date(year, month - 5, 1), date(year, month, cal.monthrange(year, month)[1])
    return date(year, month, 1), date(year, month, cal.monthrange(year, month)[1])


def figures_for(unit, kind: str, year: int, month: int) -> dict:
    first, last = _period(kind, year, month)
    clues = Clue.objects.within(unit).filter(opened_on__range=(first, last)).aggregate(
        clues=Count("pk"), hotline=Count("pk", filter=Q(source=ClueSource.HOTLINE)),
        patrol_clues=Count("pk", filter=Q(source=ClueSource.PATROL)))
    cases = Case.objects.within(unit).aggregate(
        cases_found=Count("pk", filter=Q(found_on__range=(first, last))),
        stop_orders=Count("pk", filter=Q(stop_served_on__range=(first, last))),
        filed=Count("pk", filter=Q(filed_on__range=(first, last))),
        decided=Count("pk", filter=Q(decided_on__range=(first, last))),
        closed=Count("pk", filter=Q(closed_at__date__range=(first, last))),
        fines=Sum("fine", filter=Q(decided_on__range=(first, last))),
        open_cases=Count("pk", filter=Q(state__in=Case.open_states, found_on__lte=last)))
    out = {**clues, **cases}
    out["fines"] = str(out["fines"] or 0)
    return out


def report_generate(*, actor, unit, year: int, month: int, kind: str = ReportKind.MONTHLY,
                    analysis: str = "") -> MonthlyReport:
    """Create or refresh the draft report of `unit` for the period from the ledgers."""
    require(actor, REPORT_SUBMIT, unit)
    if kind == ReportKind.HALF_YEAR and month not in (6, 12):
        raise ValidationError({"month": _("A half-year analysis covers January-June (6) or July-December (12).")})
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("The month must be 1 to 12.")})
    with transaction.atomic():
        report, _created = MonthlyReport.objects.select_for_update().get_or_create(
            unit=unit, kind=kind, year=year, month=month,
            defaults={"due_on": due_date(year, month), "generated_at": timezone.now()})
        if report.state in (ReportState.SUBMITTED, ReportState.REVIEWED):
            raise ValidationError(_("The report is %(state)s; it can no longer be regenerated.") % {
                "state": report.get_state_display()})
        report.figures = figures_for(unit, kind, year, month)
        report.analysis = analysis.strip() or report.analysis
        report.generated_at = timezone.now()
        report.state = ReportState.DRAFT
        report.version += 1
        report.save()
        audit.record(EventType.UPDATE, actor=actor, subject=report, after={"figures": report.figures})
    return report


def report_submit(*, actor, report: MonthlyReport) -> MonthlyReport:
    require(actor, REPORT_SUBMIT, report.unit)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
            raise ValidationError(_("The report is %(state)s already.") % {"state": report.get_state_display()})
        if report.kind == ReportKind.HALF_YEAR and not report.analysis:
            raise ValidationError({"analysis": _("A half-year analysis needs its written analysis.")})
        report.state, report.submitted_at, report.submitted_by = ReportState.SUBMITTED, timezone.now(), actor
        report.version += 1
        report.save()
        audit.record(EventType.UPDATE, actor=actor, subject=report, after={"state": report.state,
                                                                            "late": report.late})
    return report


def report_review(*, actor, report: MonthlyReport, accept: bool, note: str = "") -> MonthlyReport:
    """The county accepts (reviewed) or returns a submitted report; a return needs its reason."""
    require(actor, REPORT_REVIEW, Unit.objects.get_parent(report.unit) or report.unit)
    if not accept and not note.strip():
        raise ValidationError({"review_note": _("Say why the report is returned.")})
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if report.state != ReportState.SUBMITTED:
            raise ValidationError(_("Only a submitted report is reviewed."))
        report.state = ReportState.REVIEWED if accept else ReportState.RETURNED
        report.reviewed_at, report.review_note = timezone.now(), note.strip()
        report.version += 1
        report.save()
        audit.record(EventType.UPDATE, actor=actor, subject=report, reason=note,
                     after={"state": report.state})
    return report


def late_units(user, unit, year: int, month: int, today: date | None = None) -> list:
    """The offices under `unit` that had not submitted the month's report by its due date (as of `today`)."""
    today = today or timezone.localdate()
    if today <= due_date(year, month):
        return []
    offices = list(Unit.objects.restrict(user, VIEW).filter(kind="office").order_by("path"))
    offices = [o for o in offices if o.pk == unit.pk or o.is_descendant_of(unit)]
    on_time = set(MonthlyReport.objects.restrict(user, VIEW).filter(
        kind=ReportKind.MONTHLY, year=year, month=month, submitted_at__date__lte=due_date(year, month))
        .values_list("unit_id", flat=True))
    return [o for o in offices if o.pk not in on_time]


def rollup_xlsx(user, unit, year: int, month: int, kind: str = ReportKind.MONTHLY) -> bytes:
    """One row per office under `unit` (a county or the city) with its figures, state and lateness; a total row."""
    from openpyxl import Workbook

    reports = {r.unit_id: r for r in MonthlyReport.objects.restrict(user, VIEW).filter(kind=kind, year=year,
                                                                                       month=month)}
    offices = [o for o in Unit.objects.restrict(user, VIEW).filter(kind="office").order_by("path")
               if o.pk == unit.pk or o.is_descendant_of(unit)]
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年{month}月"
    sheet.append(["单位", "状态", "是否逾期", *[label for _k, label in COLUMNS]])
    totals = [0] * len(COLUMNS)
    for office in offices:
        r = reports.get(office.pk)
        values = [(r.figures.get(k, 0) if r and r.state != ReportState.DRAFT else 0) for k, _l in COLUMNS]
        values = [float(v) if k == "fines" else int(v) for v, (k, _l) in zip(values, COLUMNS, strict=True)]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        state = r.get_state_display() if r else _("Not submitted")
        late = "是" if (r is None or r.submitted_at is None or r.late) and timezone.localdate() > due_date(year, month) \
            else "否"
        sheet.append([office.name, str(state), late, *values])
    sheet.append(["合计", "", "", *totals])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
