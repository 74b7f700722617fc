"""The patrols app's map layers (core.maps): patrol tracks, findings, and the unit boundaries base layer."""

from __future__ import annotations

from jiceng.core.capabilities import VIEW
from jiceng.core.maps import feature

from .models import Finding, Patrol, TrackSegment, UnitBoundary


def track_features(user, unit, period) -> list[dict]:
    patrols = period.filter(Patrol.objects.restrict(user, VIEW).within(unit), "patrol_date")
    segments = (TrackSegment.objects.filter(patrol__in=patrols.values("pk"))
                .values_list("geometry", "patrol_id", "patrol__patrol_date", "patrol__inspectors", "length_m"))
    return [feature(geometry, label=f"{day} {inspectors}", url=f"/patrols/{patrol}/", date=day.isoformat(),
                    length_m=length)
            for geometry, patrol, day, inspectors, length in segments.iterator()]


def finding_features(user, unit, period) -> list[dict]:
    findings = period.filter(Finding.objects.restrict(user, VIEW).within(unit), "patrol__patrol_date")
    rows = findings.exclude(location=None).values_list("location", "patrol_id", "pk", "description",
                                                       "patrol__patrol_date", "clue_id")
    return [feature(location, label=description[:40], url=f"/patrols/{patrol}/#finding-{pk}", date=day.isoformat(),
                    clue=clue)
            for location, patrol, pk, description, day, clue in rows.iterator()]


def boundary_features(user, unit) -> list[dict]:
    rows = UnitBoundary.objects.restrict(user, VIEW).within(unit).values_list("geometry", "unit__name", "unit__code")
    return [feature(geometry, label=name, code=code) for geometry, name, code in rows]
