"""Patrol use cases: each write in one transaction with its audit record."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiceng.core import audit
from jiceng.core.maps import parse_geometry, point
from jiceng.core.models import EventType
from jiceng.core.scoping import holds

from . import tracks
from .capabilities import PLAN, RECORD
from .models import Finding, Patrol, PatrolArea, PatrolPlan, TrackSegment


def _require(actor, capability, unit):
    if not holds(actor, capability, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name})


def area_create(*, actor, unit, name: str, responsible: str, responsible_phone: str = "", description: str = "",
                geometry=None) -> PatrolArea:
    _require(actor, PLAN, unit)
    if not (responsible or "").strip():
        raise ValidationError({"responsible": _("Each patrol area needs a named responsible person.")})
    shape = parse_geometry(geometry, allowed=("Polygon", "MultiPolygon")) if geometry else None
    with transaction.atomic():
        if PatrolArea.objects.filter(unit=unit, name=name).exists():
            raise ValidationError({"name": _("The unit already has an area named “%(name)s”.") % {"name": name}})
        area = PatrolArea.objects.create(unit=unit, name=name, responsible=responsible.strip(),
                                         responsible_phone=responsible_phone, description=description, geometry=shape)
        audit.record(EventType.CREATE, actor=actor, subject=area, unit=unit,
                     after={"name": name, "responsible": area.responsible})
    return area


def plan_set(*, actor, area: PatrolArea, month: date, planned: int, notes: str = "") -> PatrolPlan:
    _require(actor, PLAN, area.unit)
    month = month.replace(day=1)
    with transaction.atomic():
        plan, created = PatrolPlan.objects.select_for_update().get_or_create(
            area=area, month=month, defaults={"unit": area.unit, "planned": planned, "notes": notes})
        before = None if created else {"planned": plan.planned, "notes": plan.notes}
        plan.planned, plan.notes = planned, notes
        plan.save()
        audit.record(EventType.CREATE if created else EventType.UPDATE, actor=actor, subject=plan, unit=area.unit,
                     before=before, after={"area": area.name, "month": month.isoformat(), "planned": planned})
    return plan


def patrol_create(*, actor, unit, patrol_date: date, inspectors: str, area: PatrolArea | None = None, route: str = "",
                  summary: str = "", key_period: bool = False, unannounced: bool = False) -> Patrol:
    _require(actor, RECORD, unit)
    if area is not None and area.unit_id != unit.pk:
        raise ValidationError({"area": _("The area belongs to another unit.")})
    if not (inspectors or "").strip():
        raise ValidationError({"inspectors": _("Name the inspectors.")})
    with transaction.atomic():
        patrol = Patrol.objects.create(unit=unit, area=area, patrol_date=patrol_date, inspectors=inspectors.strip(),
                                       route=route, summary=summary, key_period=key_period, unannounced=unannounced,
                                       created_by=actor)
        audit.record(EventType.CREATE, actor=actor, subject=patrol, unit=unit,
                     after={"date": patrol_date.isoformat(), "inspectors": patrol.inspectors,
                            "area": area.name if area else "", "key_period": key_period, "unannounced": unannounced})
    return patrol


def track_add(*, actor, patrol: Patrol, segments) -> list[TrackSegment]:
    """Store the track's segments (each on its own; one already stored, by anyone, is not stored again)."""
    _require(actor, RECORD, patrol.unit)
    parsed = tracks.parse_segments(segments, patrol.patrol_date)
    with transaction.atomic():
        known = set(patrol.segments.values_list("digest", flat=True))
        new = [s for s in parsed if s.digest not in known]
        rows = []
        for s in new:
            try:
                with transaction.atomic():
                    rows.append(TrackSegment.objects.create(
                        patrol=patrol, geometry=s.geometry, started_at=s.started_at, ended_at=s.ended_at,
                        points=s.points, length_m=s.length_m, digest=s.digest, recorded_by=actor))
            except IntegrityError:
                continue  # a teammate's copy of the same stretch arrived meanwhile
        audit.record(EventType.UPDATE, actor=actor, subject=patrol, unit=patrol.unit,
                     after={"track_segments_added": len(rows), "points": sum(r.points for r in rows),
                            "length_m": sum(r.length_m for r in rows)},
                     details={"segments_sent": len(parsed), "already_stored": len(parsed) - len(rows)})
    return rows


def finding_add(*, actor, patrol: Patrol, description: str, lon=None, lat=None, place: str = "", photo=None,
                as_clue: bool = False) -> Finding:
    """Record a finding (with its point and photo); with `as_clue` it is registered as a clue in the same step."""
    _require(actor, RECORD, patrol.unit)
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe what was found.")})
    location = None
    if lon not in (None, "") or lat not in (None, ""):
        try:
            location = parse_geometry(point(float(lon), float(lat)), allowed=("Point",), field="location")
        except (TypeError, ValueError):
            raise ValidationError({"location": _("The location needs a longitude and a latitude in degrees.")}) from None
    with transaction.atomic():
        attachment = None
        if photo is not None:
            from jiceng.core.attachments import attachment_add

            attachment = attachment_add(actor=actor, unit=patrol.unit, upload=photo, purpose="patrols.finding",
                                        field="photo", subject=patrol)
        finding = Finding.objects.create(unit=patrol.unit, patrol=patrol, description=description.strip(),
                                         location=location, place=place, photo=attachment, created_by=actor)
        audit.record(EventType.CREATE, actor=actor, subject=finding, unit=patrol.unit,
                     after={"patrol": patrol.pk, "description": finding.description[:200], "location": location})
        if as_clue:
            finding_to_clue(actor=actor, finding=finding)
    return finding


def finding_to_clue(*, actor, finding: Finding):
    """Register the finding as a clue (once); the finding keeps the clue's number and page."""
    from .clues import register_clue

    _require(actor, RECORD, finding.unit)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.clue_id:
            raise ValidationError(_("This finding is already clue %(clue)s.") % {"clue": finding.clue_id})
        clue = register_clue(actor=actor, finding=finding)
        finding.clue_id = str(clue.pk)
        getter = getattr(clue, "get_absolute_url", None)
        finding.clue_url = getter() if getter else ""
        finding.save(update_fields=["clue_id", "clue_url"])
        audit.record(EventType.UPDATE, actor=actor, subject=finding, unit=finding.unit,
                     after={"clue": finding.clue_id})
    return clue
