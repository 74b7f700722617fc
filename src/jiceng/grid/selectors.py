"""Reads of grid data: every one through the scoping API (restrict / holds / allows)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from jiceng.core.capabilities import VIEW
from jiceng.core.scoping import holds, restrict_q

from . import visit_rules as vr
from .capabilities import SENSITIVE
from .models import Absence, GridProfile, GridWorker, Household, LogEntry, Resident, ResidentCategory


def my_workers(user):
    """The active worker records of this account (normally one)."""
    if not getattr(user, "is_authenticated", False):
        return GridWorker.objects.none()
    return GridWorker.objects.filter(user=user, active=True)


def covered_grid_ids(user, today: date) -> list[int]:
    """Grids this user covers today as the AB partner (第二十二条): the partner grid's worker is away."""
    mine = list(my_workers(user).values_list("unit_id", flat=True))
    if not mine:
        return []
    partners = GridProfile.objects.filter(
        Q(partner__unit_id__in=mine) | Q(partner_of__unit_id__in=mine)).values_list("unit_id", flat=True)
    away = Absence.objects.filter(start__lte=today, end__gte=today, worker__active=True,
                                  worker__unit_id__in=list(partners)).values_list("worker__unit_id", flat=True)
    return sorted(set(away))


def residents(user, action: str = VIEW, today: date | None = None):
    """The residents `user` may see: in scope (or covering as AB partner), and sensitive ones only with
    grid.sensitive over their grid."""
    today = today or date.today()
    base = Resident.objects.all()
    scope = restrict_q(Resident, user, action)
    covered = covered_grid_ids(user, today)
    allowed = Q(pk__in=[])
    if scope is not None:
        allowed |= scope
    if covered:
        allowed |= Q(unit_id__in=covered)
    qs = base.filter(allowed)
    sensitive_scope = restrict_q(Resident, user, SENSITIVE)
    sensitive_ok = Q(sensitive=False)
    if sensitive_scope is not None:
        sensitive_ok |= sensitive_scope
        if covered and _holds_sensitive_anywhere(user):
            sensitive_ok |= Q(unit_id__in=covered)
    return qs.filter(sensitive_ok)


def _holds_sensitive_anywhere(user) -> bool:
    return any(holds(user, SENSITIVE, w.unit) for w in my_workers(user).select_related("unit"))


def may_see_resident(user, resident, today: date | None = None) -> bool:
    return residents(user, today=today).filter(pk=resident.pk).exists()


def workers(user, action: str = VIEW):
    return GridWorker.objects.restrict(user, action).filter(active=True)


# --- visit compliance (第十九条), in SQL --------------------------------------------------------------


def _count(fk: str, days: tuple[date, date]):
    """The number of log entries of the outer row in `days` (a correlated subquery, so the result can be
    grouped and summed again)."""
    inner = (LogEntry.objects.filter(**{fk: OuterRef("pk")}, day__range=days).order_by()
             .annotate(n=Func(F("pk"), function="COUNT")).values("n"))
    return Coalesce(Subquery(inner, output_field=IntegerField()), 0)


def _visit_counts(qs, fk: str, rule: vr.VisitRule, today: date):
    return qs.annotate(cur=_count(fk, vr.period_of(rule.period, today)),
                       prev=_count(fk, vr.previous_period(rule.period, today)))


def resident_targets(grid_ids_q: Q, rule: vr.VisitRule):
    """Residents whose strictest rule is `rule` (stricter rules' categories excluded)."""
    stricter = set()
    for other in vr.RESIDENT_RULES:
        if other is rule:
            break
        stricter |= other.categories
    qs = Resident.objects.filter(grid_ids_q, active=True).filter(
        Exists(ResidentCategory.objects.filter(resident=OuterRef("pk"), category__in=sorted(rule.categories))))
    if stricter:
        qs = qs.exclude(Exists(ResidentCategory.objects.filter(resident=OuterRef("pk"),
                                                                category__in=sorted(stricter))))
    return qs


def compliance_rows(grid_filter: Q, today: date, *, with_names: bool = False):
    """Per rule, the targets with their status: [(rule, [(target_id, unit_id, name, status)])].

    `grid_filter` is a Q on `unit` (the grids to read: already scoped by the caller)."""
    out = []
    for rule in vr.RULES:
        if rule.target is vr.Target.GRID:
            continue
        if rule.target is vr.Target.RESIDENTS:
            qs = _visit_counts(resident_targets(grid_filter, rule), "resident", rule, today)
        else:
            qs = _visit_counts(Household.objects.filter(grid_filter), "household", rule, today)
        fields = ["pk", "unit_id", "cur", "prev"] + (["name" if rule.target is vr.Target.RESIDENTS else "address"]
                                                      if with_names else [])
        rows = []
        for values in qs.values_list(*fields):
            st = vr.status(rule, values[2], values[3])
            rows.append((values[0], values[1], values[4] if with_names else "", st))
        out.append((rule, rows))
    return out


def patrol_status(worker_ids: list[int], today: date) -> dict[int, vr.Status]:
    rule = vr.BY_CODE["patrol"]
    done_today = set(LogEntry.objects.filter(worker_id__in=worker_ids, kind="patrol", day=today)
                     .values_list("worker_id", flat=True))
    done_before = set(LogEntry.objects.filter(worker_id__in=worker_ids, kind="patrol",
                                              day=vr.previous_period(rule.period, today)[0])
                      .values_list("worker_id", flat=True))
    return {w: vr.status(rule, int(w in done_today), int(w in done_before)) for w in worker_ids}


def compliance_summary(grid_filter: Q, today: date) -> dict[int, dict[str, int]]:
    """{grid unit id: {"due": n, "overdue": n, "done": n}} over every resident and household rule, computed
    with GROUP BY in the database (one query per rule)."""
    from django.db.models import Case, Sum, When

    summary: dict[int, dict[str, int]] = {}
    for rule in vr.RULES:
        if rule.target is vr.Target.GRID:
            continue
        if rule.target is vr.Target.RESIDENTS:
            qs = _visit_counts(resident_targets(grid_filter, rule), "resident", rule, today)
        else:
            qs = _visit_counts(Household.objects.filter(grid_filter), "household", rule, today)
        n = rule.times
        qs = qs.values("unit_id").annotate(
            done=Sum(Case(When(cur__gte=n, then=1), default=0, output_field=IntegerField())),
            overdue=Sum(Case(When(cur__lt=n, prev__lt=n, then=1), default=0, output_field=IntegerField())),
            due=Sum(Case(When(cur__lt=n, prev__gte=n, then=1), default=0, output_field=IntegerField())),
        ).order_by()
        for row in qs:
            bucket = summary.setdefault(row["unit_id"], {"due": 0, "overdue": 0, "done": 0})
            for key in ("due", "overdue", "done"):
                bucket[key] += row[key] or 0
    return summary
