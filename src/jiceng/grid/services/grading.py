"""Quarterly and yearly grading through the rubric engine's grid schemes, prefilled from the records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.scoping import holds
from jiceng.rubrics.loader import builtin_scheme
from jiceng.rubrics.population import grade_population

from .. import rules
from .. import visit_rules as vr
from ..capabilities import GRADE_QUARTER, GRADE_YEAR
from ..models import (
    Attendance,
    Complaint,
    Grade,
    GradeKind,
    GradeStatus,
    GridWorker,
    LogEntry,
    PayBasis,
    Signoff,
)
from ..selectors import _count, resident_targets
from . import surveys

QUARTER_SCHEME = "lingwu-grid-quarterly-2021"
YEAR_SCHEME = "lingwu-grid-annual-2021"
EXCELLENT, FIT = "优秀", "称职"


def _weeks(start: date, end: date) -> int:
    return max(1, ((end - start).days + 1) // 7)


def figures(workers: list[GridWorker], start: date, end: date, periods: list[str]) -> dict[int, dict]:
    """The figures behind each worker's performance over [start, end], from the logs, the visit rules, the
    sign-offs, the meetings, verified complaints and the surveys. Grouped queries: a fixed number whatever the
    number of workers."""
    by_unit = {w.unit_id: w.pk for w in workers}
    ids = [w.pk for w in workers]
    grid_q = Q(unit_id__in=list(by_unit))
    days = (end - start).days + 1
    months = max(1, round(days / 30))
    need = {"weekly": _weeks(start, end), "monthly": months, "households": max(1, round(2 * days / 365))}
    out = {w.pk: {"visits_done": 0, "visits_required": 0, "patrol_days": 0, "days": days, "signed_weeks": 0,
                  "weeks": _weeks(start, end), "meetings_present": 0, "meetings": 0, "complaints": 0,
                  "satisfied": 0, "answered": 0} for w in workers}
    from ..models import Household

    for rule in vr.RULES:
        if rule.target is vr.Target.GRID:
            continue
        n = need[rule.code]
        if rule.target is vr.Target.RESIDENTS:
            qs, fk = resident_targets(grid_q, rule), "resident"
        else:
            qs, fk = Household.objects.filter(grid_q), "household"
        rows = (qs.annotate(v=_count(fk, (start, end))).values("unit_id")
                .annotate(done=Sum(Least(F("v"), n)), targets=Count("pk")).order_by())
        for r in rows:
            f = out[by_unit[r["unit_id"]]]
            f["visits_done"] += r["done"] or 0
            f["visits_required"] += r["targets"] * n
    for r in (LogEntry.objects.filter(worker_id__in=ids, kind="patrol", day__range=(start, end))
              .values("worker_id").annotate(d=Count("day", distinct=True)).order_by()):
        out[r["worker_id"]]["patrol_days"] = r["d"]
    for r in (Signoff.objects.filter(worker_id__in=ids, kind="week", start__range=(start, end))
              .values("worker_id").annotate(n=Count("pk")).order_by()):
        out[r["worker_id"]]["signed_weeks"] = r["n"]
    for r in (Attendance.objects.filter(worker_id__in=ids, meeting__held_on__range=(start, end))
              .values("worker_id").annotate(p=Count("pk", filter=Q(present=True)), n=Count("pk")).order_by()):
        out[r["worker_id"]]["meetings_present"], out[r["worker_id"]]["meetings"] = r["p"], r["n"]
    for r in (Complaint.objects.filter(worker_id__in=ids, verified=True, received_on__range=(start, end))
              .values("worker_id").annotate(n=Count("pk")).order_by()):
        out[r["worker_id"]]["complaints"] = r["n"]
    for wid, (yes, total) in surveys.satisfaction(ids, periods).items():
        out[wid]["satisfied"], out[wid]["answered"] = yes, total
    for f in out.values():
        visit_rate = ((f["visits_done"] + f["patrol_days"]) / (f["visits_required"] + f["days"]))
        f["performance"] = str(rules.performance(
            visit_rate=visit_rate, signed_rate=min(1.0, f["signed_weeks"] / f["weeks"]),
            attendance_rate=(f["meetings_present"] / f["meetings"]) if f["meetings"] else 1.0,
            verified_complaints=f["complaints"]))
    return out


def _population(workers, figs, overrides):
    people = []
    for w in workers:
        f = figs[w.pk]
        if not f["answered"]:
            raise ValidationError({"survey": _("%(name)s has no survey answers for the period: draw and enter the "
                                               "survey first (第三十二条).") % {"name": w.name}})
        perf = Decimal(str(overrides.get(w.pk, f["performance"])))
        sat = round(f["satisfied"] / f["answered"], 3)
        people.append({"id": str(w.pk), "components": {"performance": float(rules.half(float(perf))),
                                                       "satisfaction": sat}})
    return people


def _workers_of(unit, kind: str):
    if kind == "township" and unit.kind != "township":
        raise ValidationError({"unit": _("Quarterly grading is done by a township; %(unit)s is not one.")
                               % {"unit": unit.name}})
    return list(GridWorker.objects.within(unit).filter(active=True).select_related("unit").order_by("pk"))


def grade_quarter(*, actor, township, period: str, overrides: dict | None = None) -> list[Grade]:
    """第三十一条: the township grades every worker under it for the quarter (称职 / 不称职)."""
    if not holds(actor, GRADE_QUARTER, township):
        raise PermissionDenied(_("You may not grade the grid workers of %(unit)s.") % {"unit": township.name})
    workers = _workers_of(township, "township")
    start, end = rules.quarter_range(period)
    return _grade(actor, township, workers, GradeKind.QUARTER, period, QUARTER_SCHEME, start, end, [period], overrides or {})


def grade_year(*, actor, unit, year: int, overrides: dict | None = None) -> list[Grade]:
    """第三十一、三十二条: the year's grades for every worker under `unit`; 优秀 ≤ 15 %, satisfaction caps."""
    if not holds(actor, GRADE_YEAR, unit):
        raise PermissionDenied(_("You may not grade the year for %(unit)s.") % {"unit": unit.name})
    workers = _workers_of(unit, "any")
    periods = [str(year)] + [f"{year}-Q{q}" for q in range(1, 5)]
    return _grade(actor, unit, workers, GradeKind.YEAR, str(year), YEAR_SCHEME, date(year, 1, 1), date(year, 12, 31),
                  periods, overrides or {})


def _grade(actor, unit, workers, kind, period, scheme_id, start, end, periods, overrides) -> list[Grade]:
    if not workers:
        raise ValidationError({"unit": _("There are no grid workers to grade.")})
    already = list(Grade.objects.filter(worker__in=workers, kind=kind, period=period)
                   .values_list("worker__name", flat=True)[:5])
    if already:
        raise ValidationError({"period": _("%(period)s is already graded for %(names)s: a period is graded once.")
                               % {"period": period, "names": "、".join(already)}})
    figs = figures(workers, start, end, periods)
    results = grade_population(builtin_scheme(scheme_id), _population(workers, figs, overrides))
    city = type(workers[0].unit).objects.get_ancestors(workers[0].unit).filter(depth=1).first()
    basis = PayBasis.objects.filter(unit=city).first()
    award = basis.award_excellent if basis else Decimal("800.00")
    now = timezone.now()
    rows = []
    for w, res in zip(workers, results, strict=True):
        f = figs[w.pk]
        grade = res.grade or ""
        row = Grade(unit=w.unit, worker=w, kind=kind, period=period, scheme_id=scheme_id,
                    performance=Decimal(str(overrides.get(w.pk, f["performance"]))),
                    satisfied=f["satisfied"], answered=f["answered"], total=Decimal(str(res.total)),
                    grade=grade, reasons=list(res.reasons), figures=f, graded_by=actor, graded_at=now)
        if kind == GradeKind.QUARTER:
            row.full_pay = grade == FIT  # 第三十三条 兑现全额工资或工作补贴
        else:
            row.candidacy_priority = grade in (EXCELLENT, "合格")
            if grade == EXCELLENT:  # 第三十一条: the opinions come before the grade is final
                row.status = GradeStatus.PENDING_OPINIONS
                row.award = award
        rows.append(row)
    with transaction.atomic():
        if Grade.objects.filter(worker__in=workers, kind=kind, period=period).exists():
            raise ValidationError({"period": _("%(period)s was graded meanwhile.") % {"period": period}})
        Grade.objects.bulk_create(rows, batch_size=2000)
        counts = {}
        for r in rows:
            counts[r.grade] = counts.get(r.grade, 0) + 1
        audit.record(EventType.ASSESSMENT_MARK, actor=actor, unit=unit,
                     after={"kind": kind, "period": period, "scheme": scheme_id, "workers": len(rows),
                            "grades": counts})
    return rows


def record_opinions(*, actor, grade: Grade, politics: str, centre: str) -> Grade:
    """第三十一条: 优秀 needs the 政法委's and the 综治中心's opinions before it is final."""
    if not holds(actor, GRADE_YEAR, grade.unit):
        raise PermissionDenied(_("You may not finalise this grade."))
    if not politics.strip() or not centre.strip():
        raise ValidationError({"opinions": _("Both the 政法委's and the 综治中心's opinions are required.")})
    with transaction.atomic():
        grade = Grade.objects.select_for_update().get(pk=grade.pk)
        if grade.status == GradeStatus.FINAL:
            raise ValidationError({"opinions": _("The grade is final already.")})
        grade.politics_opinion, grade.centre_opinion, grade.status = politics.strip(), centre.strip(), GradeStatus.FINAL
        grade.save(update_fields=["politics_opinion", "centre_opinion", "status"])
        audit.record(EventType.UPDATE, actor=actor, subject=grade, unit=grade.unit,
                     after={"status": "final", "grade": grade.grade})
    return grade


def award_list(unit, year: int):
    """第三十三条: the workers given the one-off award for an excellent year (final grades only)."""
    return (Grade.objects.within(unit).filter(kind=GradeKind.YEAR, period=str(year), grade=EXCELLENT,
                                              status=GradeStatus.FINAL).select_related("worker", "unit"))
