"""The dismissal grounds of 第三十四条: those the data shows are raised by the daily check, the rest by a
person; either way a person decides (workflows.DISMISSAL, 第三十五条)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.scoping import holds

from .. import rules
from ..capabilities import GRADE_QUARTER, SIGN_OFF
from ..models import Absence, Complaint, DismissalCase, Grade, GradeKind, GridWorker

GROUNDS = {
    "1": "连续两个季度或年度考核不称职",
    "2": "被群众投诉3次以上查证属实、向服务对象索要钱物",
    "3": "劳动合同期满且不再续签",
    "4": "不胜任现职工作且不接受其他工作安排",
    "5": "社区调整、撤销、合并后不服从岗位调整",
    "6": "旷工或逾期不归超过10天",
    "7": "因不作为或作为不当发生重大责任事故、引发集体上访",
    "8": "擅自透(泄)露居民、商户私人信息或工作秘密",
    "9": "违反党纪党规和国家法律法规",
}
AUTOMATIC = ("1", "2", "3", "6", "8")
ABSENCE_LIMIT = 10


def grounds_for(worker: GridWorker, today: date, grades=None, complaints=None, absences=None) -> dict[str, dict]:
    """{ground: evidence} for the automatic grounds this worker meets today."""
    found: dict[str, dict] = {}
    grades = grades if grades is not None else list(worker.grades.filter(status="final").order_by("period"))
    quarters = [g for g in grades if g.kind == GradeKind.QUARTER]
    for a, b in zip(quarters, quarters[1:], strict=False):
        if a.grade == "不称职" and b.grade == "不称职" and rules.previous_quarter(b.period) == a.period:
            found["1"] = {"quarters": [a.period, b.period], "grades": [a.pk, b.pk]}
    years = [g for g in grades if g.kind == GradeKind.YEAR]
    for a, b in zip(years, years[1:], strict=False):
        if a.grade == "不合格" and b.grade == "不合格" and int(b.period) == int(a.period) + 1:
            found["1"] = {"years": [a.period, b.period], "grades": [a.pk, b.pk]}
    complaints = complaints if complaints is not None else list(worker.complaints.filter(verified=True))
    verified = [c for c in complaints if c.kind == "complaint"]
    money = [c for c in complaints if c.kind == "money"]
    if len(verified) >= 3 or money:
        found["2"] = {"complaints": [c.pk for c in verified], "money": [c.pk for c in money]}
    if worker.contract_end and worker.contract_end < today and not worker.renewed:
        found["3"] = {"contract_end": str(worker.contract_end)}
    absences = absences if absences is not None else list(worker.absences.filter(justified=False))
    long = [a for a in absences if (min(a.end, today) - a.start).days + 1 > ABSENCE_LIMIT]
    if long:
        found["6"] = {"absences": [a.pk for a in long]}
    leaks = [c for c in complaints if c.kind == "leak"]
    if leaks:
        found["8"] = {"complaints": [c.pk for c in leaks]}
    return found


def check_all(today: date | None = None) -> int:
    """The daily task: raise a case for every automatic ground met and not already open. Idempotent."""
    today = today or timezone.localdate()
    workers = list(GridWorker.objects.filter(active=True).select_related("unit"))
    grades, complaints, absences = {}, {}, {}
    for g in Grade.objects.filter(status="final", worker__active=True).order_by("period"):
        grades.setdefault(g.worker_id, []).append(g)
    for c in Complaint.objects.filter(verified=True, worker__active=True):
        complaints.setdefault(c.worker_id, []).append(c)
    for a in Absence.objects.filter(justified=False, worker__active=True):
        absences.setdefault(a.worker_id, []).append(a)
    open_cases = set(DismissalCase.objects.exclude(state__in=["filed", "dropped"]).values_list("worker_id", "trigger"))
    raised = 0
    for w in workers:
        found = grounds_for(w, today, grades.get(w.pk, []), complaints.get(w.pk, []), absences.get(w.pk, []))
        for ground, evidence in found.items():
            if (w.pk, ground) in open_cases:
                continue
            if _raise(actor=None, worker=w, ground=ground, evidence=evidence, today=today) is not None:
                raised += 1
    return raised


def _raise(*, actor, worker, ground, evidence, today):
    try:
        with transaction.atomic():
            case = DismissalCase.objects.create(unit=worker.unit, worker=worker, trigger=ground, evidence=evidence,
                                                raised_by=actor, raised_on=today)
            audit.record(EventType.CREATE, actor=actor, subject=case, unit=worker.unit,
                         after={"ground": ground, "title": GROUNDS[ground], "evidence": evidence,
                                "automatic": actor is None})
    except IntegrityError:
        return None  # already open
    return case


def raise_case(*, actor, worker: GridWorker, ground: str, evidence: str, today: date | None = None) -> DismissalCase:
    """A ground raised by a person (any of the nine; the others are what the data cannot see)."""
    if ground not in GROUNDS:
        raise ValidationError({"ground": _("第三十四条 has no ground %(g)s.") % {"g": ground}})
    if not (holds(actor, SIGN_OFF, worker.unit) or holds(actor, GRADE_QUARTER, worker.unit)):
        raise PermissionDenied(_("You may not raise a dismissal case for %(name)s.") % {"name": worker.name})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what happened.")})
    case = _raise(actor=actor, worker=worker, ground=ground, evidence={"text": evidence.strip()},
                  today=today or timezone.localdate())
    if case is None:
        raise ValidationError({"ground": _("A case on this ground is already open.")})
    return case
