"""Reads of units and staff; every one takes the user and goes through core.scoping."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from jiceng.core.capabilities import VIEW

from .models import Staff, Unit, UnitKind
from .standards import OfficeFacts, StaffFacts, standards_card


def unit_roots_for(user):
    """The top units of the user's visible subtrees (the entry points of the tree browser)."""
    return Unit.objects.restrict(user, VIEW).scope_roots(user, VIEW).annotate(staff_count=Count("staff"))


def unit_children(user, unit: Unit):
    return (
        Unit.objects.restrict(user, VIEW)
        .within(unit)
        .filter(depth=unit.depth + 1)
        .annotate(staff_count=Count("staff"))
    )


def unit_ancestors_visible(user, unit: Unit):
    """The breadcrumb: ancestors the user may see, then the unit."""
    prefixes = [unit.path[: i * Unit.steplen] for i in range(1, unit.depth)]
    return list(Unit.objects.restrict(user, VIEW).filter(path__in=prefixes).order_by("depth"))


def staff_list(user, *, unit: Unit | None = None, filters: dict | None = None):
    """Active staff in scope, optionally below one unit, filtered by the list page's fields."""
    qs = Staff.objects.restrict(user, VIEW).select_related("unit", "establishment_unit")
    if unit is not None:
        qs = qs.within(unit)
    filters = filters or {}
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(unit__name__icontains=filters["q"]))
    for name in ("post", "education", "employment_type", "political_status", "gender"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("active", "1") == "1":
        qs = qs.filter(active=True)
    return qs.order_by("unit__path", "post", "name", "pk")  # pk: one order for pages and exports


def unit_list(user, *, filters: dict | None = None):
    """The unit register: units in scope in tree order, with their number of active staff, filtered."""
    qs = Unit.objects.restrict(user, VIEW).annotate(staff_count=Count("staff", filter=Q(staff__active=True)))
    filters = filters or {}
    if filters.get("q"):
        qs = qs.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    return qs.order_by("path")


def office_facts(unit: Unit, staff) -> OfficeFacts:
    return OfficeFacts(
        office_type=unit.office_type,
        staff=[StaffFacts(s.education, s.post, s.employment_type) for s in staff],
        floor_area=unit.floor_area,
        has_meeting_room=unit.has_meeting_room,
        has_petition_room=unit.has_petition_room,
        vehicles=unit.vehicles,
        has_copier=unit.has_copier,
        has_fax=unit.has_fax,
        has_camera=unit.has_camera,
        computers=unit.computers,
        networked=unit.networked,
    )


def unit_standards(unit: Unit):
    """The standards card of an office (empty for other kinds of unit)."""
    if unit.kind != UnitKind.OFFICE:
        return []
    # "unit" must be loaded too: the related manager checks each row's unit_id,
    # and a deferred one costs a query per person.
    staff = unit.staff.filter(active=True).only("unit", "education", "post", "employment_type")
    return standards_card(office_facts(unit, staff))


def offices_with_standards(user):
    """Offices in scope with their cards: two queries whatever the number of offices."""
    active = Prefetch("staff", queryset=Staff.objects.filter(active=True), to_attr="active_staff")
    offices = Unit.objects.restrict(user, VIEW).filter(kind=UnitKind.OFFICE).prefetch_related(active)
    return [(office, standards_card(office_facts(office, office.active_staff))) for office in offices]
