"""Reads of the ledgers, always through the scope (`restrict`), and the figures of seed 000 3.3 as DB aggregates."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from jiceng.core.capabilities import VIEW
from jiceng.core.maps import Period, feature

from .models import HazardPoint, Petition, PetitionState
from .specs import Spec


def rows(spec: Spec, user, filters: dict):
    qs = spec.model.objects.restrict(user, VIEW).select_related("unit")
    for name in spec.filters:
        if filters.get(name) not in (None, ""):
            value = filters[name]
            qs = qs.filter(**{name: value == "1" if isinstance(value, str) and value in ("0", "1") and
                              name in ("superior_assigned", "active", "idle") else value})
    if filters.get("q"):
        text_fields = [n for n, _h in spec.fields if spec.field(n).get_internal_type() in ("CharField", "TextField")]
        q = Q()
        for name in text_fields:
            q |= Q(**{f"{name}__icontains": filters["q"]})
        qs = qs.filter(q)
    if spec.date_field and filters.get("period"):
        qs = Period.parse(filters["period"]).filter(qs, spec.date_field)
    if filters.get("overdue") and spec.is_ledger_row:
        from django.utils import timezone

        qs = qs.filter(state__in=spec.model.open_states, due_on__lt=timezone.localdate())
    return qs.order_by(*spec.model._meta.ordering, "pk") if spec.model._meta.ordering else qs.order_by("pk")


@dataclass(frozen=True)
class Rate:
    closed: int
    total: int
    target: float  # percent

    @property
    def percent(self) -> float | None:
        return round(100 * self.closed / self.total, 1) if self.total else None

    @property
    def met(self) -> bool | None:
        return None if not self.total else self.closed * 100 >= self.target * self.total


def petition_rates(user, unit=None, period: Period | None = None) -> dict[str, Rate]:
    """信访办结率 (≥ 95 %) and 上级交办事件办结率 (≥ 98 %) over the petitions received in the period (seed 000 3.3)."""
    qs = Petition.objects.restrict(user, VIEW)
    if unit is not None:
        qs = qs.within(unit)
    if period is not None:
        qs = period.filter(qs, "opened_on")
    closed = Q(state=PetitionState.CLOSED)
    got = qs.aggregate(
        total=Count("pk"), closed=Count("pk", filter=closed),
        assigned=Count("pk", filter=Q(superior_assigned=True)),
        assigned_closed=Count("pk", filter=closed & Q(superior_assigned=True)),
    )
    return {"closure": Rate(got["closed"], got["total"], 95.0),
            "superior_closure": Rate(got["assigned_closed"], got["assigned"], 98.0)}


def hazard_features(user, unit, period) -> list[dict]:
    """The hazard points of `unit`'s subtree (core.maps layer `ledgers.hazards`; the period does not apply)."""
    points = HazardPoint.objects.restrict(user, VIEW).within(unit).filter(active=True)
    return [feature(location, label=f"{code} {name}", url=f"/ledgers/hazards/{pk}/", type=kind)
            for location, code, name, pk, kind in points.values_list("location", "code", "name", "pk", "hazard_type").iterator()]
