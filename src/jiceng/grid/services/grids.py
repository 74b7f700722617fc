"""Grid profiles (boundary, AB pairs), workers (eligibility, pay) and the talent pool."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.models import EventType
from jiceng.core.scoping import holds

from .. import rules
from ..capabilities import MANAGE
from ..models import GridProfile, GridWorker, PayBasis, PoolEntry


def _require(actor, capability, unit):
    if actor is not None and not holds(actor, capability, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name})


def validate_boundary(geojson) -> dict | None:
    """A GeoJSON Polygon or MultiPolygon (or a Feature of one) that shapely finds valid; None when empty."""
    if not geojson:
        return None
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    geometry = geojson.get("geometry") if isinstance(geojson, dict) and geojson.get("type") == "Feature" else geojson
    try:
        shp = shape(geometry)
    except Exception as exc:  # shapely raises several kinds for malformed input
        raise ValidationError({"boundary": _("The boundary is not GeoJSON: %(why)s") % {"why": exc}}) from exc
    if shp.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValidationError({"boundary": _("The boundary must be a polygon, not %(kind)s.") % {"kind": shp.geom_type}})
    if not shp.is_valid:
        raise ValidationError({"boundary": _("The boundary is not a valid polygon: %(why)s")
                               % {"why": explain_validity(shp)}})
    return geometry


def save_profile(*, actor, unit, area: str, boundary=None, duties: str = "", extent: str = "") -> GridProfile:
    if unit.kind != "grid":
        raise ValidationError({"unit": _("%(unit)s is not a grid.") % {"unit": unit.name}})
    _require(actor, MANAGE, unit)
    geometry = validate_boundary(boundary)
    with transaction.atomic():
        profile, created = GridProfile.objects.get_or_create(unit=unit, defaults={"area": area})
        before = audit.snapshot(profile, ["area", "duties", "households_note"])
        profile.area, profile.boundary, profile.duties, profile.households_note = area, geometry, duties, extent
        profile.save()
        audit.record(EventType.CREATE if created else EventType.UPDATE, actor=actor, subject=profile, unit=unit,
                     before=None if created else before,
                     after={**audit.snapshot(profile, ["area", "duties", "households_note"]),
                            "boundary": bool(geometry)})
    return profile


def pair(*, actor, a: GridProfile, b: GridProfile) -> None:
    """AB岗 (第二十二条): two neighbouring grids of one community back each other up."""
    if a.pk == b.pk:
        raise ValidationError({"partner": _("A grid cannot be its own AB partner.")})
    if type(a.unit).objects.get_parent(a.unit).pk != type(b.unit).objects.get_parent(b.unit).pk:
        raise ValidationError({"partner": _("AB partners must be grids of the same community (第二十二条).")})
    _require(actor, MANAGE, a.unit)
    _require(actor, MANAGE, b.unit)
    with transaction.atomic():
        for profile in (a, b):
            old = profile.partner_id
            if old and old not in (a.pk, b.pk):
                GridProfile.objects.filter(pk=old).update(partner=None)
        GridProfile.objects.filter(partner__in=[a, b]).update(partner=None)
        a.partner, b.partner = b, None
        b.save(update_fields=["partner"])
        a.save(update_fields=["partner"])
        audit.record(EventType.UPDATE, actor=actor, subject=a, unit=type(a.unit).objects.get_parent(a.unit),
                     after={"ab_pair": [a.unit.code, b.unit.code]})


def partner_of(profile: GridProfile) -> GridProfile | None:
    if profile.partner_id:
        return profile.partner
    return GridProfile.objects.filter(partner=profile).first()


def appoint(*, actor, unit, name: str, appointment: str, committee_post: str = "none", user=None,
            work_phone: str = "", certificate: str = "none", star_level: int = 0, contract_start=None,
            contract_end=None, term_end=None) -> tuple[GridWorker, list[rules.Finding]]:
    """One worker per grid (第二条), eligible under 第三条; contract and term in step (第五条)."""
    profile = GridProfile.objects.filter(unit=unit).first()
    if profile is None:
        raise ValidationError({"unit": _("Record the grid's profile first.")})
    _require(actor, MANAGE, unit)
    findings = rules.eligibility(area=profile.area, appointment=appointment, committee_post=committee_post)
    refused = rules.refused(findings)
    if refused:
        raise ValidationError({"appointment": [f.text for f in refused]})
    if contract_end and term_end and contract_end != term_end:
        raise ValidationError({"contract_end": _("第五条: the contract must end with the two committees' term "
                                                 "(%(term)s).") % {"term": term_end}})
    with transaction.atomic():
        if GridWorker.objects.select_for_update().filter(unit=unit, active=True).exists():
            raise ValidationError({"unit": _("%(grid)s already has its worker (第二条: one per grid).")
                                   % {"grid": unit.name}})
        worker = GridWorker.objects.create(
            unit=unit, name=name, appointment=appointment, committee_post=committee_post, user=user,
            work_phone=work_phone, certificate=certificate, star_level=star_level, contract_start=contract_start,
            contract_end=contract_end or term_end, term_end=term_end)
        audit.record(EventType.CREATE, actor=actor, subject=worker, unit=unit,
                     after={"name": name, "appointment": appointment, "committee_post": committee_post,
                            "warnings": [f.code for f in findings]})
    return worker, findings


def pay_of(worker: GridWorker) -> rules.Pay:
    city = type(worker.unit).objects.get_ancestors(worker.unit).filter(depth=1).first()
    basis = PayBasis.objects.filter(unit=city).first() or PayBasis()
    profile = getattr(worker.unit, "grid_profile", None)
    return rules.monthly_pay(area=profile.area if profile else "rural", appointment=worker.appointment,
                             star_level=worker.star_level, certificate=worker.certificate,
                             min_wage=basis.min_wage, multiple=basis.recruited_multiple,
                             star_subsidies=basis.star_subsidies or {},
                             certificate_allowance=basis.certificate_allowance)


# --- the talent pool (第七条) ----------------------------------------------------------------------------


def offers(pool_unit, today: date):
    """The pool's candidates for a vacancy: valid (entered within a year), not refused, not posted; by score."""
    valid_from = date.fromordinal(today.toordinal() - rules.POOL_VALID_DAYS + 1)
    return (PoolEntry.objects.within(pool_unit).filter(refused=False, posted_to__isnull=True,
                                                        entered_on__gte=valid_from)
            .order_by("-exam_score", "entered_on", "pk"))


def post_candidate(*, actor, entry: PoolEntry, grid, today: date) -> PoolEntry:
    _require(actor, MANAGE, grid)
    with transaction.atomic():
        entry = PoolEntry.objects.select_for_update().get(pk=entry.pk)
        if not rules.pool_valid(entry.entered_on, today):
            raise ValidationError({"entry": _("%(name)s entered the pool on %(day)s: the entry has expired "
                                              "(第七条: valid for one year).") % {"name": entry.name,
                                                                                  "day": entry.entered_on}})
        if entry.refused:
            raise ValidationError({"entry": _("%(name)s refused a posting and is not offered.") % {"name": entry.name}})
        if entry.posted_to_id:
            raise ValidationError({"entry": _("%(name)s has already been posted.") % {"name": entry.name}})
        better = offers(entry.unit, today).filter(exam_score__gt=entry.exam_score).first()
        if better is not None:
            raise ValidationError({"entry": _("%(other)s scored higher and comes first (第七条).")
                                   % {"other": better.name}})
        entry.posted_to, entry.posted_on = grid, today
        entry.save(update_fields=["posted_to", "posted_on"])
        audit.record(EventType.UPDATE, actor=actor, subject=entry, unit=grid,
                     after={"posted_to": grid.code, "exam_score": str(entry.exam_score)})
    return entry


def refuse_posting(*, actor, entry: PoolEntry) -> None:
    _require(actor, MANAGE, entry.unit)
    with transaction.atomic():
        PoolEntry.objects.filter(pk=entry.pk).update(refused=True)
        audit.record(EventType.UPDATE, actor=actor, subject=entry, unit=entry.unit, after={"refused": True})
